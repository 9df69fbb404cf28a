"""The precursor rules: which Golden Globe category precedes which Oscar category, which
ceremonies make one awards season, and a category's verdict (held, upset, no call) against its
precursors' winners. Pure and read-only; the links are written by `ceremony.services.precursors`,
the verdicts read by `ceremony.scoreboard` (live) and `ceremony.history` (every season).
"""

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Prefetch

from ceremony.models import Ceremony, Nomination, PrecursorLink
from ceremony.text import fold_category_name, join_labels, song_key

PRECURSORS_PATH = Path(__file__).with_name("data") / "precursors.json"
# Globes held this long before an Oscar ceremony count as its season's precursor.
SEASON_WINDOW = dt.timedelta(days=120)
# precursors.json maps the Golden Globes' categories onto the Academy Awards'.
PRECURSOR_BODY = "Golden Globe Awards"
SUCCESSOR_BODY = "Academy Awards"


@cache
def precursor_rules() -> list[dict]:
    with PRECURSORS_PATH.open(encoding="utf-8") as fh:
        rules = json.load(fh)["categories"]
    bodies_by_file = {body["file"]: body for body in season_bodies().values()}
    return [
        {
            "oscar": {fold_category_name(n) for n in rule["oscar"]},
            "globes": {fold_category_name(n) for n in rule["globes"]},
            "match": rule["match"],
            # In the file's order: the first is the name its track record goes by (history.py).
            "oscar_names": [fold_category_name(n) for n in rule["oscar"]],
            "names": list(rule["oscar"]),
            # The name readers know (the JSON files' "Best Actress"), shown with the record.
            "shown": rule["oscar"][1] if len(rule["oscar"]) > 1 else rule["oscar"][0],
            # Every other body's names for its precursor categories: body name -> [(folded
            # names, first year, last year)], the years its ceremonies were held.
            "bodies": {
                bodies_by_file[file]["name"]: [
                    (
                        frozenset(fold_category_name(n) for n in span["names"]),
                        span["years"][0],
                        span["years"][1],
                    )
                    for span in spans
                ]
                for file, spans in rule.get("bodies", {}).items()
            },
        }
        for rule in rules
    ]


@cache
def season_bodies() -> dict[str, dict]:
    """The bodies of the IMDb awards files by IMDb event id (precursors.json's "bodies"): name,
    short name, the awards imported, editions, and when their ceremonies came before the
    Oscars."""
    with PRECURSORS_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)["bodies"]


def body_precedes_oscars(body_name: str, held_year: int) -> bool:
    """Did this body's ceremony held in `held_year` come before that season's Oscar night? The
    Golden Globes' always did; the others from the year precursors.json gives."""
    for body in season_bodies().values():
        if body["name"] == body_name:
            return held_year >= body.get("before_oscars_from", 0)
    return True


def body_names_in(rule: dict, body_name: str, held_year: int) -> frozenset:
    """The names a body's precursor categories of this rule went by in the year held."""
    return frozenset().union(
        *(
            names
            for names, first, last in rule["bodies"].get(body_name, ())
            if first <= held_year <= (last or held_year)
        )
    )


def season_partners(ceremony: Ceremony, partner_body: str) -> list[Ceremony]:
    """The other body's ceremonies of the same awards season."""
    others = Ceremony.objects.filter(body__name=partner_body)
    if ceremony.film_year:
        return list(others.filter(film_year=ceremony.film_year))
    if partner_body == SUCCESSOR_BODY:  # a Globe ceremony: the Oscars held in the window after it
        return list(others.filter(date__gt=ceremony.date, date__lte=ceremony.date + SEASON_WINDOW))
    return list(
        others.filter(date__lt=ceremony.date, date__gte=ceremony.date - SEASON_WINDOW).order_by(
            "-date"
        )[:1]
    )


@dataclass(frozen=True)
class NomineeView:
    """A nomination with what matching needs, detached from the ORM."""

    id: int
    film: str
    nominee: str
    film_ids: frozenset
    person_ids: frozenset
    song: str
    won: bool

    @property
    def label(self) -> str:
        if self.nominee and self.nominee != self.film:
            return f"{self.nominee} ({self.film})"
        return self.film


def nominee_view(nomination: Nomination) -> NomineeView:
    """A nomination as matching sees it (its films and people prefetched)."""
    films = nomination.films.all()
    return NomineeView(
        id=nomination.pk,
        film=nomination.film_title or " / ".join(f.title for f in films),
        nominee=nomination.nominee,
        film_ids=frozenset(f.pk for f in films),
        person_ids=frozenset(p.pk for p in nomination.people.all()),
        song=song_key(nomination.detail),
        won=nomination.won,
    )


