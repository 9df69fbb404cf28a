"""golden_globe_awards.csv (1944-2020) read into rows; television categories are out of scope."""

import csv
import datetime as dt
import re
from pathlib import Path

from ceremony.importers.rows import ImportProblem, ReadResult, Row

GLOBES = "Golden Globe Awards"

GLOBE_COLUMNS = ["year_film", "year_award", "ceremony", "category", "nominee", "title", "win"]
# Categories whose `nominee` column names the film (the `title` column is empty or the country).
GLOBE_FILM_NOMINEE = {
    "Picture",
    "Picture - Comedy",
    "Picture - Musical",
    "Best Motion Picture - Drama",
    "Best Motion Picture - Musical or Comedy",
    "Best Motion Picture - Animated",
    "Best Motion Picture - Foreign Language",
    "Documentary",
    "Outstanding Use Of Color",
}
# Their `nominee` is a country and a director, not people we can identify.
GLOBE_COUNTRY_NOMINEE = {
    "Best Motion Picture - Foreign Language",
    "Foreign Film - Foreign Language",
    "Foreign Film - English Language",
    "Samuel Goldwyn International Award",
}
GLOBE_NON_COMPETITIVE = {
    "Cecil B. deMille Award",
    "Henrietta Award (World Film Favorite)",
    "Henrietta Award (World Film Favorites)",
    "Special Achievement Award",
    "Hollywood Citizenship Award",
    "International News Coverage",
    "Famous Silent Filmstars",
    "Juvenile Performance",
}
INVERTED_ARTICLE = re.compile(r"^(?P<rest>.+), (?P<article>The|A|An)$")
TITLE_YEAR = re.compile(r"\s+\(\d{4}\)$")


def globe_date(year_award: int) -> dt.date:
    """golden_globe_awards.csv has no dates either: 20 January of the award year."""
    return dt.date(year_award, 1, 20)


def globe_title(title: str) -> str:
    """'Two Popes, The' -> 'The Two Popes'; 'Cyrano de Bergerac (1950)' -> 'Cyrano de Bergerac'."""
    title = TITLE_YEAR.sub("", title.strip())
    match = INVERTED_ARTICLE.match(title)
    return f"{match['article']} {match['rest']}" if match else title


def is_television(category: str) -> bool:
    return any(w in category for w in ("Television", "Series", "Carol Burnett"))


def parse_globe_row(line: int, d: dict[str, str]) -> Row | None:
    if None in d or any(d.get(c) is None for c in GLOBE_COLUMNS):
        raise ImportProblem(f"{len(GLOBE_COLUMNS)} columns expected")
    d = {k: (v or "").strip() for k, v in d.items()}
    category = d["category"]
    if not category:
        raise ImportProblem("category is empty")
    if is_television(category):
        return None
    for column in ("year_film", "year_award", "ceremony"):
        if not d[column].isdigit():
            raise ImportProblem(f"{column} {d[column]!r} is not a number")
    if d["win"].upper() not in ("TRUE", "FALSE"):
        raise ImportProblem(f"win {d['win']!r} is not TRUE or FALSE")
    nominee, title = d["nominee"], d["title"]
    if not nominee and not title:
        raise ImportProblem("names neither a nominee nor a film")
    people: list[tuple[str, str | None]] = []
    detail = ""
    song = "Song" in category
    if category in GLOBE_FILM_NOMINEE:
        film, nominee = nominee, title
    else:
        film = title
        if song:
            detail, _, credits = nominee.partition(", ")
            people = [(n, None) for n in credits.split(", ") if n]
            nominee = detail
        elif category not in GLOBE_COUNTRY_NOMINEE:
            people = [(n.strip(), None) for n in nominee.split(", ") if n.strip()]
    return Row(
        line=line,
        edition=int(d["ceremony"]),
        film_year=d["year_film"],
        category=category,
        canonical="",
        competitive=category not in GLOBE_NON_COMPETITIVE,
        films=[(globe_title(film), None)] if film else [],
        nominee=nominee[:1000],
        people=people,
        won=d["win"].upper() == "TRUE",
        detail=detail,
        song=song,
    )


def read_globes(path: Path) -> tuple[ReadResult, dict[int, int]]:
    """The rows, and each ceremony's award year (for its date)."""
    result = ReadResult()
    years: dict[int, int] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != GLOBE_COLUMNS:
            raise ImportProblem(f"{path}: not golden_globe_awards.csv (header {GLOBE_COLUMNS})")
        for d in reader:
            try:
                row = parse_globe_row(reader.line_num, d)
            except ImportProblem as exc:
                result.problems.append(f"line {reader.line_num}: {exc}; skipped")
                result.skipped += 1
                continue
            if row is None:
                result.ignored += 1
                continue
            years.setdefault(row.edition, int(d["year_award"]))
            result.rows.append(row)
    return result, years
