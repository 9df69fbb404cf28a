"""The shared ceremony JSON format (shared/data/README.md), checked before anything is written."""

import datetime as dt
from typing import Any

from django.utils.text import slugify

from ceremony.importers.spec import (
    CategorySpec,
    CeremonySpec,
    FilmRef,
    ImportProblem,
    NominationSpec,
    PersonRef,
)
from ceremony.models import Category, Ceremony, Nomination
from ceremony.text import is_song_category, split_credit


def _require(cond: bool, where: str, problem: str) -> None:
    if not cond:
        raise ImportProblem(f"{where}: {problem}")


def validate_ceremony_data(data: Any, *, source: str) -> dict:
    """Check the whole file before anything is written; the first problem is named exactly."""
    _require(isinstance(data, dict), source, "the top level must be an object")
    for key in ("ceremony", "body"):
        _require(
            isinstance(data.get(key), str) and data[key].strip(), source, f'"{key}" is missing'
        )
    _require(
        type(data.get("edition")) is int and data["edition"] > 0,
        source,
        '"edition" must be a positive whole number',
    )
    for key, field_name in (("ceremony", "name"), ("venue", "venue")):
        limit = Ceremony._meta.get_field(field_name).max_length
        _require(
            len(data.get(key) or "") <= limit, source, f'"{key}" is longer than {limit} characters'
        )
    try:
        dt.date.fromisoformat(str(data.get("date")))
    except ValueError:
        raise ImportProblem(
            f'{source}: "date" must be YYYY-MM-DD, not {data.get("date")!r}'
        ) from None
    categories = data.get("categories")
    _require(
        isinstance(categories, list) and categories, source, '"categories" must be a non-empty list'
    )
    seen = set()
    for index, category in enumerate(categories, start=1):
        where = f"{source}: category {index}"
        _require(isinstance(category, dict), where, "must be an object")
        name = category.get("name")
        _require(isinstance(name, str) and name.strip(), where, '"name" is missing')
        where = f"{source}: category {index} ({name})"
        limit = Category._meta.get_field("name").max_length
        _require(len(name) <= limit, where, f'"name" is longer than {limit} characters')
        _require(slugify(name) not in seen, where, "appears twice")
        seen.add(slugify(name))
        nominees = category.get("nominees")
        _require(
            isinstance(nominees, list) and nominees, where, '"nominees" must be a non-empty list'
        )
        for n, nominee in enumerate(nominees, start=1):
            at = f"{where}, nominee {n}"
            _require(isinstance(nominee, dict), at, "must be an object")
            _require(
                isinstance(nominee.get("film"), str) and nominee["film"].strip(),
                at,
                '"film" is missing',
            )
            _require(
                nominee.get("nominee") is None or isinstance(nominee["nominee"], str),
                at,
                '"nominee" must be text or null',
            )
            for key, field_name in (("film", "film_title"), ("nominee", "nominee")):
                limit = Nomination._meta.get_field(field_name).max_length
                _require(
                    len(nominee.get(key) or "") <= limit,
                    at,
                    f'"{key}" is longer than {limit} characters',
                )
            _require(isinstance(nominee.get("won", False), bool), at, '"won" must be true or false')
    return data


def ceremony_spec(data: Any, *, source: str, with_results: bool = True) -> CeremonySpec:
    """TEMPORARY: replaced by the pydantic parser."""
    validate_ceremony_data(data, source=source)
    date = dt.date.fromisoformat(data["date"])
    categories = []
    for c in data["categories"]:
        name = c["name"].strip()
        song = is_song_category(name)
        noms = []
        for n in c["nominees"]:
            nominee = (n.get("nominee") or "").strip()
            noms.append(
                NominationSpec(
                    films=[FilmRef(n["film"].strip())],
                    nominee=nominee,
                    people=[]
                    if song or not nominee
                    else [PersonRef(p) for p in split_credit(nominee)],
                    won=bool(n.get("won")) and with_results,
                    detail=nominee if song else "",
                )
            )
        categories.append(
            CategorySpec(
                name=name, nominations=noms, competitive=None, tie=sum(x.won for x in noms) > 1
            )
        )
    return CeremonySpec(
        body=data["body"].strip(),
        edition=data["edition"],
        name=data["ceremony"].strip(),
        date=date,
        date_exact=True,
        film_year=str(date.year - 1),
        source=source,
        categories=categories,
        venue=data.get("venue") or "",
        curated=True,
        has_results=with_results,
    )


def read_json_file(path, *, with_results: bool = True) -> CeremonySpec:
    """TEMPORARY."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportProblem(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportProblem(f"{path}: not valid JSON ({exc})") from None
    return ceremony_spec(data, source=str(path), with_results=with_results)
