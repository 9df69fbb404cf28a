"""The Golden Globes' track record as the Oscars' predictor, and how big an upset was.

Every finished Oscar ceremony's categories with precursor links get the same verdict the live page
gives (`precursors.precursor_verdict`); a season *counts* for a category when a Globe winner was
nominated there (held or upset). From those: a category's track record before any date (all
seasons and the last 20), the grade of an upset, the "always the Globe winner" baseline, every
historical upset and each season's carry-over. Pure reads; the whole history is read once per
archive change (a fingerprint of the finished ceremonies) and kept per process. The rules and the
figures: docs/archive.md (*Track records and upsets*).
"""

import bisect
import datetime as dt
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Max
from django.utils.text import slugify

from ceremony.models import AwardBody, Category, Ceremony, Nomination, PrecursorLink
from ceremony.precursors import (
    PRECURSOR_BODY,
    SUCCESSOR_BODY,
    body_label,
    body_weight,
    nominee_view,
    precursor_rules,
    precursor_verdict,
    season_grade,
    season_links,
    season_sentence,
    season_verdict,
    verdict_links,
)
from ceremony.text import field_of, fold_category_name, is_song_category

LAST = 20
# A record resting on fewer seasons is shown as a count, never as a percentage.
MIN_SEASONS = 10
# An upset's grade by the share of the last 20 counted seasons the Globe winner won.
GRADES = ((0.8, "major", "Major upset"), (0.6, "big", "Big upset"), (0.4, "upset", "Upset"))
MILD = ("mild", "Mild upset")
UNRATED = ("unrated", "Upset")
# "An average night since 2000 has 2.1 upsets by now."
PACE_SINCE = 2000


@dataclass(frozen=True)
class Season:
    """One Oscar category at one finished ceremony with precursor links, and its verdict."""

    key: str
    status: str  # held, upset or no_call: the Globes' verdict (the upset flag)
    year: int  # the year the Oscars were held
    date: dt.date
    ceremony: dict
    globes: dict | None
    category: dict
    favourites: tuple = ()
    winners: tuple = ()
    globe_winners: tuple = ()
    # What the season's verdict reads (precursors.season_verdict): the nominees and every
    # body's links; and each body's own verdict, (body name, held/upset/no_call).
    views: tuple = ()
    links: tuple = ()
    bodies: tuple = ()

    @property
    def counts(self) -> bool:
        return self.status in ("held", "upset")