def matches(precursor_winner: NomineeView, nominee: NomineeView, how: str) -> bool:
    """Is this nominee the precursor's winner, as `precursors.json` says to match them?"""
    if not precursor_winner.film_ids & nominee.film_ids:
        return False
    if how == PrecursorLink.Match.SONG:
        return (
            not precursor_winner.song or not nominee.song or precursor_winner.song == nominee.song
        )
    if how == PrecursorLink.Match.PEOPLE and precursor_winner.person_ids and nominee.person_ids:
        return bool(precursor_winner.person_ids & nominee.person_ids)
    return True


def precursor_verdict(
    nominees: list[NomineeView], links: list[tuple[str, str, str, list[NomineeView]]]
) -> dict[str, Any]:
    """Status, favourites and a sentence for one category.

    `links` holds, per precursor category: its body's short name, its name, the match rule and
    its winners. `upset`: a precursor winner was nominated here and none of them won; `held`: one
    of them won; `no_call`: no precursor winner is nominated here; `pending`: not announced yet.
    """
    favourites = []
    favourite_ids = set()
    body = links[0][0] if links else ""
    # Where films are what is matched (Best Picture), name films, not their producers.
    by_film = bool(links) and all(how == PrecursorLink.Match.FILM for _, _, how, _ in links)

    def label(n: NomineeView) -> str:
        return n.film if by_film else n.label

    for _body, category_name, how, precursor_winners in links:
        for winner in precursor_winners:
            for nominee in nominees:
                if matches(winner, nominee, how) and nominee.id not in favourite_ids:
                    favourite_ids.add(nominee.id)
                    favourites.append(
                        {
                            "id": nominee.id,
                            "label": label(nominee),
                            "precursor": category_name,
                            "body": _body,
                        }
                    )
    winners = [n for n in nominees if n.won]
    fav_labels = join_labels([f["label"] for f in favourites])
    plural = "s" if len(favourites) > 1 else ""
    if not links:
        return {"status": "no_call", "favourites": [], "summary": "", "lost": []}
    # The favourites who did not win here: whom an upset is against, and in a held category
    # the other Globe winner (Drama, Musical or Comedy) who lost.
    lost = [f["label"] for f in favourites if not any(w.id == f["id"] for w in winners)]
    if not winners:
        status, lost = "pending", []
        summary = f"{body} winner{plural}: {fav_labels}" if favourites else ""
    elif not favourites:
        status = "no_call"
        summary = f"No call: no {body} winner was nominated here."
    elif held := [w for w in winners if w.id in favourite_ids]:
        status = "held"
        summary = f"As the {body}s predicted: {join_labels([label(w) for w in held])} won."
        if others := [label(w) for w in winners if w.id not in favourite_ids]:
            summary += f" {join_labels(others)}, also a winner here, had not won a {body}."
        if lost:
            who = "winners" if len(lost) > 1 else "winner"
            summary += f" {body} {who} {join_labels(lost)} did not win here."
    else:
        status = "upset"
        summary = (
            f"Upset: {body} winner{plural} {fav_labels} lost to "
            f"{join_labels([label(w) for w in winners])}."
        )
    return {"status": status, "favourites": favourites, "summary": summary, "lost": lost}


def nominations_prefetch(lookup: str = "nominations", queryset=None) -> Prefetch:
    """Nominations in their order, with what matching needs (films, people)."""
    queryset = queryset if queryset is not None else Nomination.objects.all()
    return Prefetch(
        lookup,
        queryset=queryset.order_by("order", "pk").prefetch_related("films", "people"),
    )


def precursor_links_prefetch() -> Prefetch:
    """A category's precursor links in a fixed order (the first favourite is the ballot's), with
    each precursor's winners."""
    return Prefetch(
        "precursor_links",
        queryset=PrecursorLink.objects.select_related("precursor__ceremony__body")
        .prefetch_related(nominations_prefetch("precursor__nominations", Nomination.objects.won()))
        .order_by("pk"),
    )


def verdict_links(category) -> list[tuple[str, str, str, list[NomineeView]]]:
    """`precursor_verdict`'s links of a category fetched with `precursor_links_prefetch`."""
    return [
        (
            link.precursor.ceremony.body.short_name,
            link.precursor.name,
            link.match,
            [nominee_view(n) for n in link.precursor.nominations.all()],
        )
        for link in category.precursor_links.all()
    ]
