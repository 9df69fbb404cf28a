"""oscars.csv (DLu/oscar_data, tab-separated; format in shared/data/README.md) read into rows."""

import csv
import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from ceremony.importers.rows import ImportProblem, ReadResult, Row
from ceremony.text import join_labels

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
CREDIT_LABEL = re.compile(r"^(in collaboration with|with)\s+", re.IGNORECASE)
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to"}
ROMAN = re.compile(r"^[IVX]+$")


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


def first_year(film_year: str) -> int:
    return int(film_year[:4])


def oscar_date(film_year: str) -> dt.date:
    """oscars.csv has no dates: the ceremony is dated 1 March after its films' (last) year.

    '1927/28' -> 1929-03-01. A ceremony also imported from JSON keeps the JSON's exact date.
    """
    last = int(film_year[:4]) if "/" not in film_year else int(film_year[:2] + film_year[-2:])
    return dt.date(last + 1, 3, 1)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|")] if value.strip() else []


def parse_oscar_row(line: int, cells: list[str]) -> Row | None:
    """A row of oscars.csv, or None for a row that is not a nomination; raises ImportProblem."""
    if len(cells) > len(OSCAR_COLUMNS):
        raise ImportProblem(f"{len(cells)} columns, at most {len(OSCAR_COLUMNS)} expected")
    if len(cells) < 6:
        raise ImportProblem(f"{len(cells)} columns, at least 6 (Ceremony to Film) expected")
    d = dict(zip(OSCAR_COLUMNS, [c.strip() for c in cells] + [""] * 14, strict=False))
    # The 1930s preliminary lists are not nominations; but a winner among them (the 2nd
    # ceremony announced winners only; write-in winners) did win, so it is kept.
    if UNOFFICIAL in d["Note"].upper() and d["Winner"] != "True":
        return None
    if not d["Ceremony"].isdigit() or int(d["Ceremony"]) < 1:
        raise ImportProblem(f"Ceremony {d['Ceremony']!r} is not a ceremony number")
    if not re.fullmatch(r"\d{4}(/\d{2})?", d["Year"]):
        raise ImportProblem(f"Year {d['Year']!r} is not a film year like 2024 or 1927/28")
    if d["Class"] not in OSCAR_CLASSES | OSCAR_NON_COMPETITIVE:
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
    ids = ids or [""] * len(names)
    film_ids = film_ids or [""] * len(titles)
    people = []
    for name, imdb_id in zip(names, ids, strict=True):
        name = CREDIT_LABEL.sub("", name)
        # Only IMDb name ids identify a person: `co` ids are companies, `?` is unknown.
        if imdb_id.startswith("nm"):
            people.append((name, imdb_id))
    credited = [CREDIT_LABEL.sub("", n) for n in names]
    song = d["CanonicalCategory"] == SONG
    detail = d["Detail"].replace("|", "; ")
    # A song's nominee is its title, as in the JSON files.
    nominee = detail if song and detail else join_labels(credited) or d["Name"]
    return Row(
        line=line,
        edition=int(d["Ceremony"]),
        film_year=d["Year"],
        category=display_category(d["Category"]),
        canonical=d["CanonicalCategory"],
        competitive=d["Class"] not in OSCAR_NON_COMPETITIVE,
        films=[
            (t, i if i.startswith("tt") else None) for t, i in zip(titles, film_ids, strict=True)
        ],
        nominee=nominee[:1000],
        people=people,
        won=d["Winner"] == "True",
        detail=(detail or d["Citation"])[:1000],
        song=song,
    )


def read_oscars(path: Path, *, editions: Iterable[int] | None = None) -> ReadResult:
    wanted = set(editions) if editions else None
    result = ReadResult()
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:5]] != OSCAR_COLUMNS[:5]:
            raise ImportProblem(f"{path}: not oscars.csv (the header should start Ceremony, Year)")
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if wanted and cells[0].strip().isdigit() and int(cells[0]) not in wanted:
                continue
            try:
                row = parse_oscar_row(reader.line_num, cells)
            except ImportProblem as exc:
                result.problems.append(f"line {reader.line_num}: {exc}; skipped")
                result.skipped += 1
                continue
            if row is None:
                result.ignored += 1
            else:
                result.rows.append(row)
    return result
