"""What every parser produces and the one import writer (`ceremony.services.imports`) consumes:
a ceremony as a file states it, checked, with no identity resolved yet.

Three parsers feed it (the ceremony JSON, oscars.csv, golden_globe_awards.csv), so one set of
rules decides slugs, ties, dates, statuses and matching, whichever file came first.
"""

import datetime as dt
from dataclasses import dataclass, field


class ImportProblem(Exception):
    """A file, or a row of it, that cannot be imported; the message names the place and the
    problem in one line."""


@dataclass(frozen=True)
class FilmRef:
    title: str
    imdb_id: str | None = None


@dataclass(frozen=True)
class PersonRef:
    name: str
    imdb_id: str | None = None


@dataclass
class NominationSpec:
    films: list[FilmRef]
    # The credit as shown: "A, B and C", the song's title, a country.
    nominee: str
    people: list[PersonRef]
    won: bool = False
    # Role, song title or citation.
    detail: str = ""
    # The source's own note where it explains the row: a refusal, a placement, a write-in.
    note: str = ""
    # Where the row stands in its file, for messages ("line 1234").
    place: str = ""


@dataclass
class CategorySpec:
    name: str
    nominations: list[NominationSpec]
    # The category's name across years (oscars.csv's CanonicalCategory).
    canonical: str = ""
    # None: the source does not say (the JSON format); honorary and technical awards are False.
    competitive: bool | None = True
    # The source says its winners tied; several winners otherwise are several by design.
    tie: bool = False

    @property
    def winners(self) -> int:
        return sum(n.won for n in self.nominations)


@dataclass
class CeremonySpec:
    body: str
    edition: int
    name: str
    # When it was held: exact where the source gives the day, else a placeholder in the right
    # year (for ordering and seasons) with `date_exact` False, and pages show the year only.
    date: dt.date
    date_exact: bool
    # The films' year as the body states it: "2024", "1927/28".
    film_year: str
    source: str
    categories: list[CategorySpec] = field(default_factory=list)
    venue: str = ""
    # The source's order of categories and nominees is the show's (the curated JSON files);
    # a listing's order (the CSVs) only places what is new.
    curated: bool = False
    # The source states the results (won flags); without, only nominees are loaded.
    has_results: bool = True
    # The source names films only, never people (the IMDb awards files).
    film_only: bool = False

    @property
    def first_film_year(self) -> int:
        return int(self.film_year[:4])

    @property
    def decided(self) -> bool:
        """Every competitive category has a winner: the ceremony is over."""
        return all(c.winners for c in self.categories if c.competitive is not False)


@dataclass
class ReadResult:
    """What a CSV parser read: the ceremonies in it, and what it left out and why."""

    # One per edition, sorted by edition.
    ceremonies: list[CeremonySpec] = field(default_factory=list)
    # One line per malformed row: "line 12: Winner 'Maybe' is not True or empty; skipped".
    problems: list[str] = field(default_factory=list)
    # Malformed rows (each in `problems`).
    skipped: int = 0
    # Rows that are not nominations (the 1930s preliminary lists) or out of scope (television).
    ignored: int = 0
    # Data rows read (blank lines aside; with `editions`, those of the editions asked for).
    rows: int = 0
    # IMDb id -> the other spellings of that person's name in the file (PersonRef.name is the
    # display spelling), for the writer to keep as aliases.
    aliases: dict[str, set[str]] = field(default_factory=dict)
