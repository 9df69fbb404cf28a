"""oscars.csv (DLu/oscar_data, tab-separated; shared/data/README.md) read into one CeremonySpec
per ceremony. No database: the same file gives the same specs, whatever is already imported.

Rules (docs/archive.md; the data report /work/notes/issue13-data.md):
- Every cell: `\\"` unescaped, then cleaned (`cells.clean`). A malformed row is reported
  ("line N: problem; skipped") and the rest read.
- Rows whose Note says NOT AN OFFICIAL NOMINATION (the 1930s preliminary lists) are ignored,
  except winners (the 2nd ceremony announced winners only; a write-in winner won).
- Class SciTech and Special are not competitive. Today's categories take the names readers use
  ("Best Actor"); older ones are shown in title case.
- A tie only where the file says so: two or more winners of a competitive category, each with a
  Note saying "A tie". Several winners otherwise (6th Assistant Director, one per studio; 15th
  Documentary) are several by design.
- People are `nm` ids only (`co` companies and `?` unknown stay in the credit text). One display
  spelling per id across the whole file: the most frequent one not in capitals, the latest
  ceremony's breaking a tie; the others are `ReadResult.aliases`.
- The Note, split on `|`, with its `NOTE: ` prefixes stripped, is kept on the nomination.
- Ceremonies: "97th Academy Awards", dated 1 March of the year they were held (the file has no
  dates: a placeholder, `date_exact` False).
"""

import csv
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ceremony.importers import cells, spec
from ceremony.importers.spec import ImportProblem
from ceremony.models import Category, Film, Nomination, Person
from ceremony.text import join_labels, ordinal

OSCARS = "Academy Awards"

OSCAR_COLUMNS = [
    "Ceremony",
    "Year",
    "Class",
    "CanonicalCategory",
    "Category",
    "Film",
    "FilmId",
    "Name",
    "Nominees",
    "NomineeIds",
    "Winner",
    "Detail",
    "Note",
    "Citation",
]
OSCAR_CLASSES = {"Acting", "Directing", "Writing", "Music", "Production", "Title"}
# Honorary and scientific/technical awards: kept and shown apart, never tallied.
OSCAR_NON_COMPETITIVE = {"SciTech", "Special"}
ALL_CLASSES = OSCAR_CLASSES | OSCAR_NON_COMPETITIVE
UNOFFICIAL = "NOT AN OFFICIAL NOMINATION"
SONG = "MUSIC (Original Song)"
# The names the JSON files (and readers) use for today's categories, so that a ceremony imported
# from both sources is one ceremony with one set of categories, whichever came first.
OSCAR_DISPLAY_NAMES = {
    "ACTOR IN A LEADING ROLE": "Best Actor",
    "ACTOR IN A SUPPORTING ROLE": "Best Supporting Actor",
    "ACTRESS IN A LEADING ROLE": "Best Actress",
    "ACTRESS IN A SUPPORTING ROLE": "Best Supporting Actress",
    "ANIMATED FEATURE FILM": "Best Animated Feature",
    "ANIMATED SHORT FILM": "Best Animated Short",
    "SHORT FILM (Animated)": "Best Animated Short",
    "BEST PICTURE": "Best Picture",
    "CINEMATOGRAPHY": "Best Cinematography",
    "COSTUME DESIGN": "Best Costume Design",
    "DIRECTING": "Best Director",
    "DOCUMENTARY FEATURE FILM": "Best Documentary Feature",
    "DOCUMENTARY (Feature)": "Best Documentary Feature",
    "DOCUMENTARY SHORT FILM": "Best Documentary Short",
    "DOCUMENTARY (Short Subject)": "Best Documentary Short",
    "FILM EDITING": "Best Film Editing",
    "INTERNATIONAL FEATURE FILM": "Best International Feature Film",
    "MAKEUP AND HAIRSTYLING": "Best Makeup and Hairstyling",
    "MUSIC (Original Score)": "Best Original Score",
    "MUSIC (Original Song)": "Best Original Song",
    "PRODUCTION DESIGN": "Best Production Design",
    "SHORT FILM (Live Action)": "Best Live Action Short",
    "LIVE ACTION SHORT FILM": "Best Live Action Short",
    "SOUND": "Best Sound",
    "VISUAL EFFECTS": "Best Visual Effects",
    "WRITING (Adapted Screenplay)": "Best Adapted Screenplay",
    "WRITING (Original Screenplay)": "Best Original Screenplay",
}
# A credit label inside a name: "In collaboration with Thomas Bidegain", "Screenplay - Justine
# Triet".
CREDIT_LABEL = re.compile(r"^(?:in collaboration with|with|screenplay -)\s+", re.IGNORECASE)
NOTE_PREFIX = re.compile(r"^(?:NOTE:\s*)+")
TIE_NOTE = re.compile(r"\bA tie\b")
FILM_YEAR = re.compile(r"(?P<first>[0-9]{4})(?:/(?P<last>[0-9]{2}))?")
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to"}
ROMAN = re.compile(r"^[IVX]+$")


