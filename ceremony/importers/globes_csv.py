"""golden_globe_awards.csv (1944-2020) read into one CeremonySpec per ceremony; television is out
of scope. No database: the same file gives the same specs, whatever is already imported.

Rules (docs/archive.md; the data report /work/notes/issue13-data.md):
- Every cell cleaned (`cells.clean`: tabs and double spaces collapsed, bidi controls removed). A
  malformed row is reported ("line N: problem; skipped") and the rest read.
- Film titles as readers know them (`globe_title`): "Two Popes, The" -> "The Two Popes";
  "Cyrano de Bergerac (1950)" and "Inherit the Wind - 1960" lose the year. In the picture
  categories the nominee column is the film; in the foreign-film ones the nominee is a country.
  A person category's nominee that is an inverted title with no film ("Deep End, The") is the
  film, its columns swapped: no person is made of it.
- People are split on commas, "Jr."/"Sr."/"II"/"III" kept with the name before them.
- Song nominees are "<title>, <writer>, <writer>…"; titles may hold commas. Only evidence inside
  this file decides where the title ends:
  1. a title in double quotes ends at the first quote followed by a comma or the end;
  2. otherwise the cell is split at commas outside parentheses ("Stay (Faraway, So Close!)"),
     and a writer "Jr." is glued back ("Harvey Mason, Jr.");
  3. the longest prefix equal to the film's title is the title ("New York, New York");
  4. else the title is the first part, with an inverted article after it glued back ("Way We
     Were, The" -> "The Way We Were");
  5. the title takes in the next parts only when no capitalized word of theirs belongs to a
     name credited in another row of the file's film categories, and every part after them is
     such a name ("Say You, Say Me, Lionel Richie"): writers are usually credited elsewhere,
     or share a given name or surname with someone who is; title fragments do not.
  No writer is ever a bare article or a "Jr.".
- Ties (the file has no notes): a competitive category with several winners is a tie, except
  when every nominee won (awards without a contest) and in the awards given to several by
  design (New Star, Henrietta, the Foreign Film awards until the 30th ceremony). Score rows of
  one film and one result are one nomination (the 58th's Gladiator is split over two rows).
- Ceremonies: "77th Golden Globe Awards", dated 20 January of the award year (a placeholder,
  `date_exact` False).
"""

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ceremony.importers import cells, spec
from ceremony.importers.spec import ImportProblem
from ceremony.models import Category, Film, Nomination, Person
from ceremony.text import name_key, ordinal, parse_number

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
# Awards given to several at once by design: several winners are not a tie.
SEVERAL_BY_DESIGN = ("New Star", "New Foreign Star", "Henrietta")
FOREIGN_FILM, LAST_SEVERAL_FOREIGN_FILMS = "Foreign Film", 30
ARTICLES = {"The", "A", "An"}
NAME_SUFFIXES = {"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"}
TITLE_YEAR = re.compile(r"\s*(?:\(\d{4}\)|-\s*\d{4})(?=(?:, (?:The|A|An))?$)")
INVERTED_ARTICLE = re.compile(r"^(?P<rest>.+), (?P<article>The|A|An)(?P<tail> \([^()]*\))?$")
QUOTED_TITLE = re.compile(r'^"(?P<title>.*?)"\s*(?:,(?P<rest>.*))?$')


def globe_date(year_award: int) -> dt.date:
    """golden_globe_awards.csv has no dates: 20 January of the award year, a placeholder."""
    return dt.date(year_award, 1, 20)


def uninvert(title: str) -> str:
    """'Way We Were, The' -> 'The Way We Were'; 'Fugitive, The (TV)' -> 'The Fugitive (TV)'."""
    match = INVERTED_ARTICLE.match(title)
    return f"{match['article']} {match['rest']}{match['tail'] or ''}" if match else title


