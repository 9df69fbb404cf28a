"""The read model: plain functions from the database to one JSON-ready snapshot.

They know nothing of HTTP or sockets. The page, the JSON API and the websocket all serve the
snapshot built here, so they can never disagree. A snapshot is a pure function of the ceremony's
rows at its `version`; a fixed, small number of queries builds it, however big the ceremony.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from ceremony import records
from ceremony.models import Category, Ceremony, Nomination, PrecursorLink
from ceremony.text import join_labels, name_key

LATEST_COUNT = 5


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


def _view(nomination: Nomination) -> NomineeView:
    films = nomination.films.all()
    return NomineeView(
        id=nomination.pk,
        film=nomination.film_title or " / ".join(f.title for f in films),
        nominee=nomination.nominee,
        film_ids=frozenset(f.pk for f in films),
        person_ids=frozenset(p.pk for p in nomination.people.all()),
        song=name_key(nomination.detail),
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
                        {"id": nominee.id, "label": label(nominee), "precursor": category_name}
                    )
    winners = [n for n in nominees if n.won]
    fav_labels = join_labels([f["label"] for f in favourites])
    plural = "s" if len(favourites) > 1 else ""
    if not links:
        return {"status": "no_call", "favourites": [], "summary": ""}
    if not winners:
        status = "pending"
        summary = f"{body} winner{plural}: {fav_labels}" if favourites else ""
    elif not favourites:
        status = "no_call"
        summary = f"No call: no {body} winner was nominated here."
    elif any(w.id in favourite_ids for w in winners):
        status = "held"
        summary = f"Held: {join_labels([label(w) for w in winners])} won, as at the {body}s."
    else:
        status = "upset"
        summary = (
            f"Upset: {body} winner{plural} {fav_labels} lost to "
            f"{join_labels([label(w) for w in winners])}."
        )
    return {"status": status, "favourites": favourites, "summary": summary}


def _nomination_prefetch(lookup: str = "nominations", queryset=None) -> Prefetch:
    queryset = queryset if queryset is not None else Nomination.objects.all()
    return Prefetch(
        lookup,
        queryset=queryset.order_by("order", "pk").prefetch_related("films", "people"),
    )


def _nominee(nomination: Nomination, view: NomineeView) -> dict[str, Any]:
    row = {
        "id": nomination.pk,
        "film": view.film,
        "films": [f.slug for f in nomination.films.all()],
        "nominee": nomination.nominee,
        "people": [p.slug for p in nomination.people.all()],
        "won": nomination.won,
    }
    # The source's note (a refusal, a placement, a tie) only where there is one: most have none.
    if nomination.note:
        row["note"] = nomination.note
    return row


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def snapshot(ceremony: Ceremony) -> dict[str, Any]:
    """Everything a reader's page shows, as of `ceremony.version`."""
    categories = list(
        Category.objects.filter(ceremony=ceremony)
        .in_order()
        .prefetch_related(
            _nomination_prefetch(),
            Prefetch(
                "precursor_links",
                queryset=PrecursorLink.objects.select_related(
                    "precursor__ceremony__body"
                ).prefetch_related(
                    _nomination_prefetch("precursor__nominations", Nomination.objects.won())
                ),
            ),
        )
    )
    films: dict[str, dict[str, Any]] = {}
    people_wins: Counter = Counter()
    people_names: dict[int, tuple[str, str]] = {}
    rows = []
    for category in categories:
        nominations = list(category.nominations.all())
        views = [_view(n) for n in nominations]
        links = [
            (
                link.precursor.ceremony.body.short_name,
                link.precursor.name,
                link.match,
                [_view(n) for n in link.precursor.nominations.all()],
            )
            for link in category.precursor_links.all()
        ]
        winners = [v for v in views if v.won]
        verdict = precursor_verdict(views, links)
        rows.append(
            {
                "slug": category.slug,
                "name": category.name,
                "order": category.order,
                "competitive": category.competitive,
                "announced": bool(winners),
                "announced_at": _iso(category.announced_at),
                "corrected_at": _iso(category.corrected_at),
                # Only a tie the source or the desk declared: several winners of an honorary
                # award, or one per studio (the 6th Assistant Director), are several winners.
                "tie": category.is_tie,
                "revision": category.revision,
                "winners": [{"id": w.id, "label": w.label} for w in winners],
                "nominations": [_nominee(n, v) for n, v in zip(nominations, views, strict=True)],
                "precursor": verdict,
            }
        )
        if not category.competitive:
            continue
        for nomination in nominations:
            for film in nomination.films.all():
                entry = films.setdefault(
                    film.slug, {"film": film.title, "slug": film.slug, "wins": 0, "nominations": 0}
                )
                entry["nominations"] += 1
                entry["wins"] += nomination.won
            if nomination.won:
                for person in nomination.people.all():
                    people_wins[person.pk] += 1
                    people_names[person.pk] = (person.name, person.slug)

    competitive = [r for r in rows if r["competitive"]]
    tallies = sorted(
        films.values(), key=lambda f: (-f["wins"], -f["nominations"], f["film"].casefold())
    )
    people = sorted(
        (
            {"name": people_names[pk][0], "slug": people_names[pk][1], "wins": wins}
            for pk, wins in people_wins.items()
        ),
        key=lambda p: (-p["wins"], p["name"].casefold()),
    )
    timeline = sorted(
        (r for r in rows if r["announced_at"] or r["corrected_at"]),
        key=lambda r: max(r["announced_at"] or "", r["corrected_at"] or ""),
        reverse=True,
    )
    data = {
        "ceremony": {
            "slug": ceremony.slug,
            "name": ceremony.name,
            "body": ceremony.body.name,
            "edition": ceremony.edition,
            "date": ceremony.date.isoformat(),
            # False: only the year is known, and `date` is a placeholder in that year.
            "date_exact": ceremony.date_exact,
            "venue": ceremony.venue,
            "time_zone": ceremony.time_zone,
            "status": ceremony.status,
        },
        "version": ceremony.version,
        "progress": {
            "announced": sum(r["announced"] for r in competitive),
            "total": len(competitive),
        },
        "categories": rows,
        "tallies": tallies,
        "people": people,
        "upsets": [r["slug"] for r in rows if r["precursor"]["status"] == "upset"],
        "latest": [
            {
                "slug": r["slug"],
                "name": r["name"],
                "winners": [w["label"] for w in r["winners"]],
                "announced_at": r["announced_at"],
                "corrected_at": r["corrected_at"],
            }
            for r in timeline[:LATEST_COUNT]
        ],
    }
    # Records this ceremony's results make (a few queries, only once something is announced).
    data["records"] = records.made_by(ceremony, data)
    return data


def ceremony_summary(ceremony: Ceremony) -> dict[str, Any]:
    """One line of the ceremonies list."""
    return {
        "slug": ceremony.slug,
        "name": ceremony.name,
        "body": ceremony.body.name,
        "edition": ceremony.edition,
        "date": ceremony.date.isoformat(),
        "date_exact": ceremony.date_exact,
        "status": ceremony.status,
        "version": ceremony.version,
    }