@cache
def display_category(name: str) -> str:
    """'ACTOR IN A LEADING ROLE' -> 'Best Actor'; older names in title case, as a reader expects."""
    if name in OSCAR_DISPLAY_NAMES:
        return OSCAR_DISPLAY_NAMES[name]
    words = []
    for index, word in enumerate(name.split(" ")):
        if word.isupper() and not ROMAN.match(word.strip("()")):
            word = word.lower() if index and word.lower() in SMALL_WORDS else word.capitalize()
        words.append(word)
    return " ".join(words)


def held_year(film_year: str) -> int:
    """The year a ceremony was held: the year after its films' (last) year; '1927/28' -> 1929."""
    match = FILM_YEAR.fullmatch(film_year)
    if match is None:
        raise ValueError(f"not a film year: {film_year!r}")
    first = int(match["first"])
    last = first if match["last"] is None else first + (int(match["last"]) - first) % 100
    return last + 1


def oscar_date(film_year: str) -> dt.date:
    """oscars.csv has no dates: 1 March of the year the ceremony was held, a placeholder."""
    return dt.date(held_year(film_year), 3, 1)


def clean_note(note: str) -> str:
    """'came in 3rd|NOTE: NOTE: A tie.' -> 'came in 3rd; A tie.'"""
    parts = [NOTE_PREFIX.sub("", part.strip()).strip() for part in note.split("|")]
    return "; ".join(part for part in parts if part)


def is_shouted(name: str) -> bool:
    """'FARCIOT EDOUART', 'BRIAN McLEAN': a spelling in capitals (the SciTech credits)."""
    letters = sum(map(str.isalpha, name))
    return letters >= 4 and sum(map(str.islower, name)) * 4 < letters


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|")] if value else []


@dataclass
class _Row:
    """A nomination read from one line, before the ceremony it belongs to is built."""

    line: int
    edition: int
    film_year: str
    category: str
    canonical: str
    competitive: bool
    nomination: spec.NominationSpec


