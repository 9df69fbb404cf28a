"""The shared ceremony JSON format (shared/data/README.md) read into a CeremonySpec.

Pydantic models check the file (strict types; lengths from the model fields; every string
cleaned as `cells.clean` says); then the spec is built: exact date, films of the previous year,
the file's order kept (curated), competitive left unknown (the format does not say), a tie
where a category has several winners, people split from the credit except for songs.
"""

import datetime as dt
import json
import json.decoder
import json.scanner
import re
from pathlib import Path
from typing import Annotated, Any

from django.utils.text import slugify
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic import ValidationError as PydanticError

from ceremony.importers.cells import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_EDITION,
    clean,
    max_length,
    read_text,
    shown,
    too_long,
)
from ceremony.importers.spec import (
    CategorySpec,
    CeremonySpec,
    FilmRef,
    ImportProblem,
    NominationSpec,
    PersonRef,
)
from ceremony.models import AwardBody, Category, Ceremony, Film, Nomination, Person
from ceremony.text import is_song_category, split_credit

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _text(limit: int, *, required: bool = True) -> Any:
    def fits(value: str) -> str:
        if problem := too_long(value, limit):
            raise ValueError(problem)
        return value

    return Annotated[
        str,
        AfterValidator(clean),
        AfterValidator(fits),
        Field(min_length=1 if required else 0, max_length=limit),
    ]


def _event_date(value: Any) -> dt.date:
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError(f"must be YYYY-MM-DD, not {_kind(value)}")
    try:
        date = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value} is not a date ({exc})") from None
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise ValueError(f"has year {date.year}, out of range ({FIRST_YEAR}-{LAST_YEAR})")
    return date


FilmTitle = _text(max_length(Nomination, "film_title"))
Credit = _text(max_length(Nomination, "nominee"), required=False)
CategoryName = _text(max_length(Category, "name"))
CeremonyName = _text(max_length(Ceremony, "name"))
BodyName = _text(max_length(AwardBody, "name"))
Venue = _text(max_length(Ceremony, "venue"), required=False)
Edition = Annotated[int, Field(gt=0, le=MAX_EDITION)]
EventDate = Annotated[dt.date, BeforeValidator(_event_date)]


class _Strict(BaseModel):
    # Exports carry more keys (status, slug, results...): they import back, the extras ignored.
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class NomineeIn(_Strict):
    film: FilmTitle
    nominee: Credit | None = None
    won: bool = False


class CategoryIn(_Strict):
    name: CategoryName
    nominees: Annotated[list[NomineeIn], Field(min_length=1)]


class CeremonyIn(_Strict):
    ceremony: CeremonyName
    body: BodyName
    edition: Edition
    date: EventDate
    venue: Venue | None = None
    categories: Annotated[list[CategoryIn], Field(min_length=1)]


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return repr(shown(value, 40))


_MESSAGES = {
    "missing": "is missing",
    "string_type": "must be text, not {kind}",
    "bool_type": "must be true or false, not {kind}",
    "int_type": f"must be a positive whole number up to {MAX_EDITION}, not {{kind}}",
    "greater_than": f"must be a positive whole number up to {MAX_EDITION}, not {{input}}",
    "less_than_equal": f"must be a positive whole number up to {MAX_EDITION}, not {{input}}",
    "list_type": "must be a non-empty list, not {kind}",
    "model_type": "must be an object, not {kind}",
    "model_attributes_type": "must be an object, not {kind}",
}


def _describe(exc: PydanticError, data: Any, source: str) -> str:
    """The first error as one line: the file, the place in it, the problem."""
    error = exc.errors(include_url=False)[0]
    loc, node, places, field = error["loc"], data, [], None
    for index, key in enumerate(loc):
        if isinstance(key, int):
            node = node[key] if isinstance(node, list) and key < len(node) else None
            name = node.get("name") if isinstance(node, dict) else None
            kind = "category" if loc[index - 1] == "categories" else "nominee"
            name = shown(name) if kind == "category" and isinstance(name, str) else ""
            label = f" ({name})" if name else ""
            places.append(f"{kind} {key + 1}{label}")
            field = None
        else:
            node = node.get(key) if isinstance(node, dict) else None
            field = key
    if field in ("categories", "nominees") and error["type"] == "too_short":
        problem = "must be a non-empty list"
    elif error["type"] == "too_short":
        problem = "is empty"
    elif error["type"] == "too_long":
        problem = f"is longer than {error['ctx']['max_length']} characters"
    elif error["type"] == "value_error":
        problem = str(error["ctx"]["error"])
    else:
        template = _MESSAGES.get(error["type"], "is not valid ({msg})")
        problem = template.format(
            kind=_kind(error["input"]), input=shown(error["input"], 40), msg=error["msg"]
        )
    subject = f'"{field}" ' if field else ("the top level " if not places else "")
    return ": ".join([source, *([", ".join(places)] if places else []), subject + problem])


