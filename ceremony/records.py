"""Records, computed from whatever is in the database: pure functions, no writes.

Only competitive categories count (honorary and technical awards never do), and records are kept
per award body. Each record names its figure and its holder(s), each with film and ceremony.
`made_by` says which records a ceremony's own results make, compared with the body's earlier
ceremonies only: "first" (nothing to compare with), "ties" or "breaks".
"""

import threading
from collections import Counter, OrderedDict
from typing import Any

from django.db.models import Count, F, Max, Q

from ceremony.models import AwardBody, Ceremony, Nomination

KINDS = {
    "person_film_night": "Most wins by one person for one film in one night",
    "person_night": "Most wins by one person in one night",
    "film_wins": "Most wins by one film",
    "clean_sweep": "Largest clean sweep (every nomination won)",
    "nominations_without_win": "Most nominations without a win",
}
# Enough rows to hold every tied holder of a record.
TOP = 40
PersonLink = Nomination.people.through
FilmLink = Nomination.films.through
CEREMONY = "nomination__category__ceremony"


def _competitive(body: AwardBody, before=None):
    nominations = Nomination.objects.filter(
        category__competitive=True, category__ceremony__body=body
    )
    if before is not None:
        nominations = nominations.filter(category__ceremony__date__lt=before)
    return nominations


def _ceremony(row: dict) -> dict:
    return {
        "name": row[f"{CEREMONY}__name"],
        "slug": row[f"{CEREMONY}__slug"],
        "date": row[f"{CEREMONY}__date"].isoformat(),
    }


def _top(rows, figure: str) -> list[dict]:
    rows = list(rows[:TOP])
    return [r for r in rows if rows and r[figure] == rows[0][figure] and r[figure] > 0]


CEREMONY_FIELDS = (f"{CEREMONY}_id", f"{CEREMONY}__name", f"{CEREMONY}__slug", f"{CEREMONY}__date")


def _record(kind: str, figure: int | None, holders: list[dict]) -> dict[str, Any]:
    return {"kind": kind, "title": KINDS[kind], "figure": figure, "holders": holders}


def person_film_night(body: AwardBody, before=None) -> dict:
    rows = _top(
        PersonLink.objects.filter(
            nomination__in=_competitive(body, before).filter(won=True),
            nomination__films__isnull=False,
        )
        .values(
            "person__name",
            "person__slug",
            "nomination__films__title",
            "nomination__films__slug",
            *CEREMONY_FIELDS,
        )
        .annotate(n=Count("nomination_id", distinct=True))
        .order_by("-n", f"{CEREMONY}__date"),
        "n",
    )
    return _record(
        "person_film_night",
        rows[0]["n"] if rows else None,
        [
            {
                "person": {"name": r["person__name"], "slug": r["person__slug"]},
                "film": {
                    "title": r["nomination__films__title"],
                    "slug": r["nomination__films__slug"],
                },
                "ceremony": _ceremony(r),
            }
            for r in rows
        ],
    )


def person_night(body: AwardBody, before=None) -> dict:
    rows = _top(
        PersonLink.objects.filter(nomination__in=_competitive(body, before).filter(won=True))
        .values("person__name", "person__slug", *CEREMONY_FIELDS)
        .annotate(n=Count("nomination_id", distinct=True))
        .order_by("-n", f"{CEREMONY}__date"),
        "n",
    )
    return _record(
        "person_night",
        rows[0]["n"] if rows else None,
        [
            {
                "person": {"name": r["person__name"], "slug": r["person__slug"]},
                "ceremony": _ceremony(r),
            }
            for r in rows
        ],
    )


def _film_rows(body: AwardBody, before=None):
    return (
        FilmLink.objects.filter(nomination__in=_competitive(body, before))
        .values("film__title", "film__slug", *CEREMONY_FIELDS)
        .annotate(
            nominations=Count("nomination_id", distinct=True),
            wins=Count("nomination_id", filter=Q(nomination__won=True), distinct=True),
        )
    )


def _film_holders(rows) -> list[dict]:
    return [
        {
            "film": {"title": r["film__title"], "slug": r["film__slug"]},
            "wins": r["wins"],
            "nominations": r["nominations"],
            "ceremony": _ceremony(r),
        }
        for r in rows
    ]


def film_wins(body: AwardBody, before=None) -> dict:
    rows = _top(_film_rows(body, before).order_by("-wins", f"{CEREMONY}__date"), "wins")
    return _record("film_wins", rows[0]["wins"] if rows else None, _film_holders(rows))


def clean_sweep(body: AwardBody, before=None) -> dict:
    rows = _top(
        _film_rows(body, before)
        .filter(wins=F("nominations"))
        .order_by("-wins", f"{CEREMONY}__date"),
        "wins",
    )
    return _record("clean_sweep", rows[0]["wins"] if rows else None, _film_holders(rows))