def parse_oscar_row(line: int, fields: list[str]) -> _Row | None:
    """One row of oscars.csv, or None for a row that is not a nomination; ImportProblem says
    what is wrong with a malformed one (the reader adds the line)."""
    if len(fields) > len(OSCAR_COLUMNS):
        raise ImportProblem(f"{len(fields)} columns, at most {len(OSCAR_COLUMNS)} expected")
    if len(fields) < 6:
        raise ImportProblem(f"{len(fields)} columns, at least 6 (Ceremony to Film) expected")
    try:
        values = [cells.clean(cell.replace('\\"', '"')) if cell else "" for cell in fields]
    except ValueError:
        for column, cell in zip(OSCAR_COLUMNS, fields, strict=False):
            try:
                cells.clean(cell.replace('\\"', '"'))
            except ValueError as exc:
                raise ImportProblem(f"{column} {exc}") from None
        raise
    d = dict(zip(OSCAR_COLUMNS, values + [""] * (len(OSCAR_COLUMNS) - len(values)), strict=True))
    # The 1930s preliminary lists are not nominations; but a winner among them (the 2nd
    # ceremony announced winners only; write-in winners) did win, so it is kept.
    if UNOFFICIAL in d["Note"].upper() and d["Winner"] != "True":
        return None
    edition = cells.edition(d["Ceremony"])
    if edition is None:
        raise ImportProblem(f"Ceremony {cells.shown(d['Ceremony'])!r} is not a ceremony number")
    if not FILM_YEAR.fullmatch(d["Year"]):
        raise ImportProblem(
            f"Year {cells.shown(d['Year'])!r} is not a film year like 2024 or 1927/28"
        )
    if not cells.FIRST_YEAR <= int(d["Year"][:4]) < held_year(d["Year"]) <= cells.LAST_YEAR:
        raise ImportProblem(
            f"Year {d['Year']!r} is out of range ({cells.FIRST_YEAR}-{cells.LAST_YEAR})"
        )
    if d["Class"] not in ALL_CLASSES:
        raise ImportProblem(f"Class {d['Class']!r} is unknown")
    if not d["Category"]:
        raise ImportProblem("Category is empty")
    if d["Winner"] not in ("", "True", "False"):
        raise ImportProblem(f"Winner {d['Winner']!r} is not True or empty")
    titles, film_ids = _split(d["Film"]), _split(d["FilmId"])
    if film_ids and len(film_ids) != len(titles):
        raise ImportProblem(f"{len(titles)} films but {len(film_ids)} film ids")
    names, ids = _split(d["Nominees"]), _split(d["NomineeIds"])
    if ids and len(ids) != len(names):
        raise ImportProblem(f"{len(names)} nominees but {len(ids)} nominee ids")
    if not (titles or names or d["Name"] or d["Citation"]):
        raise ImportProblem("names neither a film nor a nominee")
    credited = [CREDIT_LABEL.sub("", name) for name in names]
    # Only IMDb name ids identify a person: `co` ids are companies, `?` is unknown.
    people = [
        spec.PersonRef(name, imdb_id)
        for name, imdb_id in zip(credited, ids, strict=False)
        if imdb_id.startswith("nm")
    ]
    song = d["CanonicalCategory"] == SONG
    detail = d["Detail"].replace("|", "; ")
    # A song's nominee is its title, as in the JSON files.
    nominee = detail if song and detail else join_labels(credited) or d["Name"]
    films = [
        spec.FilmRef(title, imdb_id if imdb_id.startswith("tt") else None)
        for title, imdb_id in zip(titles, film_ids or [""] * len(titles), strict=True)
    ]
    category = display_category(d["Category"])
    cells.check_lengths(
        ("Category", [category], Category, "name"),
        ("Film", [f.title for f in films], Film, "title"),
        ("Film", [" / ".join(f.title for f in films)], Nomination, "film_title"),
        ("Nominees", [nominee], Nomination, "nominee"),
        ("Detail", [detail or d["Citation"]], Nomination, "detail"),
        ("Nominees", [p.name for p in people], Person, "name"),
    )
    return _Row(
        line=line,
        edition=edition,
        film_year=d["Year"],
        category=category,
        canonical=d["CanonicalCategory"],
        competitive=d["Class"] not in OSCAR_NON_COMPETITIVE,
        nomination=spec.NominationSpec(
            films=films,
            nominee=nominee,
            people=people,
            won=d["Winner"] == "True",
            detail=detail or d["Citation"],
            note=clean_note(d["Note"]),
            place=f"line {line}",
        ),
    )


