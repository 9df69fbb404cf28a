"""Records, computed from whatever is in the database: pure functions, no writes.

Only competitive categories count (honorary and technical awards never do), and records are kept
per award body. Career records (most wins and nominations by a person, overall and in acting)
name each holder with their wins, nominations and first and last years; the others name film and
ceremony. Every holder at the record figure is listed; a figure that is no record (one win in a
night, or shared by more than MAX_HOLDERS) is not shown. `made_by` says which one-night
records a ceremony's own results make, compared with the body's earlier ceremonies only:
"first" (nothing to compare with), "ties" or "breaks".
"""

import datetime as dt
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from typing import Any

from django.db.models import Count, F, Max, Min, Q

from ceremony.models import AwardBody, Category, Ceremony, Nomination
from ceremony.text import field_of

CAREER_KINDS = {
    "person_wins": "Most competitive wins by a person",
    "person_nominations": "Most competitive nominations by a person",
    "acting_wins": "Most acting wins",
    "acting_nominations": "Most acting nominations",
}
KINDS = {
    **CAREER_KINDS,
    "person_film_night": "Most wins by one person for one film in one night",
    "person_night": "Most wins by one person in one night",
    "film_wins": "Most wins by one film",
    "clean_sweep": "Largest clean sweep (every nomination won)",
    "nominations_without_win": "Most nominations without a win",
}
# Rows read for a record's holders; more only when that many share it.
TOP = 40
# A record needs to be one: a figure under this (one win in a night, one nomination without a
# win) or more holders than MAX_HOLDERS sharing it is no record, and is shown as none
# (docs/archive.md, *Records*).
MIN_FIGURE = 2
MAX_HOLDERS = 10
# A film's wins tonight, short of the record, are said to be "the most since" from this many.
SINCE_FROM = 3
PersonLink = Nomination.people.through
FilmLink = Nomination.films.through
CEREMONY = "nomination__category__ceremony"


def _competitive(body: AwardBody, before=None):
    # Rehearsal copies are no one's history.
    nominations = Nomination.objects.filter(
        category__competitive=True, category__ceremony__body=body
    ).exclude(category__ceremony__rehearsal=True)
    if before is not None:
        nominations = nominations.filter(category__ceremony__date__lt=before)
    return nominations


def date_value(date: dt.date, exact: bool = True) -> str:
    """A ceremony's date for exports and APIs: ISO 8601 where the day is known, else the year
    alone ("1929"): a year-only ceremony's stored day is a placeholder, never shown."""
    return date.isoformat() if exact else f"{date.year:04d}"


def _ceremony(row: dict) -> dict:
    return {
        "name": row[f"{CEREMONY}__name"],
        "slug": row[f"{CEREMONY}__slug"],
        "date": date_value(row[f"{CEREMONY}__date"], row[f"{CEREMONY}__date_exact"]),
    }


def _top(rows, figure: str) -> list[dict]:
    """The rows at the best figure (`rows` ordered best first): every one of them, even past
    TOP (one more query then)."""
    first = list(rows[:TOP])
    if not first or first[0][figure] <= 0:
        return []
    best = first[0][figure]
    if len(first) == TOP and first[-1][figure] == best:
        first = list(rows.filter(**{figure: best}))
    return [r for r in first if r[figure] == best]


CEREMONY_FIELDS = (
    f"{CEREMONY}_id",
    f"{CEREMONY}__name",
    f"{CEREMONY}__slug",
    f"{CEREMONY}__date",
    f"{CEREMONY}__date_exact",
)


def _record(kind: str, figure: int | None, holders: list[dict]) -> dict[str, Any]:
    return {"kind": kind, "title": KINDS[kind], "figure": figure, "holders": holders}


def is_notable(record: dict) -> bool:
    """A figure worth calling a record: at least MIN_FIGURE, held by at most MAX_HOLDERS."""
    figure = record["figure"]
    return figure is not None and figure >= MIN_FIGURE and len(record["holders"]) <= MAX_HOLDERS


def previous_record(record: dict) -> dict:
    """An earlier record as a ceremony's page compares with it: none under MIN_FIGURE (the
    first figure past it is a first); shared by more than MAX_HOLDERS, its figure and how many
    share it (`shared_by`), never the list."""
    figure, holders = record["figure"], record["holders"]
    if figure is None or figure < MIN_FIGURE:
        return _record(record["kind"], None, [])
    if len(holders) > MAX_HOLDERS:
        return {**_record(record["kind"], figure, []), "shared_by": len(holders)}
    return record


def _top_record(kind: str, rows, figure: str, holder: Callable[[dict], dict]) -> dict[str, Any]:
    """The record `kind`: the rows at the best `figure` (`rows` ordered best first), one holder
    each, and that figure (None without any)."""
    top = _top(rows, figure)
    return _record(kind, top[0][figure] if top else None, [holder(r) for r in top])