def ceremony_spec(data: Any, *, source: str, with_results: bool = True) -> CeremonySpec:
    """A ceremony in the shared JSON format, already parsed, as a spec; ImportProblem names the
    first problem (`source` is the file's name, for the message). Without results the won flags
    are dropped: nominees only, as a ceremony is prepared before the show."""
    try:
        parsed = CeremonyIn.model_validate(data)
    except PydanticError as exc:
        raise ImportProblem(_describe(exc, data, source)) from None
    except RecursionError:
        raise ImportProblem(f"{source}: nested too deeply") from None
    for key in ("ceremony", "body"):
        if not slugify(getattr(parsed, key)):
            raise ImportProblem(f'{source}: "{key}" has no letters or digits')
    film_limit, person_limit = max_length(Film, "title"), max_length(Person, "name")
    categories, seen = [], {}
    for index, category in enumerate(parsed.categories, start=1):
        where = f"category {index} ({category.name})"
        slug = slugify(category.name)
        if not slug:
            raise ImportProblem(f'{source}: {where}: "name" has no letters or digits')
        if slug in seen:
            raise ImportProblem(f"{source}: {where}: appears twice (as category {seen[slug]})")
        seen[slug] = index
        song = is_song_category(category.name)
        nominations = []
        for n, nominee in enumerate(category.nominees, start=1):
            place = f"{where}, nominee {n}"
            text = nominee.nominee or ""
            # A song's nominee is its title: no people are credited in the text.
            people = [] if song else [PersonRef(name) for name in split_credit(text)]
            if problem := too_long(nominee.film, film_limit):
                raise ImportProblem(f'{source}: {place}: "film" {problem}')
            for person in people:
                if problem := too_long(person.name, person_limit):
                    raise ImportProblem(
                        f'{source}: {place}: "nominee" credits a name that {problem}'
                    )
            nominations.append(
                NominationSpec(
                    films=[FilmRef(nominee.film)],
                    nominee=text,
                    people=people,
                    won=with_results and nominee.won,
                    detail=text if song else "",
                    place=place,
                )
            )
        winners = sum(n.won for n in nominations)
        categories.append(
            CategorySpec(
                name=category.name, nominations=nominations, competitive=None, tie=winners > 1
            )
        )
    return CeremonySpec(
        body=parsed.body,
        edition=parsed.edition,
        name=parsed.ceremony,
        date=parsed.date,
        date_exact=True,
        film_year=str(parsed.date.year - 1),
        source=source,
        categories=categories,
        venue=parsed.venue or "",
        curated=True,
        has_results=with_results,
    )


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    """An object's keys, each given once: JSON leaves a repeated key undefined and Python
    keeps the last, which would drop what the file says first without a word."""
    found: dict = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key)
        found[key] = value
    return found


def _line_of_duplicate(text: str) -> int | None:
    """The line where the first object giving a key twice opens: the text parsed again with
    the json module's pure-Python scanner, which tells where each object starts (the fast one
    does not; this runs only for a file already refused)."""
    decoder = json.JSONDecoder()

    def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        text, start = s_and_end

        def unique(pairs):
            try:
                return _unique_keys(pairs)
            except _DuplicateKey:
                raise _DuplicateKey(text.count("\n", 0, start) + 1) from None

        return json.decoder.JSONObject(s_and_end, strict, scan_once, object_hook, unique, memo)

    decoder.parse_object = parse_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    try:
        decoder.decode(text)
    except _DuplicateKey as exc:
        return exc.args[0]
    except (ValueError, RecursionError):
        pass
    return None


def read_json(path: Path) -> Any:
    """A JSON file, parsed; ImportProblem (one line naming the file) if it cannot be read, is
    not JSON, or gives a key twice in one object."""
    text = read_text(path)
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        line = _line_of_duplicate(text)
        where = f"line {line}: " if line else ""
        raise ImportProblem(
            f'{path}: {where}the key "{shown(exc.args[0], 40)}" is given twice in one object'
        ) from None
    except json.JSONDecodeError as exc:
        raise ImportProblem(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise ImportProblem(f"{path}: not valid JSON (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise ImportProblem(f"{path}: not valid JSON ({shown(str(exc), 80)})") from None


def read_json_file(path: Path, *, with_results: bool = True) -> CeremonySpec:
    """A ceremony JSON file as a spec; ImportProblem (one line naming the file) if it cannot be
    read, is not JSON, gives a key twice in one object, or does not follow the format."""
    return ceremony_spec(read_json(path), source=str(path), with_results=with_results)