def _display_names(rows: list[_Row]) -> dict[str, tuple[str, set[str]]]:
    """IMDb id -> (display spelling, other spellings): the most frequent spelling not in
    capitals; on a tie, the latest ceremony's; then the first in the file."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    latest: dict[tuple[str, str], int] = {}
    for row in rows:
        for person in row.nomination.people:
            counts[person.imdb_id][person.name] += 1
            latest[person.imdb_id, person.name] = row.edition
    names = {}
    for imdb_id, spellings in counts.items():
        best = max(
            spellings,
            key=lambda s: (not is_shouted(s), spellings[s], latest[imdb_id, s]),
        )
        names[imdb_id] = (best, set(spellings) - {best})
    return names


def _ceremony(edition: int, rows: list[_Row], source: str) -> spec.CeremonySpec:
    by_category: dict[str, list[_Row]] = {}
    for row in rows:
        by_category.setdefault(row.category, []).append(row)
    categories = []
    for name, members in by_category.items():
        nominations = [r.nomination for r in members]
        winners = [n for n in nominations if n.won]
        competitive = members[0].competitive
        categories.append(
            spec.CategorySpec(
                name=name,
                nominations=nominations,
                canonical=members[0].canonical,
                competitive=competitive,
                tie=competitive
                and len(winners) > 1
                and all(TIE_NOTE.search(n.note) for n in winners),
            )
        )
    film_year = rows[0].film_year
    return spec.CeremonySpec(
        body=OSCARS,
        edition=edition,
        name=f"{ordinal(edition)} {OSCARS}",
        date=oscar_date(film_year),
        date_exact=False,
        film_year=film_year,
        source=source,
        categories=categories,
        curated=False,
    )


def read_oscars(path: Path, *, editions: Iterable[int] | None = None) -> spec.ReadResult:
    """The ceremonies of oscars.csv (only `editions`, if given), sorted by edition; a malformed
    row is reported in `problems` and skipped. ImportProblem if the file cannot be read or is
    not oscars.csv. Display spellings are chosen across the whole file, whatever `editions`."""
    wanted = set(editions) if editions else None
    result = spec.ReadResult()
    records = cells.csv_records(cells.read_text(path), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(records, (1, []))[1]
    if isinstance(header, ImportProblem) or [h.strip() for h in header[:5]] != OSCAR_COLUMNS[:5]:
        raise ImportProblem(f"{path}: not oscars.csv (the header should start Ceremony, Year)")
    rows: list[_Row] = []
    years: dict[int, str] = {}
    for line, fields in records:
        if isinstance(fields, list) and not any(c.strip() for c in fields):
            continue
        edition = fields[0].strip() if isinstance(fields, list) else ""
        in_scope = wanted is None or cells.edition(edition) in wanted | {None}
        result.rows += in_scope
        try:
            if isinstance(fields, ImportProblem):
                raise fields
            row = parse_oscar_row(line, fields)
            if row is not None and years.setdefault(row.edition, row.film_year) != row.film_year:
                raise ImportProblem(
                    f"Year {row.film_year!r} differs from the {ordinal(row.edition)} "
                    f"ceremony's {years[row.edition]!r}"
                )
        except ImportProblem as exc:
            if in_scope:
                result.problems.append(f"line {line}: {exc}; skipped")
                result.skipped += 1
            continue
        if row is None:
            result.ignored += in_scope
        else:
            rows.append(row)
    names = _display_names(rows)
    by_edition: dict[int, list[_Row]] = defaultdict(list)
    for row in rows:
        if wanted is None or row.edition in wanted:
            row.nomination.people = [
                spec.PersonRef(names[p.imdb_id][0], p.imdb_id) for p in row.nomination.people
            ]
            for person in row.nomination.people:
                if names[person.imdb_id][1]:
                    result.aliases[person.imdb_id] = set(names[person.imdb_id][1])
            by_edition[row.edition].append(row)
    result.ceremonies = [
        _ceremony(edition, members, str(path)) for edition, members in sorted(by_edition.items())
    ]
    return result