def _person(row: dict) -> dict:
    return {"name": row["person__name"], "slug": row["person__slug"]}


def _person_night_holder(row: dict) -> dict:
    return {"person": _person(row), "ceremony": _ceremony(row)}


def _person_film_night_holder(row: dict) -> dict:
    film = {"title": row["nomination__films__title"], "slug": row["nomination__films__slug"]}
    return {"person": _person(row), "film": film, "ceremony": _ceremony(row)}


def person_film_night(body: AwardBody, before=None) -> dict:
    rows = (
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
        .order_by("-n", f"{CEREMONY}__date")
    )
    return _top_record("person_film_night", rows, "n", _person_film_night_holder)


def person_night(body: AwardBody, before=None) -> dict:
    rows = (
        PersonLink.objects.filter(nomination__in=_competitive(body, before).filter(won=True))
        .values("person__name", "person__slug", *CEREMONY_FIELDS)
        .annotate(n=Count("nomination_id", distinct=True))
        .order_by("-n", f"{CEREMONY}__date")
    )
    return _top_record("person_night", rows, "n", _person_night_holder)


def _film_rows(body: AwardBody, before=None):
    return (
        FilmLink.objects.filter(nomination__in=_competitive(body, before))
        .values("film__title", "film__slug", *CEREMONY_FIELDS)
        .annotate(
            nominations=Count("nomination_id", distinct=True),
            wins=Count("nomination_id", filter=Q(nomination__won=True), distinct=True),
        )
    )


def _film_holder(row: dict) -> dict:
    return {
        "film": {"title": row["film__title"], "slug": row["film__slug"]},
        "wins": row["wins"],
        "nominations": row["nominations"],
        "ceremony": _ceremony(row),
    }


def film_wins(body: AwardBody, before=None) -> dict:
    rows = _film_rows(body, before).order_by("-wins", f"{CEREMONY}__date")
    return _top_record("film_wins", rows, "wins", _film_holder)


def film_wins_since(body: AwardBody, before, figure: int) -> dict | None:
    """The latest ceremony before `before` at which a film won `figure` awards or more: what a
    film's wins tonight are "the most since" (one query)."""
    rows = list(
        _film_rows(body, before)
        .filter(wins__gte=figure)
        .order_by(f"-{CEREMONY}__date", "-wins")[:TOP]
    )
    latest = [r for r in rows if rows and r[f"{CEREMONY}_id"] == rows[0][f"{CEREMONY}_id"]]
    if not latest:
        return None
    return _record("film_wins", latest[0]["wins"], [_film_holder(r) for r in latest])


def clean_sweep(body: AwardBody, before=None) -> dict:
    rows = (
        _film_rows(body, before)
        .filter(wins=F("nominations"))
        .order_by("-wins", f"{CEREMONY}__date")
    )
    return _top_record("clean_sweep", rows, "wins", _film_holder)


def nominations_without_win(body: AwardBody, before=None) -> dict:
    # A ceremony still under way has not lost yet: only finished ones count.
    rows = (
        _film_rows(body, before)
        .filter(wins=0, **{f"{CEREMONY}__status": Ceremony.Status.FINAL})
        .order_by("-nominations", f"{CEREMONY}__date")
    )
    return _top_record("nominations_without_win", rows, "nominations", _film_holder)


RECORDS = (person_film_night, person_night, film_wins, clean_sweep, nominations_without_win)


# --- careers ----------------------------------------------------------------------------------