@dataclass
class History:
    """The seasons per track key in date order, and prefix counts for the records before a date."""

    seasons: list[Season] = field(default_factory=list)
    # The Golden Globes' counted seasons per track key (the upset flag's record).
    counted: dict[str, list[Season]] = field(default_factory=dict)
    # Every body's: (body name, track key) -> its counted seasons, their dates and held prefix.
    by_body: dict[tuple[str, str], list[Season]] = field(default_factory=dict)
    _dates: dict[tuple[str, str], list[dt.date]] = field(default_factory=dict)
    _held: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    _verdicts: dict[int, dict] = field(default_factory=dict)

    def __post_init__(self):
        by_key = defaultdict(list)
        for season in sorted(self.seasons, key=lambda s: (s.date, s.category["order"])):
            for body, status in season.bodies:
                if status in ("held", "upset"):
                    by_key[(body, season.key)].append((season, status))
        self.by_body = {k: [s for s, _ in v] for k, v in by_key.items()}
        self.counted = {key: v for (body, key), v in self.by_body.items() if body == PRECURSOR_BODY}
        for k, seasons in by_key.items():
            self._dates[k] = [s.date for s, _ in seasons]
            self._held[k] = _prefix(status == "held" for _, status in seasons)

    def bodies(self) -> list[str]:
        """Every body with a counted season, the Globes first, then by name."""
        names = {body for body, _ in self.by_body}
        return sorted(names, key=lambda b: (b != PRECURSOR_BODY, b))

    def track(
        self, key: str, before: dt.date | None = None, body: str = PRECURSOR_BODY
    ) -> dict[str, Any] | None:
        """A body's record in the category over its counted seasons held before `before` (all
        if None), or None where there is none. The Golden Globes' unless `body` is given."""
        seasons = self.by_body.get((body, key))
        if not seasons:
            return None
        dates = self._dates[(body, key)]
        end = len(seasons) if before is None else bisect.bisect_left(dates, before)
        if not end:
            return None
        start = max(0, end - LAST)
        held = self._held[(body, key)]
        return {
            "won": held[end],
            "of": end,
            "seasons_from": seasons[0].year,
            "seasons_to": seasons[end - 1].year,
            "last20_won": held[end] - held[start],
            "last20_of": end - start,
            "last20_from": seasons[start].year,
        }

    def baseline(
        self,
        before: dt.date | None = None,
        since: int | None = None,
        body: str = PRECURSOR_BODY,
    ) -> dict | None:
        """'Always the body's winner' over every category's counted seasons before `before`
        (held after `since`, a year, if given): right when its winner won, counted as its track
        record counts (one meaning of "the Globe winner": either of Drama and Comedy)."""
        won = of = 0
        years = []
        for (owner, key), seasons in self.by_body.items():
            if owner != body:
                continue
            dates = self._dates[(owner, key)]
            end = len(seasons) if before is None else bisect.bisect_left(dates, before)
            start = 0 if since is None else bisect.bisect_left(dates, dt.date(since, 1, 1))
            if end > start:
                won += self._held[(owner, key)][end] - self._held[(owner, key)][start]
                of += end - start
                years += [seasons[start].year, seasons[end - 1].year]
        if not of:
            return None
        return {"won": won, "of": of, "seasons_from": min(years), "seasons_to": max(years)}

    def weights(self, key: str, before: dt.date, names) -> dict[str, float]:
        """Each body's weight in this category for a season held on `before`: its own record
        there before it (precursors.body_weight)."""
        return {name: body_weight(self.track(key, before, name)) for name in names}

    def verdict(self, season: Season) -> dict[str, Any]:
        """The season's verdict of a past season, each body weighted by its record before it."""
        found = self._verdicts.get(id(season))
        if found is None:
            names = {link.body for link in season.links}
            weights = self.weights(season.key, season.date, names)
            found = season_verdict(list(season.views), list(season.links), weights)
            self._verdicts[id(season)] = found
        return found

    def consensus_baseline(
        self, before: dt.date | None = None, since: int | None = None
    ) -> dict | None:
        """'Always the season's favourite': over the seasons before `before` (held after
        `since`) with a favourite among two or more bodies with a call, right when it won."""
        won = of = 0
        years = []
        for season in self.seasons:
            if before is not None and season.date >= before:
                continue
            if since is not None and season.year < since:
                continue
            found = self.verdict(season)
            favourite = found["favourite"]
            if not favourite or favourite["of"] < 2 or not found["announced"]:
                continue
            of += 1
            won += not found["against"]
            years.append(season.year)
        if not of:
            return None
        return {"won": won, "of": of, "seasons_from": min(years), "seasons_to": max(years)}

    def pace(self, keys: list[str], before: dt.date, since: int = PACE_SINCE) -> dict | None:
        """How many upsets an average night held from `since` until `before` had in these
        categories (those announced so far tonight), and over how many nights."""
        start = dt.date(since, 1, 1)
        nights = {s.ceremony["slug"] for s in self.seasons if start <= s.date < before}
        if not nights:
            return None
        wanted = set(keys)
        upsets = sum(
            1
            for s in self.seasons
            if s.status == "upset" and s.key in wanted and start <= s.date < before
        )
        return {"average": round(upsets / len(nights), 1), "nights": len(nights), "since": since}

    def season_view(self, season: Season) -> dict[str, Any]:
        """A past season's verdict as the archive pages show it: each body's winners and
        verdict, the favourite (label, bodies, strength), the sentence and the season's grade."""
        found = self.verdict(season)
        labels = {v.id: v.label for v in season.views}
        favourite = found["favourite"]
        fav = None
        if favourite:
            fav = {
                **favourite,
                "label": labels[favourite["id"]],
                "bodies": found["picked_by"][favourite["id"]],
            }
        return {
            "bodies": found["bodies"],
            "favourite": fav,
            "against": found["against"],
            "split": [labels[i] for i in found["split"]],
            "sentence": season_sentence(found, season.status),
            "grade": season_grade(found) if found["against"] or season.status == "upset" else None,
            "several": len(found["bodies"]) > 1,
        }

    @cached_property
    def season_upset_rows(self) -> list[dict[str, Any]]:
        """Every Oscar that went against the season's favourite (two or more bodies with a
        call), the most favoured first: by the favourite's share of the season's weight."""
        rows = []
        for season in self.seasons:
            found = self.verdict(season)
            if not found["against"] or found["favourite"]["of"] < 2:
                continue
            view = self.season_view(season)
            rows.append({"season": season, "view": view, "grade": view["grade"]})
        rows.sort(key=lambda r: -r["season"].date.toordinal())
        rows.sort(key=lambda r: -r["grade"]["rate"])
        return rows

    @cached_property
    def upset_rows(self) -> list[dict[str, Any]]:
        """`upsets()`, worked out once per history (the upsets page filters it)."""
        return self.upsets()

    @cached_property
    def years(self) -> list[dict[str, Any]]:
        """Per Oscar ceremony, newest first: its linked categories' seasons in the show's order,
        the Globe ceremony they follow, and the carry-over (held of counted)."""
        by_ceremony: dict[str, list[Season]] = defaultdict(list)
        for season in self.seasons:
            by_ceremony[season.ceremony["slug"]].append(season)
        out = []
        for seasons in by_ceremony.values():
            seasons.sort(key=lambda s: s.category["order"])
            first = seasons[0]
            counted = [s for s in seasons if s.counts]
            precursors = {}
            for s in seasons:
                for link in s.links:
                    precursors.setdefault(link.slug, (link.date, link.ceremony, link.body))
            favoured = [
                found
                for found in map(self.verdict, seasons)
                if found["favourite"] and found["favourite"]["of"] >= 2 and found["announced"]
            ]
            out.append(
                {
                    "year": first.year,
                    "ceremony": first.ceremony,
                    "globes": next((s.globes for s in seasons if s.globes), None),
                    "seasons": seasons,
                    "held": sum(s.status == "held" for s in counted),
                    "counted": len(counted),
                    # Every precursor ceremony of the season, in the order held.
                    "precursors": [
                        {"name": name, "slug": slug, "body": body}
                        for slug, (_, name, body) in sorted(
                            precursors.items(), key=lambda item: item[1][0]
                        )
                    ],
                    "favourite_held": sum(not f["against"] for f in favoured),
                    "favoured": len(favoured),
                }
            )
        out.sort(key=lambda y: y["year"], reverse=True)
        return out

    @cached_property
    def decades(self) -> dict[str, Any]:
        """Carry-over per category and decade (of the years held): held and counted."""
        cells: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
        for key, seasons in self.counted.items():
            for season in seasons:
                cell = cells[(key, season.year // 10 * 10)]
                cell[0] += season.status == "held"
                cell[1] += 1
        decades = sorted({d for _, d in cells})
        keys = [k for k in track_keys() if k in self.counted]
        return {"keys": keys, "decades": decades, "cells": dict(cells)}

    def upsets(self) -> list[dict[str, Any]]:
        """Every historical upset with its grade against the record before it, the most
        favoured Globe winner first (unrated ones last, newest first among equals)."""
        rows = []
        for season in self.seasons:
            if season.status != "upset":
                continue
            track = self.track(season.key, season.date)
            rows.append(
                {"season": season, "track": track, "text": track_text(track), "grade": grade(track)}
            )
        rows.sort(key=lambda r: -r["season"].date.toordinal())
        rows.sort(key=lambda r: (-r["grade"]["rate"], -(r["track"] or {}).get("last20_of", 0)))
        return rows


def _prefix(flags) -> list[int]:
    out = [0]
    for flag in flags:
        out.append(out[-1] + bool(flag))
    return out


# --- track keys: one Oscar category across the years ------------------------------------------


def track_key(name: str, canonical_name: str = "") -> str:
    """The name a category's track record goes by: the first name of its precursors.json rule
    (the oscars.csv canonical name), except the rule's extra names (Cinematography's
    Black-and-White and Color awards of 1940-1967), which keep records of their own."""
    names = [fold_category_name(canonical_name), fold_category_name(name)]
    for rule in precursor_rules():
        order = rule["oscar_names"]
        for n in names:
            if n and n in order:
                return n if order.index(n) >= 2 else order[0]
    return names[0] or names[1]


def track_keys() -> list[str]:
    """Every track key in precursors.json's order (the extras after their rule's own)."""
    keys = []
    for rule in precursor_rules():
        order = rule["oscar_names"]
        keys += [order[0], *order[2:]]
    return keys


def track_label(key: str) -> str:
    """'Best Actress' for 'actress in a leading role'; the extra names keep their parenthesis."""
    for rule in precursor_rules():
        order = rule["oscar_names"]
        if key in order:
            shown, index = rule["shown"], order.index(key)
            extra = re.search(r"\(([^)]*)\)", rule["names"][index]) if index >= 2 else None
            return f"{shown} ({extra.group(1)})" if extra else shown
    return key.title()


def track_slug(key: str) -> str:
    return slugify(track_label(key))


# --- figures in words ---------------------------------------------------------------------------


def _pct(won: int, of: int) -> str:
    return f" ({round(100 * won / of)}%)" if of >= MIN_SEASONS else ""


def track_text(track: dict | None) -> str:
    """'Globe winners nominated here won in 17 of the last 20 seasons (85%), 2005-2024; 61 of
    79 since 1944.' Under MIN_SEASONS the count alone."""
    if not track:
        return ""
    won, of, first, to = track["won"], track["of"], track["seasons_from"], track["seasons_to"]
    if of <= LAST:
        span = f"{first}–{to}"
        return f"Globe winners nominated here won in {won} of {of} seasons{_pct(won, of)}, {span}."
    last_won, last_of = track["last20_won"], track["last20_of"]
    return (
        f"Globe winners nominated here won in {last_won} of the last {last_of} seasons"
        f"{_pct(last_won, last_of)}, {track['last20_from']}–{to}; {won} of {of} since {first}."
    )


def graded(past: History, category: Category, date: dt.date, status: str) -> dict[str, Any]:
    """What a snapshot's category verdict gains: the record before this ceremony (`track`,
    with its words) and, on an upset, its `grade`. A few hundred bytes at most."""
    track = past.track(track_key(category.name, category.canonical_name), date)
    out: dict[str, Any] = {"track": {**track, "text": track_text(track)} if track else None}
    if status == "upset":
        out["grade"] = grade(track)
    return out


def tonight(past: History, ceremony: Ceremony, rows: list[dict]) -> dict[str, Any]:
    """The snapshot's `globes`: the "always the Globe winner" baseline before this ceremony
    (all seasons and since PACE_SINCE), and tonight's upsets so far against an average night's
    in the same categories."""
    all_time = past.baseline(ceremony.date)
    recent = past.baseline(ceremony.date, since=PACE_SINCE)
    baseline = ""
    if all_time:
        baseline = (
            f"At past Oscars it was right in {all_time['won']} of {all_time['of']} categories"
            f"{_pct(all_time['won'], all_time['of'])}, "
            f"{all_time['seasons_from']}–{all_time['seasons_to']}"
        )
        if recent and recent["of"] != all_time["of"]:
            baseline += f"; {_share(recent['won'], recent['of'])} since {PACE_SINCE}"
        baseline += "."
    announced = [r for r in rows if r["competitive"] and r["announced"] and r["track_key"]]
    pace = past.pace([r["track_key"] for r in announced], ceremony.date)
    upsets = sum(r["precursor"]["status"] == "upset" for r in announced)
    pace_text = ""
    if announced and pace:
        pace_text = (
            f"{upsets} upset{'s' if upsets != 1 else ''} in {len(announced)} "
            f"categor{'ies' if len(announced) != 1 else 'y'}; an average night since "
            f"{pace['since']} had {pace['average']} by now."
        )
    season = past.consensus_baseline(ceremony.date)
    season_text = ""
    if season:
        season_text = (
            f"The season's favourite was right in {_share(season['won'], season['of'])} "
            f"categories with two or more precursors, {season['seasons_from']}–"
            f"{season['seasons_to']}."
        )
    bodies = []
    for body in past.bodies():
        found = past.baseline(ceremony.date, body=body)
        if found:
            bodies.append({"body": body_label(body), "won": found["won"], "of": found["of"]})
    if season and len(bodies) > 1:
        each = ", ".join(f"{b['body']} {_share(b['won'], b['of'])}" for b in bodies)
        season_text += f" Always each body's winner: {each}."
    return {
        "baseline": all_time,
        "baseline_text": baseline,
        "pace": pace,
        "pace_text": pace_text,
        # The ballot's baselines of the other bodies and of the season's favourite.
        "bodies": bodies,
        "season": season,
        "season_text": season_text,
    }


def _share(won: int, of: int) -> str:
    return f"{won} of {of}{_pct(won, of)}"


def grade(track: dict | None) -> dict[str, Any]:
    """How big an upset losing this record is: by the last 20 counted seasons' share (the
    favourite's strength now), unrated under MIN_SEASONS."""
    if not track or track["last20_of"] < MIN_SEASONS:
        return {"level": UNRATED[0], "label": UNRATED[1], "rate": -1.0}
    rate = track["last20_won"] / track["last20_of"]
    level, label = next(((lv, lb) for floor, lv, lb in GRADES if rate >= floor), MILD)
    return {"level": level, "label": label, "rate": round(rate, 2)}


# --- reading the whole history, once per archive change ---------------------------------------


def _who(nomination, song: bool, film_level: bool) -> dict:
    """What a page links a nominee to: its films and people (a film-level category's winner is
    its film, not its producers) and a song's title."""
    return {
        "song": nomination.detail if song else "",
        "films": [{"title": f.title, "slug": f.slug} for f in nomination.films.all()],
        "people": []
        if film_level
        else [{"name": p.name, "slug": p.slug} for p in nomination.people.all()],
    }


def _season(category: Category) -> Season:
    nominations = list(category.nominations.all())
    views = [nominee_view(n) for n in nominations]
    links = verdict_links(category)
    verdict = precursor_verdict(views, links)
    every = season_links(category)
    # Each body's own verdict needs no weights (they only order the consensus).
    bodies = season_verdict(views, every, {})["bodies"]
    by_id = dict(zip([v.id for v in views], nominations, strict=True))
    winners = [v for v in views if v.won]
    favourites = verdict["favourites"]
    ceremony = category.ceremony
    song = is_song_category(category.name)
    film_level = field_of(category.name) == "picture"

    def who(nomination) -> dict:
        return _who(nomination, song, film_level)

    globe_links = [
        link
        for link in category.precursor_links.all()
        if link.precursor.ceremony.body.name == PRECURSOR_BODY
    ]
    globe = next(iter(globe_links), None)
    globe_winners = [
        {"label": v.label, "precursor": link.precursor.name}
        for link in globe_links
        for v in (nominee_view(n) for n in link.precursor.nominations.all())
    ]
    return Season(
        key=track_key(category.name, category.canonical_name),
        status=verdict["status"],
        year=ceremony.date.year,
        date=ceremony.date,
        ceremony={"name": ceremony.name, "slug": ceremony.slug, "film_year": ceremony.film_year},
        globes={"name": globe.precursor.ceremony.name, "slug": globe.precursor.ceremony.slug}
        if globe
        else None,
        category={"name": category.name, "slug": category.slug, "order": category.order},
        favourites=tuple(
            {"label": f["label"], "precursor": f["precursor"], **who(by_id[f["id"]])}
            for f in favourites
        ),
        winners=tuple({"label": w.label, **who(by_id[w.id])} for w in winners),
        globe_winners=tuple(globe_winners),
        views=tuple(views),
        links=tuple(every),
        bodies=tuple((b["name"], b["verdict"]) for b in bodies),
    )


def finished_oscars():
    return Ceremony.objects.filter(
        body__name=SUCCESSOR_BODY, status=Ceremony.Status.FINAL, rehearsal=False
    )


class _Rows(list):
    """A list that answers `.all()`, as a prefetched relation does."""

    def all(self):
        return self


def _plain(row: dict, names: tuple, prefix: str = "", **more) -> SimpleNamespace:
    """A `values()` row's fields `prefix + name` as attributes `name`, and `more`."""
    return SimpleNamespace(**{n: row[prefix + n] for n in names}, **more)


def read_history() -> History:
    """Every finished Oscar ceremony's linked competitive categories, with their nominations and
    their precursors' winners: six flat queries, read into plain objects shaped like the
    prefetched models `_season` and the verdict read (0.5 s for the whole history; the
    prefetches took 4 s, building some 23,000 model instances). tests/test_history.py checks
    that both give the same seasons."""
    categories = Category.objects.filter(
        ceremony__in=finished_oscars(), competitive=True, precursor_links__isnull=False
    ).distinct()
    ceremony_fields = ("name", "slug", "film_year", "date")
    by_category = {
        row["id"]: _plain(
            row,
            ("name", "slug", "order", "canonical_name"),
            pk=row["id"],
            ceremony=_plain(row, ceremony_fields, "ceremony__"),
            nominations=_Rows(),
            precursor_links=_Rows(),
        )
        for row in categories.values(
            "id",
            "name",
            "slug",
            "order",
            "canonical_name",
            *(f"ceremony__{f}" for f in ceremony_fields),
        )
    }
    precursors: dict[int, SimpleNamespace] = {}
    links = PrecursorLink.objects.filter(category__in=categories).order_by("pk")
    for row in links.values(
        "category_id",
        "precursor_id",
        "match",
        "precursor__name",
        "precursor__ceremony__name",
        "precursor__ceremony__slug",
        "precursor__ceremony__date",
        "precursor__ceremony__body__name",
    ):
        precursor = precursors.setdefault(
            row["precursor_id"],
            SimpleNamespace(
                name=row["precursor__name"],
                ceremony=SimpleNamespace(
                    name=row["precursor__ceremony__name"],
                    slug=row["precursor__ceremony__slug"],
                    date=row["precursor__ceremony__date"],
                    body=AwardBody(name=row["precursor__ceremony__body__name"]),
                ),
                nominations=_Rows(),
            ),
        )
        link = SimpleNamespace(match=row["match"], precursor=precursor)
        by_category[row["category_id"]].precursor_links.append(link)
    nominations = {}
    fields = ("nominee", "film_title", "detail", "won")
    for queryset, owners in (
        (Nomination.objects.filter(category__in=categories), by_category),
        (Nomination.objects.filter(category_id__in=list(precursors), won=True), precursors),
    ):
        for row in queryset.order_by("order", "pk").values("id", "category_id", *fields):
            nomination = _plain(row, fields, pk=row["id"], films=_Rows(), people=_Rows())
            nominations[row["id"]] = nomination
            owners[row["category_id"]].nominations.append(nomination)
    ids = list(nominations)
    # In the models' own order (Film: title, year; Person: name), as the prefetches read them.
    for row in (
        Nomination.films.through.objects.filter(nomination_id__in=ids)
        .order_by("film__title", "film__year", "film_id")
        .values("nomination_id", "film_id", "film__title", "film__slug")
    ):
        nominations[row["nomination_id"]].films.append(
            SimpleNamespace(pk=row["film_id"], title=row["film__title"], slug=row["film__slug"])
        )
    for row in (
        Nomination.people.through.objects.filter(nomination_id__in=ids)
        .order_by("person__name", "person_id")
        .values("nomination_id", "person_id", "person__name", "person__slug")
    ):
        nominations[row["nomination_id"]].people.append(
            SimpleNamespace(pk=row["person_id"], name=row["person__name"], slug=row["person__slug"])
        )
    return History(seasons=[_season(c) for c in by_category.values()])


class _Cache:
    """The history, per process, read again only when a finished ceremony (of either body)
    changes: their number and latest `updated_at` are its fingerprint, one cheap query. A live
    ceremony's results do not move it."""

    def __init__(self):
        self._item: tuple | None = None
        self._lock = threading.Lock()

    def get(self) -> History:
        fingerprint = tuple(
            Ceremony.objects.filter(status=Ceremony.Status.FINAL, rehearsal=False)
            .aggregate(n=Count("pk"), changed=Max("updated_at"))
            .values()
        )
        with self._lock:
            item = self._item
        if item and item[0] == fingerprint:
            return item[1]
        found = read_history()
        with self._lock:
            self._item = (fingerprint, found)
        return found

    def clear(self):
        with self._lock:
            self._item = None


cache = _Cache()


def current() -> History:
    return cache.get()