def nominations_without_win(body: AwardBody, before=None) -> dict:
    # A ceremony still under way has not lost yet: only finished ones count.
    rows = _top(
        _film_rows(body, before)
        .filter(wins=0, **{f"{CEREMONY}__status": Ceremony.Status.FINAL})
        .order_by("-nominations", f"{CEREMONY}__date"),
        "nominations",
    )
    return _record(
        "nominations_without_win", rows[0]["nominations"] if rows else None, _film_holders(rows)
    )


RECORDS = (person_film_night, person_night, film_wins, clean_sweep, nominations_without_win)


def body_records(body: AwardBody, before=None) -> list[dict]:
    """Every record of `body`, over its ceremonies held before `before` (all if None)."""
    return [record(body, before) for record in RECORDS]


def all_records() -> list[dict]:
    """The records page and GET /api/records/: per award body that has ceremonies."""
    bodies = AwardBody.objects.filter(ceremonies__isnull=False).distinct().order_by("name")
    return [
        {"body": body.name, "records": list(earlier_records.get(body, None).values())}
        for body in bodies
    ]


# --- what one ceremony's results make ---------------------------------------------------------


def _night_figures(snapshot: dict) -> dict[str, tuple[int, list[dict]]]:
    """This ceremony's best figure and holders per record, from its snapshot (no queries)."""
    ceremony = {k: snapshot["ceremony"][k] for k in ("name", "slug", "date")}
    films = {t["slug"]: t for t in snapshot["tallies"]}
    names = {p["slug"]: p["name"] for p in snapshot["people"]}
    pair_wins: Counter = Counter()
    person_wins: Counter = Counter()
    announced_films: dict[str, bool] = {}
    for category in snapshot["categories"]:
        if not category["competitive"]:
            continue
        for n in category["nominations"]:
            for film in n["films"]:
                announced_films[film] = announced_films.get(film, True) and category["announced"]
            if not n["won"]:
                continue
            for person in n["people"]:
                person_wins[person] += 1
                for film in n["films"]:
                    pair_wins[(person, film)] += 1

    def film(slug: str) -> dict:
        return {"title": films[slug]["film"], "slug": slug}

    def best(counter: Counter, holder) -> tuple[int, list[dict]]:
        top = max(counter.values(), default=0)
        return top, [holder(k) for k, v in counter.items() if v == top and top > 0]

    figures = {
        "person_film_night": best(
            pair_wins,
            lambda k: {
                "person": {"name": names[k[0]], "slug": k[0]},
                "film": film(k[1]),
                "ceremony": ceremony,
            },
        ),
        "person_night": best(
            person_wins,
            lambda k: {"person": {"name": names[k], "slug": k}, "ceremony": ceremony},
        ),
    }

    def film_holder(slug: str) -> dict:
        t = films[slug]
        return {
            "film": film(slug),
            "wins": t["wins"],
            "nominations": t["nominations"],
            "ceremony": ceremony,
        }

    decided = {s: t for s, t in films.items() if announced_films.get(s)}
    figures["film_wins"] = best(Counter({s: t["wins"] for s, t in films.items()}), film_holder)
    figures["clean_sweep"] = best(
        Counter({s: t["wins"] for s, t in decided.items() if t["wins"] == t["nominations"]}),
        film_holder,
    )
    figures["nominations_without_win"] = best(
        Counter({s: t["nominations"] for s, t in decided.items() if t["wins"] == 0}),
        film_holder,
    )
    return figures


class _EarlierRecords:
    """The records before a date, per process. They change only when an earlier ceremony of
    the body is written (its `updated_at` moves), so a live show checks one cheap fingerprint
    per snapshot instead of re-aggregating the whole history on every result."""

    size = 32

    def __init__(self):
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, body: AwardBody, before) -> dict[str, dict]:
        ceremonies = Ceremony.objects.filter(body=body)
        if before is not None:
            ceremonies = ceremonies.filter(date__lt=before)
        fingerprint = tuple(ceremonies.aggregate(n=Count("pk"), changed=Max("updated_at")).values())
        key = (body.pk, before)
        with self._lock:
            cached = self._items.get(key)
        if cached and cached[0] == fingerprint:
            return cached[1]
        found = {r["kind"]: r for r in body_records(body, before)}
        with self._lock:
            self._items[key] = (fingerprint, found)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return found


earlier_records = _EarlierRecords()


def made_by(ceremony: Ceremony, snapshot: dict) -> list[dict]:
    """The records this ceremony's results make, against the body's earlier ceremonies.

    Costs no query before the first result; then one, or six when earlier ceremonies changed.
    """
    if not any(c["announced"] for c in snapshot["categories"] if c["competitive"]):
        return []
    made = []
    earlier = earlier_records.get(ceremony.body, ceremony.date)
    for kind, (figure, holders) in _night_figures(snapshot).items():
        if not figure:
            continue
        previous = earlier[kind]
        if previous["figure"] is None:
            status = "first"
        elif figure > previous["figure"]:
            status = "breaks"
        elif figure == previous["figure"]:
            status = "ties"
        else:
            continue
        made.append({**_record(kind, figure, holders), "status": status, "previous": previous})
    return made