def acting_category_names(body: AwardBody) -> list[str]:
    """The names of `body`'s competitive categories that say actor or actress (or performance):
    `field_of(name) == "acting"`. Names, not ids: a few dozen at most, whatever the history."""
    names = (
        Category.objects.filter(ceremony__body=body, competitive=True)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    return [name for name in names if field_of(name) == "acting"]


def _career_rows(body: AwardBody, before=None, *, acting: bool = False):
    """Per person: competitive nominations and wins (one per nomination the person is linked to,
    a tied win is a win) and the dates of the first and last ceremony."""
    nominations = _competitive(body, before)
    if acting:
        nominations = nominations.filter(category__name__in=acting_category_names(body))
    return (
        PersonLink.objects.filter(nomination__in=nominations)
        .values("person_id", "person__name", "person__slug")
        .annotate(
            nominations=Count("nomination_id", distinct=True),
            wins=Count("nomination_id", filter=Q(nomination__won=True), distinct=True),
            first=Min(f"{CEREMONY}__date"),
            last=Max(f"{CEREMONY}__date"),
        )
    )


def _career_holder(row: dict) -> dict:
    return {
        "person": _person(row),
        "wins": row["wins"],
        "nominations": row["nominations"],
        "first_year": row["first"].year,
        "last_year": row["last"].year,
    }


def _career(kind: str, rows, figure: str) -> dict:
    return _top_record(kind, rows, figure, _career_holder)


def person_wins(body: AwardBody, before=None) -> dict:
    rows = _career_rows(body, before).order_by("-wins", "-nominations", "person__name", "person_id")
    return _career("person_wins", rows, "wins")


def person_nominations(body: AwardBody, before=None) -> dict:
    rows = _career_rows(body, before).order_by("-nominations", "-wins", "person__name", "person_id")
    return _career("person_nominations", rows, "nominations")


def acting_wins(body: AwardBody, before=None) -> dict:
    rows = _career_rows(body, before, acting=True).order_by(
        "-wins", "-nominations", "person__name", "person_id"
    )
    return _career("acting_wins", rows, "wins")


def acting_nominations(body: AwardBody, before=None) -> dict:
    rows = _career_rows(body, before, acting=True).order_by(
        "-nominations", "-wins", "person__name", "person_id"
    )
    return _career("acting_nominations", rows, "nominations")


CAREER_RECORDS = (person_wins, person_nominations, acting_wins, acting_nominations)


def body_records(body: AwardBody, before=None, records=RECORDS) -> list[dict]:
    """`body`'s records (the one-night ones unless told), over its ceremonies held before
    `before` (all if None)."""
    return [record(body, before) for record in records]


def career_records(body: AwardBody, before=None) -> list[dict]:
    """`body`'s career records, over its ceremonies held before `before` (all if None)."""
    return body_records(body, before, CAREER_RECORDS)


def all_records() -> list[dict]:
    """The records page and GET /api/records/: per award body that has ceremonies, the career
    records first, then the one-night ones. Never a rehearsal copy's body."""
    bodies = (
        AwardBody.objects.filter(ceremonies__in=Ceremony.objects.real()).distinct().order_by("name")
    )
    return [
        {
            "body": body.name,
            # Only what is a record (is_notable): a figure of 1, or one shared by dozens, is
            # not shown at all.
            "records": [
                r
                for r in [
                    *career_cache.get(body, None).values(),
                    *earlier_records.get(body, None).values(),
                ]
                if is_notable(r)
            ],
        }
        for body in bodies
    ]


# --- what one ceremony's results make ---------------------------------------------------------


def _night_figures(snapshot: dict) -> dict[str, tuple[int, list[dict]]]:
    """This ceremony's best figure and holders per record, from its snapshot (no queries)."""
    about = snapshot["ceremony"]
    ceremony = {
        "name": about["name"],
        "slug": about["slug"],
        "date": date_value(dt.date.fromisoformat(about["date"]), about.get("date_exact", True)),
    }
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

    def __init__(self, records: tuple[Callable[..., dict], ...] = RECORDS):
        self.records = records
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
        found = {r["kind"]: r for r in body_records(body, before, self.records)}
        with self._lock:
            self._items[key] = (fingerprint, found)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return found


earlier_records = _EarlierRecords()
# The career records for the records page and API, cached the same way.
career_cache = _EarlierRecords(CAREER_RECORDS)


# A rehearsal copy's body is its real body's slug with this suffix (services.rehearsal_slug).
REHEARSAL_BODY_SUFFIX = "-rehearsal"


def measured_against(ceremony: Ceremony) -> AwardBody:
    """The body whose earlier ceremonies a ceremony's results are measured against: its own, or
    for a rehearsal copy the real body's (else every figure would be a "first"; one query)."""
    if not ceremony.rehearsal:
        return ceremony.body
    slug = ceremony.body.slug.removesuffix(REHEARSAL_BODY_SUFFIX)
    return AwardBody.objects.filter(slug=slug).first() or ceremony.body


def made_by(ceremony: Ceremony, snapshot: dict) -> list[dict]:
    """The records this ceremony's results make, against the body's earlier ceremonies.

    Costs no query before the first result; then one, or six when earlier ceremonies changed;
    one more when a film's wins tonight, short of the record, are "the most since" (`since`).
    """
    if not any(c["announced"] for c in snapshot["categories"] if c["competitive"]):
        return []
    made = []
    body = measured_against(ceremony)
    earlier = earlier_records.get(body, ceremony.date)
    for kind, (figure, holders) in _night_figures(snapshot).items():
        if not is_notable(_record(kind, figure, holders)):
            continue
        previous = previous_record(earlier[kind])
        if previous["figure"] is None:
            status = "first"
        elif figure > previous["figure"]:
            status = "breaks"
        elif figure == previous["figure"]:
            if len(previous["holders"]) + len(holders) > MAX_HOLDERS:
                continue  # shared by too many to be a record
            status = "ties"
        elif kind == "film_wins" and figure >= SINCE_FROM:
            # Short of the record: the most for a film since when (a record in the making).
            since = film_wins_since(body, ceremony.date, figure)
            if since:
                made.append(
                    {
                        **_record(kind, figure, holders),
                        "status": "since",
                        "previous": since,
                    }
                )
            continue
        else:
            continue
        made.append({**_record(kind, figure, holders), "status": status, "previous": previous})
    return made