def globe_title(title: str) -> str:
    """'Two Popes, The' -> 'The Two Popes'; 'Cyrano de Bergerac (1950)', 'Inherit the Wind -
    1960' and 'Manchurian Candidate (2004), The' lose their year."""
    return uninvert(TITLE_YEAR.sub("", " ".join(title.split())))


def comma_parts(text: str) -> list[str]:
    """'Stay (Faraway, So Close!), U2' -> ['Stay (Faraway, So Close!)', 'U2']; 'Harvey Mason,
    Jr.' stays one part."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    joined: list[str] = []
    for part in (p.strip() for p in parts):
        if part in NAME_SUFFIXES and joined:
            joined[-1] = f"{joined[-1]}, {part}"
        elif part:
            joined.append(part)
    return joined


def credited_names(text: str) -> list[str]:
    """The people of a credit: comma-separated, never a bare article."""
    return [part for part in comma_parts(text) if part not in ARTICLES]


def _title_key(title: str) -> str:
    return name_key(uninvert(title).replace("&", " and "))


def song_credit(
    nominee: str,
    film: str,
    credited: Callable[[str], bool] = lambda part: False,
    looks_like_name: Callable[[str], bool] = lambda part: True,
) -> tuple[str, list[str]]:
    """A song cell as (title, writers), by the rules in this module's docstring. `credited`: is
    this name credited elsewhere in the file; `looks_like_name`: does a word of it belong to a
    name credited elsewhere (without them, the title is never extended past rules 1-4)."""
    quoted = QUOTED_TITLE.match(nominee)
    if quoted:
        return quoted["title"].strip(), credited_names(quoted["rest"] or "")
    parts = comma_parts(nominee)
    if len(parts) <= 1:
        return uninvert(nominee.strip()), []
    film_key = _title_key(film)
    for end in range(len(parts), 0, -1):
        if _title_key(", ".join(parts[:end])) == film_key:
            return uninvert(", ".join(parts[:end])), credited_names(", ".join(parts[end:]))
    end = 2 if parts[1] in ARTICLES else 1
    for later in range(end + 1, len(parts)):
        if not any(looks_like_name(p) for p in parts[end:later]) and all(
            credited(p) for p in parts[later:]
        ):
            end = later
            break
    return uninvert(", ".join(parts[:end])), credited_names(", ".join(parts[end:]))


def is_television(category: str) -> bool:
    return any(w in category for w in ("Television", "Series", "Carol Burnett"))


def is_song(category: str) -> bool:
    return "Song" in category


@dataclass
class _Row:
    """A row of a film category, its cells cleaned, before songs are parsed."""

    line: int
    edition: int
    film_year: int
    award_year: int
    category: str
    nominee: str
    title: str
    won: bool


def parse_globe_row(line: int, fields: list[str]) -> _Row | None:
    """One row, or None for television (out of scope); ImportProblem says what is wrong."""
    if len(fields) != len(GLOBE_COLUMNS):
        raise ImportProblem(f"{len(fields)} columns, {len(GLOBE_COLUMNS)} expected")
    d = {}
    for column, cell in zip(GLOBE_COLUMNS, fields, strict=True):
        try:
            d[column] = cells.clean(cell)
        except ValueError as exc:
            raise ImportProblem(f"{column} {exc}") from None
    category = d["category"]
    if not category:
        raise ImportProblem("category is empty")
    if is_television(category):
        return None
    numbers = {}
    for column in ("year_film", "year_award", "ceremony"):
        numbers[column] = parse_number(d[column])
        if numbers[column] is None:
            raise ImportProblem(f"{column} {cells.shown(d[column])!r} is not a number")
    for column in ("year_film", "year_award"):
        if not cells.FIRST_YEAR <= numbers[column] <= cells.LAST_YEAR:
            raise ImportProblem(
                f"{column} {d[column]} is out of range ({cells.FIRST_YEAR}-{cells.LAST_YEAR})"
            )
    edition = cells.edition(d["ceremony"])
    if edition is None:
        raise ImportProblem(f"ceremony {cells.shown(d['ceremony'])!r} is not a ceremony number")
    if d["win"].upper() not in ("TRUE", "FALSE"):
        raise ImportProblem(f"win {d['win']!r} is not TRUE or FALSE")
    if not d["nominee"] and not d["title"]:
        raise ImportProblem("names neither a nominee nor a film")
    return _Row(
        line=line,
        edition=edition,
        film_year=numbers["year_film"],
        award_year=numbers["year_award"],
        category=category,
        nominee=d["nominee"],
        title=d["title"],
        won=d["win"].upper() == "TRUE",
    )


def _is_person_category(category: str) -> bool:
    return category not in GLOBE_FILM_NOMINEE and category not in GLOBE_COUNTRY_NOMINEE


class _Credits:
    """Who the file credits, for song cells: a writer is usually credited in another row (as a
    person, or as a writer of another song); a fragment of a song's title never is."""

    def __init__(self, rows: list[_Row]) -> None:
        self.names: dict[str, set[int]] = defaultdict(set)
        self.words: dict[str, set[int]] = defaultdict(set)
        for row in rows:
            if not _is_person_category(row.category):
                continue
            quoted = QUOTED_TITLE.match(row.nominee)
            if is_song(row.category) and quoted:
                names = credited_names(quoted["rest"] or "")
            elif is_song(row.category):
                # Every part after the first may be a writer; a title fragment found here only
                # counts for its own row, which is never evidence for itself.
                names = comma_parts(row.nominee)[1:]
            else:
                names = credited_names(row.nominee)
            for name in names:
                self.names[name_key(name)].add(row.line)
                for word in _capitalized_words(name):
                    self.words[word].add(row.line)

    def credited(self, name: str, line: int) -> bool:
        """Is this name credited in a row other than `line`?"""
        return bool(self.names.get(name_key(name), set()) - {line})

    def looks_like_name(self, part: str, line: int) -> bool:
        """Does a capitalized word of `part` belong to a name credited in another row?"""
        return any(self.words.get(word, set()) - {line} for word in _capitalized_words(part))


