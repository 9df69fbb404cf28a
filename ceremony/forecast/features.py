"""The archive as the forecast reads it: one row per Oscar nominee with what was known before its
night. Per precursor body (the Golden Globes, and whichever bodies are linked): won it, was
nominated and lost, and won times the body's record in this category before (its winners' share
of the Oscars they were nominated for, smoothed); how many bodies it won and whether that is the
most here; per film: its nominations that night, whether it is up for Best Picture, whether it
leads the category's nominees in nominations. A film-only winner whose film has two nominees here
counts as a shared win (a half each), never as either's.

Read with a few flat queries (the whole archive in about a second); pure otherwise.
"""

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ceremony.history import track_key
from ceremony.models import AuditEntry, Category, Ceremony, Nomination, PrecursorLink
from ceremony.precursors import SUCCESSOR_BODY, NomineeView, matched, matches
from ceremony.text import name_key

PICTURE = "best picture"
# The six categories the goal is measured on (track keys, as history.py names them).
BIG_SIX = (
    PICTURE,
    "directing",
    "actor in a leading role",
    "actress in a leading role",
    "actor in a supporting role",
    "actress in a supporting role",
)


@dataclass
class Group:
    """One Oscar category at one ceremony: its nominees' features and who won."""

    category_id: int
    ceremony_id: int
    date: dt.date
    key: str
    trains: bool  # a real ceremony's announced category: the later seasons learn from it
    ids: list[int] = field(default_factory=list)
    features: list[dict[str, float]] = field(default_factory=list)
    won: list[bool] = field(default_factory=list)
    # Per body, the matched nominees: winners and nominees of its linked categories (never
    # guessed: a winner that matches two nominees here is in `body_shared` instead).
    body_won: dict[str, set[int]] = field(default_factory=dict)
    # Per body, a film-only winner matching k nominees here: each of them, with 1/k.
    body_shared: dict[str, dict[int, float]] = field(default_factory=dict)
    # Per body, its record in this category before tonight (log-odds, smoothed).
    records: dict[str, float] = field(default_factory=dict)

    @property
    def announced(self) -> bool:
        return any(self.won)

    @property
    def big(self) -> bool:
        return self.key in BIG_SIX

    @property
    def part(self) -> tuple[str, bool]:
        """Which model forecasts it: its kind of category, and whether any precursor is linked
        to it (a category with none is forecast from the films' nominations alone)."""
        return kind(self.key), bool(self.records)


# Writes that change what the forecast reads: results, imports, links, identities, settled
# performers, admin edits.
CHANGES = (
    AuditEntry.Action.RECORD,
    AuditEntry.Action.TIE,
    AuditEntry.Action.CORRECT,
    AuditEntry.Action.WITHDRAW,
    AuditEntry.Action.IMPORT,
    AuditEntry.Action.PRECURSOR,
    AuditEntry.Action.IDENTITY,
    AuditEntry.Action.SETTLE,
    AuditEntry.Action.EDIT,
)


def archive_mark() -> int:
    """The newest write the forecast reads from (an audit entry's id; 0: none): a precursor's
    result recorded on its night, an import, an identity merged. Not the forecast's own writes,
    not a rehearsal's, and not a live Oscar night's results, which move no forecast shown that
    night (they count once the ceremony is final, for the seasons after it)."""
    changes = (
        AuditEntry.objects.filter(action__in=CHANGES, ceremony__rehearsal=False)
        .exclude(action=AuditEntry.Action.PRECURSOR, after__has_key="forecast")
        .exclude(ceremony__body__name=SUCCESSOR_BODY, ceremony__status=Ceremony.Status.LIVE)
    )
    return changes.order_by("-pk").values_list("pk", flat=True).first() or 0


def _view(row: dict, films: dict, people: dict) -> NomineeView:
    return NomineeView(
        id=row["id"],
        film="",
        nominee="",
        film_ids=frozenset(films.get(row["id"], ())),
        person_ids=frozenset(people.get(row["id"], ())),
        song=name_key(row["detail"]),
        won=row["won"],
    )


def _credits(nomination_ids: list[int]) -> tuple[dict, dict]:
    films, people = defaultdict(set), defaultdict(set)
    through = Nomination.films.through.objects.filter(nomination_id__in=nomination_ids)
    for nomination_id, film_id in through.values_list("nomination_id", "film_id"):
        films[nomination_id].add(film_id)
    through = Nomination.people.through.objects.filter(nomination_id__in=nomination_ids)
    for nomination_id, person_id in through.values_list("nomination_id", "person_id"):
        people[nomination_id].add(person_id)
    return films, people


def _smoothed_logit(held: int, counted: int) -> float:
    """The log-odds of a body's winner winning here, from its record (one held and one lost
    season added, so a short record says little)."""
    rate = (held + 1) / (counted + 2)
    return math.log(rate / (1 - rate))


