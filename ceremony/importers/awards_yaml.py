"""The IMDb awards files (third_party/imdb-awards/*.yml): one body's ceremonies by year, each
category's nominees and winners as IMDb title ids, never people. The body is the file's own
(the IMDb event id in its comments, looked up in precursors.json); the whole file is validated
(pydantic) before anything is written, and a problem is one line naming file, place and problem.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError, model_validator

from ceremony.importers.cells import FIRST_YEAR, LAST_YEAR, read_text, shown
from ceremony.importers.spec import CategorySpec, CeremonySpec, FilmRef, ImportProblem
from ceremony.importers.spec import NominationSpec as Nominee
from ceremony.precursors import season_bodies
from ceremony.text import ordinal

EVENT = re.compile(r"imdb\.com/event/(ev\d+)/")
# Television and the like, in the awards a film body shares with them.
NOT_FILM = re.compile(
    r"\b(television|tv|series|miniseries|talk show|comedy special|reality|made for tv)\b"
)
SMALL_WORDS = {"a", "an", "and", "any", "by", "for", "from", "in", "not", "of", "on", "or", "the"}

TitleId = Annotated[str, Field(pattern=r"^tt\d{7,10}$")]
YearKey = Annotated[str, Field(pattern=r"^\d{4}(-[2-9])?$")]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nominee: list[TitleId] = []
    winner: list[TitleId] = []

    @model_validator(mode="after")
    def winners_are_nominees(self):
        if missing := [w for w in self.winner if w not in self.nominee]:
            raise ValueError(f"winner {missing[0]} is not among the nominees")
        return self


class _File(RootModel):
    root: dict[YearKey, dict[str, dict[str, _Entry] | None] | None]


@dataclass
class AwardCategory:
    award: str
    # As in the file (lower case): what precursors.json's names are.
    name: str
    nominees: list[str]
    winners: list[str]

    @property
    def shown(self) -> str:
        """The name as pages show it: "Best Film Not in the English Language"."""
        words = self.name.split(" ")
        return " ".join(
            w if i and w in SMALL_WORDS else re.sub(r"(^|[(/-])([a-z])", _upper, w)
            for i, w in enumerate(words)
        )


def _upper(match: re.Match) -> str:
    return match.group(1) + match.group(2).upper()


@dataclass
class AwardYear:
    key: str
    held_year: int
    # The Oscar night's year of the season it belongs to.
    season: int
    edition: int
    date: dt.date
    categories: list[AwardCategory] = field(default_factory=list)


@dataclass
class AwardsFile:
    path: Path
    event: str
    body: dict
    years: list[AwardYear]
    # Nominations left out: other awards (television, games, honorary), television categories.
    ignored: int = 0

    @property
    def is_check(self) -> bool:
        return self.body["role"] == "check"

    def written(self, year: "AwardYear") -> bool:
        """Is this year written into the archive? Every year of a precursor body; of a second
        source, only the years no other file covers (`fills_from`: the Globes from 2026)."""
        return not self.is_check or year.held_year >= self.body.get("fills_from", 10_000)

    @property
    def checked_years(self) -> list["AwardYear"]:
        return [y for y in self.years if self.is_check and not self.written(y)]

    def specs(self) -> list[CeremonySpec]:
        """Each year as a ceremony of the archive, known by film only; a title is the IMDb id
        until an import gives it (the writer looks the ids up)."""
        return [
            CeremonySpec(
                body=self.body["name"],
                edition=year.edition,
                name=f"{ordinal(year.edition)} {self.body['name']}",
                date=year.date,
                date_exact=False,
                film_year=str(year.season - 1),
                source=f"{self.path.name} {year.key}",
                categories=[
                    CategorySpec(
                        name=c.shown,
                        nominations=[
                            Nominee(
                                films=[FilmRef(title=tt, imdb_id=tt)],
                                nominee="",
                                people=[],
                                won=tt in c.winners,
                                place=f"{year.key} > {c.award} > {c.name}",
                            )
                            for tt in c.nominees
                        ],
                        tie=len(c.winners) > 1,
                    )
                    for c in year.categories
                ],
                has_results=any(c.winners for c in year.categories),
            )
            for year in self.years
            if year.categories and self.written(year)
        ]


def _place(loc: tuple) -> str:
    parts = []
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item}]"] if parts else [f"[{item}]"]
        else:
            parts.append(shown(str(item), 50))
    return " > ".join(parts) or "the top level"


def _body(path: Path, text: str) -> tuple[str, dict]:
    events = set(EVENT.findall(text))
    if not events:
        raise ImportProblem(f"{path}: no IMDb event address in its comments, so no body")
    if len(events) > 1:
        raise ImportProblem(f"{path}: names several IMDb events ({', '.join(sorted(events))})")
    event = events.pop()
    body = season_bodies().get(event)
    if body is None:
        raise ImportProblem(
            f"{path}: IMDb event {event} is not a body precursors.json knows (its 'bodies')"
        )
    return event, body


def read_awards(path: Path) -> AwardsFile:
    """The whole file, checked; ImportProblem (one line) at the first problem."""
    text = read_text(path)
    event, body = _body(path, text)
    try:
        raw = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "the file"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ImportProblem(f"{path}: {where}: not YAML ({problem})") from None
    try:
        data = _File.model_validate(raw if raw is not None else {}).root
    except ValidationError as exc:
        error = exc.errors()[0]
        raise ImportProblem(f"{path}: at {_place(error['loc'])}: {error['msg']}") from None
    years, editions, ignored = [], {}, 0
    held = body.get("held", {})
    for key, awards in data.items():
        if not awards:  # an event page with nothing on it (the Actor Awards' 1960s)
            continue
        year = int(key[:4])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ImportProblem(f"{path}: at {key}: the year is not between 1900 and 2100")
        special = held.get(key, {})
        held_year = special.get("year", year)
        edition = year - body["edition_offset"] + (key != key[:4])
        if edition < 1:
            raise ImportProblem(f"{path}: at {key}: before the body's first ceremony")
        # A second source (role "check") is matched to the archive by year, not edition.
        if edition in editions and body["role"] != "check":
            raise ImportProblem(f"{path}: at {key}: the same edition as {editions[edition]}")
        editions[edition] = key
        month, day = map(int, special.get("placeholder", body["placeholder"]).split("-"))
        entry = AwardYear(
            key=key,
            held_year=held_year,
            season=special.get("season", held_year),
            edition=edition,
            date=dt.date(held_year, month, day),
        )
        seen: set[str] = set()
        for award, categories in (awards or {}).items():
            for name, result in (categories or {}).items():
                if award not in body["awards"] or NOT_FILM.search(name):
                    ignored += len(result.nominee)
                    continue
                if name in seen:
                    name = f"{award}: {name}"
                seen.add(name)
                entry.categories.append(
                    AwardCategory(award, name, list(dict.fromkeys(result.nominee)), result.winner)
                )
        years.append(entry)
    years.sort(key=lambda y: y.edition)
    return AwardsFile(path=path, event=event, body=body, years=years, ignored=ignored)