def _capitalized_words(name: str) -> list[str]:
    return [name_key(w) for w in name.split() if w[:1].isupper() and len(name_key(w)) > 1]


def _nomination(row: _Row, credits: _Credits) -> spec.NominationSpec:
    nominee, film, people, detail = row.nominee, row.title, [], ""
    if row.category in GLOBE_FILM_NOMINEE:
        film, nominee = row.nominee, row.title
    elif is_song(row.category):
        detail, people = song_credit(
            row.nominee,
            globe_title(row.title),
            lambda part: credits.credited(part, row.line),
            lambda part: credits.looks_like_name(part, row.line),
        )
        nominee = detail
    elif row.category not in GLOBE_COUNTRY_NOMINEE:
        if not film and INVERTED_ARTICLE.match(nominee):
            # A film in the nominee column and no person ("Deep End, The"): columns swapped.
            film, nominee = nominee, ""
        people = credited_names(nominee)
    films = [spec.FilmRef(globe_title(film))] if film else []
    cells.check_lengths(
        ("category", [row.category], Category, "name"),
        ("title", [f.title for f in films], Film, "title"),
        ("nominee", [nominee, detail], Nomination, "nominee"),
        ("nominee", people, Person, "name"),
    )
    return spec.NominationSpec(
        films=films,
        nominee=nominee,
        people=[spec.PersonRef(name) for name in people],
        won=row.won,
        detail=detail,
        place=f"line {row.line}",
    )


def _merge_split_scores(
    category: str, nominations: list[spec.NominationSpec]
) -> list[spec.NominationSpec]:
    """Score rows of one film and one result are one nomination shared by its composers."""
    if "Score" not in category:
        return nominations
    merged: dict[tuple, spec.NominationSpec] = {}
    for n in nominations:
        key = (tuple(name_key(f.title) for f in n.films), n.won)
        if key in merged and n.films:
            first = merged[key]
            first.people = first.people + n.people
            first.nominee = ", ".join(p for p in (first.nominee, n.nominee) if p)
            first.place = f"{first.place}, {n.place.removeprefix('line ')}"
        else:
            merged[key if n.films else (id(n),)] = n
    return list(merged.values())