def read_groups() -> list[Group]:
    """Every competitive Oscar category of two or more nominees (rehearsal copies too, which
    are forecast but never learnt from), in date order, with its nominees' features."""
    categories = list(
        Category.objects.filter(ceremony__body__name=SUCCESSOR_BODY, competitive=True).values(
            "id",
            "name",
            "canonical_name",
            "ceremony_id",
            "ceremony__date",
            "ceremony__rehearsal",
        )
    )
    category_ids = [c["id"] for c in categories]
    nominations = defaultdict(list)
    for row in (
        Nomination.objects.filter(category_id__in=category_ids)
        .order_by("order", "pk")
        .values("id", "category_id", "detail", "won")
    ):
        nominations[row["category_id"]].append(row)
    links = defaultdict(list)
    for row in PrecursorLink.objects.filter(category_id__in=category_ids).values(
        "category_id", "precursor_id", "match", "precursor__ceremony__body__name"
    ):
        links[row["category_id"]].append(row)
    precursor_ids = {row["precursor_id"] for rows in links.values() for row in rows}
    precursor_nominations = defaultdict(list)
    for row in Nomination.objects.filter(category_id__in=precursor_ids).values(
        "id", "category_id", "detail", "won"
    ):
        precursor_nominations[row["category_id"]].append(row)
    all_ids = [n["id"] for rows in nominations.values() for n in rows]
    all_ids += [n["id"] for rows in precursor_nominations.values() for n in rows]
    films, people = _credits(all_ids)

    # The film's nominations per ceremony, and the films up for Best Picture.
    film_count: dict[int, Counter] = defaultdict(Counter)
    picture_films: dict[int, set] = defaultdict(set)
    for category in categories:
        key = track_key(category["name"], category["canonical_name"])
        category["key"] = key
        for row in nominations[category["id"]]:
            for film_id in films.get(row["id"], ()):
                film_count[category["ceremony_id"]][film_id] += 1
                if key == PICTURE:
                    picture_films[category["ceremony_id"]].add(film_id)

    groups = []
    for category in sorted(categories, key=lambda c: (c["ceremony__date"], c["id"])):
        rows = nominations[category["id"]]
        if len(rows) < 2:
            continue
        views = [_view(r, films, people) for r in rows]
        counts = film_count[category["ceremony_id"]]
        group = Group(
            category_id=category["id"],
            ceremony_id=category["ceremony_id"],
            date=category["ceremony__date"],
            key=category["key"],
            trains=not category["ceremony__rehearsal"],
        )
        most = max(max((counts[f] for f in v.film_ids), default=0) for v in views)
        for view in views:
            noms = max((counts[f] for f in view.film_ids), default=1)
            group.ids.append(view.id)
            group.won.append(view.won)
            group.features.append(
                {
                    "film nominations (log)": math.log(noms),
                    "most nominations here": float(noms == most),
                    "up for Best Picture": float(
                        bool(view.film_ids & picture_films[category["ceremony_id"]])
                    ),
                }
            )
        for link in links[category["id"]]:
            body = link["precursor__ceremony__body__name"].removesuffix(" Awards")
            won = group.body_won.setdefault(body, set())
            nominated = group.body_won.setdefault(f"{body} nominee", set())
            shared = group.body_shared.setdefault(body, {})
            for row in precursor_nominations[link["precursor_id"]]:
                precursor = _view(row, films, people)
                found = matched(precursor, views, link["match"])
                for view in found or ():
                    (won if precursor.won else nominated).add(view.id)
                if found is None and precursor.won:
                    # A film-only winner whose film has k nominees here: a 1/k share each.
                    alike = [v.id for v in views if matches(precursor, v, link["match"])]
                    for nomination_id in alike:
                        shared[nomination_id] = max(shared.get(nomination_id, 0.0), 1 / len(alike))
        groups.append(group)
    _add_precursor_features(groups)
    for group in groups:
        _add_tallies(group)
    return groups


ACTING = BIG_SIX[2:]
# What a feature says differs by kind of category (a BAFTA win says more in Actress than in
# Sound): each kind has a model of its own (fitting.py).
KINDS = {PICTURE: "picture or director", "directing": "picture or director"}


def kind(key: str) -> str:
    return "acting" if key in ACTING else KINDS.get(key, "other")


def _add_tallies(group: Group) -> None:
    """How many bodies each nominee won (a shared win as its share) and whether that is the
    most here."""
    bodies = sorted({name for f in group.features for name in f if name.endswith(" won")})
    wins = [sum(f.get(b, 0.0) for b in bodies) for f in group.features]
    most = max(wins)
    for features, won in zip(group.features, wins, strict=True):
        features["bodies won"] = won
        features["most bodies won"] = float(won == most and won > 0)


def _add_precursor_features(groups: list[Group]) -> None:
    """Per body: won, nominated and lost, and won times the body's record here before this
    ceremony's date (counted over the earlier seasons where its winner was an Oscar nominee)."""
    record: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    pending: list[tuple[tuple[str, str], bool]] = []
    date = None
    for group in groups:
        if group.date != date:
            for cell, held in pending:
                record[cell][0] += held
                record[cell][1] += 1
            pending, date = [], group.date
        bodies = sorted(b for b in group.body_won if not b.endswith(" nominee"))
        for body in bodies:
            won = group.body_won[body]
            shared = group.body_shared.get(body, {})
            nominated = group.body_won[f"{body} nominee"] - won
            held, counted = record[(body, group.key)]
            strength = group.records[body] = _smoothed_logit(held, counted)
            for nomination_id, features in zip(group.ids, group.features, strict=True):
                share = 1.0 if nomination_id in won else shared.get(nomination_id, 0.0)
                features[f"{body} won"] = share
                features[f"{body} won x record"] = strength * share
                features[f"{body} nominee, lost"] = float(nomination_id in nominated)
            if won and group.announced and group.trains:
                winners = {i for i, w in zip(group.ids, group.won, strict=True) if w}
                pending.append(((body, group.key), bool(won & winners)))