def _is_tie(category: str, edition: int, nominations: list[spec.NominationSpec]) -> bool:
    winners = sum(n.won for n in nominations)
    by_design = category.startswith(SEVERAL_BY_DESIGN) or (
        category.startswith(FOREIGN_FILM) and edition <= LAST_SEVERAL_FOREIGN_FILMS
    )
    return 1 < winners < len(nominations) and not by_design


def _ceremony(
    edition: int, rows: list[tuple[_Row, spec.NominationSpec]], source: str
) -> spec.CeremonySpec:
    by_category: dict[str, list[spec.NominationSpec]] = {}
    for row, nomination in rows:
        by_category.setdefault(row.category, []).append(nomination)
    categories = []
    for name, nominations in by_category.items():
        nominations = _merge_split_scores(name, nominations)
        competitive = name not in GLOBE_NON_COMPETITIVE
        categories.append(
            spec.CategorySpec(
                name=name,
                nominations=nominations,
                competitive=competitive,
                tie=competitive and _is_tie(name, edition, nominations),
            )
        )
    first = rows[0][0]
    return spec.CeremonySpec(
        body=GLOBES,
        edition=edition,
        name=f"{ordinal(edition)} {GLOBES}",
        date=globe_date(first.award_year),
        date_exact=False,
        film_year=str(first.film_year),
        source=source,
        categories=categories,
        curated=False,
    )


def read_globes(path: Path) -> spec.ReadResult:
    """The film ceremonies of golden_globe_awards.csv, sorted by edition; a malformed row is
    reported in `problems` and skipped, television counted in `ignored`. ImportProblem if the
    file cannot be read or is not golden_globe_awards.csv."""
    result = spec.ReadResult()
    records = cells.csv_records(cells.read_text(path))
    header = next(records, (1, []))[1]
    if isinstance(header, ImportProblem) or [h.strip() for h in header] != GLOBE_COLUMNS:
        raise ImportProblem(
            f"{path}: not golden_globe_awards.csv (header {','.join(GLOBE_COLUMNS)})"
        )
    rows: list[_Row] = []
    problems: list[tuple[int, str]] = []
    years: dict[int, tuple[int, int]] = {}
    for line, fields in records:
        if isinstance(fields, list) and not any(c.strip() for c in fields):
            continue
        result.rows += 1
        try:
            if isinstance(fields, ImportProblem):
                raise fields
            row = parse_globe_row(line, fields)
            if row is not None:
                year = years.setdefault(row.edition, (row.film_year, row.award_year))
                if year != (row.film_year, row.award_year):
                    raise ImportProblem(
                        f"years {row.film_year}/{row.award_year} differ from the "
                        f"{ordinal(row.edition)} ceremony's {year[0]}/{year[1]}"
                    )
        except ImportProblem as exc:
            problems.append((line, str(exc)))
            continue
        if row is None:
            result.ignored += 1
        else:
            rows.append(row)
    # Songs are parsed once every row is read: a writer credited elsewhere is evidence.
    credits = _Credits(rows)
    by_edition: dict[int, list[tuple[_Row, spec.NominationSpec]]] = defaultdict(list)
    for row in rows:
        try:
            nomination = _nomination(row, credits)
        except ImportProblem as exc:
            problems.append((row.line, str(exc)))
            continue
        by_edition[row.edition].append((row, nomination))
    result.problems = [f"line {line}: {problem}; skipped" for line, problem in sorted(problems)]
    result.skipped = len(problems)
    result.ceremonies = [
        _ceremony(edition, members, str(path)) for edition, members in sorted(by_edition.items())
    ]
    return result
