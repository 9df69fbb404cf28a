"""The read model: plain functions from the database to one JSON-ready snapshot.

They know nothing of HTTP or sockets. The page, the JSON API and the websocket all serve the
snapshot built here, so they can never disagree. A snapshot is a pure function of the ceremony's
rows at its `version`; a fixed, small number of queries builds it, however big the ceremony.
"""

from collections import Counter
from typing import Any

from ceremony import history, records
from ceremony.forecast import odds
from ceremony.models import AuditEntry, Category, Ceremony, Nomination
from ceremony.precursors import (
    NomineeView,
    nominations_prefetch,
    precursor_links_prefetch,
    precursor_verdict,
    season_grade,
    season_links,
    season_sentence,
    season_verdict,
    verdict_links,
)
from ceremony.precursors import nominee_view as _view
from ceremony.text import (
    display_category_name,
    display_note,
    field_of,
    join_labels,
)

LATEST_COUNT = 5
# "Wins by person" leads with these fields (what a reader came for), then the rest by wins.
LEADING_FIELDS = ("acting", "directing")


def is_film_level(category_name: str) -> bool:
    """Picture, Animated, International, Documentary, Shorts: the film is what wins, and its
    producers are the small print."""
    return field_of(category_name) == "picture"


def _winner(view: NomineeView, film_level: bool) -> dict[str, Any]:
    """A winner, headline first: the film in a film-level category, else the person."""
    person = view.nominee if view.nominee and view.nominee != view.film else ""
    if film_level or not person:
        headline, credit = view.film or view.nominee, person if view.film else ""
    else:
        headline, credit = person, view.film
    return {"id": view.id, "label": view.label, "headline": headline, "credit": credit}


def _corrections(ceremony: Ceremony, categories: list[Category]) -> dict[int, AuditEntry]:
    """Per corrected category, its latest correction or withdrawal in the audit log (one query,
    none while nothing was ever corrected)."""
    ids = [c.pk for c in categories if c.corrected_at]
    if not ids:
        return {}
    entries = AuditEntry.objects.filter(
        ceremony=ceremony,
        category_id__in=ids,
        action__in=[AuditEntry.Action.CORRECT, AuditEntry.Action.WITHDRAW],
    ).order_by("pk")
    return {e.category_id: e for e in entries.only("category_id", "before", "reason")}


def _correction(
    entry: AuditEntry | None, views: list[NomineeView], winners: list[dict], film_level: bool
) -> dict[str, Any] | None:
    """What a corrected category was before its latest change, and why it changed."""
    if entry is None:
        return None
    by_id = {v.id: v for v in views}
    was_ids = [w.get("id") for w in entry.before.get("winners", [])]
    was = [
        _winner(by_id[w["id"]], film_level)["headline"] if w.get("id") in by_id else w["label"]
        for w in entry.before.get("winners", [])
    ]
    if sorted(was_ids) == sorted(w["id"] for w in winners):
        was = []  # withdrawn, then the same result recorded again
    return {"was": was, "reason": entry.reason}


def season_row(season: dict[str, Any]) -> dict[str, Any]:
    """The snapshot's `season` of a category (docs/protocol.md): per body its name, its
    winners (a nomination id where the winner is nominated here, else the film or label as a
    string) and verdict; the favourite's id with the bodies it won of those counted, how strongly,
    and whether the Oscar went against it. Compact: some 150 bytes for five bodies."""
    favourite = season["favourite"]
    row: dict[str, Any] = {
        "bodies": [[b["body"], b["ids"] or b["winners"], b["verdict"]] for b in season["bodies"]],
        "favourite": favourite and favourite["id"],
    }
    if favourite:
        row.update(
            won=favourite["won"],
            of=favourite["of"],
            strength=favourite["strength"],
            against=season["against"],
        )
    return row


def _season(past, category: Category, date, views: list[NomineeView], verdict: dict) -> dict:
    """The category's season (every precursor body), and the words and grade that follow it."""
    links = season_links(category)
    if not links:
        return {}
    key = history.track_key(category.name, category.canonical_name)
    found = season_verdict(views, links, past.weights(key, date, {link.body for link in links}))
    sentence = season_sentence(found, verdict["status"])
    if sentence:
        verdict["summary"] = sentence
        if verdict["status"] == "upset" and (grade := season_grade(found)):
            verdict["grade"] = grade
    return season_row(found)


def _nominee(nomination: Nomination, view: NomineeView) -> dict[str, Any]:
    row = {
        "id": nomination.pk,
        "film": view.film,
        "films": [f.slug for f in nomination.films.all()],
        "nominee": view.nominee,
        "people": [p.slug for p in nomination.people.all()],
        "won": nomination.won,
    }
    # The source's note (a refusal, a placement, a tie) only where there is one: most have none.
    if nomination.note:
        row["note"] = display_note(nomination.note)
    return row


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _ceremony_names(ceremony: Ceremony) -> dict[str, Any]:
    """What names and dates a ceremony, in its snapshot and in the ceremonies list."""
    return {
        "slug": ceremony.slug,
        "name": ceremony.name,
        "body": ceremony.body.name,
        "edition": ceremony.edition,
        "date": ceremony.date.isoformat(),
        # False: only the year is known, and `date` is a placeholder in that year.
        "date_exact": ceremony.date_exact,
    }


def snapshot(ceremony: Ceremony) -> dict[str, Any]:
    """Everything a reader's page shows, as of `ceremony.version`."""
    categories = list(
        Category.objects.filter(ceremony=ceremony)
        .in_order()
        .prefetch_related(
            nominations_prefetch(),
            precursor_links_prefetch(),
        )
    )
    corrections = _corrections(ceremony, categories)
    # The Globes' track record, read only where a category has precursors (cached per archive
    # change: one query).
    past = None
    track_keys: dict[str, str] = {}
    films: dict[str, dict[str, Any]] = {}
    people_wins: Counter = Counter()
    people_names: dict[int, tuple[str, str]] = {}
    people_first: dict[int, int] = {}
    people_films: dict[int, dict[str, str]] = {}
    people_lead: set[int] = set()
    rows = []
    for category in categories:
        nominations = list(category.nominations.all())
        views = [_view(n) for n in nominations]
        links = verdict_links(category)
        winners = [v for v in views if v.won]
        verdict = precursor_verdict(views, links)
        key = ""
        season = {}
        if links:
            past = past or history.current()
            verdict.update(history.graded(past, category, ceremony.date, verdict["status"]))
            key = history.track_key(category.name, category.canonical_name)
        if category.precursor_links.all():
            past = past or history.current()
            season = _season(past, category, ceremony.date, views, verdict)
        track_keys[category.slug] = key
        film_level = is_film_level(category.name)
        winner_rows = [_winner(w, film_level) for w in winners]
        rows.append(
            {
                "slug": category.slug,
                "name": display_category_name(category.name),
                "order": category.order,
                "competitive": category.competitive,
                "announced": bool(winners),
                "announced_at": _iso(category.announced_at),
                "corrected_at": _iso(category.corrected_at),
                # Only a tie the source or the desk declared: several winners of an honorary
                # award, or one per studio (the 6th Assistant Director), are several winners.
                "tie": category.is_tie,
                "revision": category.revision,
                "film_level": film_level,
                "winners": winner_rows,
                "correction": _correction(
                    corrections.get(category.pk), views, winner_rows, film_level
                ),
                # The editor's note published with the result (none while not announced).
                "note": category.note if winners else "",
                "nominations": [_nominee(n, v) for n, v in zip(nominations, views, strict=True)],
                "precursor": verdict,
            }
        )
        if season:
            rows[-1]["season"] = season
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
                    # Ties on wins go by the first win in the show's order.
                    people_first.setdefault(person.pk, len(rows))
                    if field_of(category.name) in LEADING_FIELDS:
                        people_lead.add(person.pk)
                    won_for = people_films.setdefault(person.pk, {})
                    for film in nomination.films.all():
                        won_for.setdefault(film.slug, film.title)

    # The forecast's odds per category (issue 26; one query, the stored fit).
    odds.add_forecast(ceremony.pk, rows)
    competitive = [r for r in rows if r["competitive"]]
    tallies = sorted(
        films.values(), key=lambda f: (-f["wins"], -f["nominations"], f["film"].casefold())
    )
    people = [
        {
            "name": people_names[pk][0],
            "slug": people_names[pk][1],
            "wins": wins,
            "films": [{"slug": slug, "title": title} for slug, title in people_films[pk].items()],
        }
        # Acting and directing winners first, then by wins; ties on wins by the first win.
        for pk, wins in sorted(
            people_wins.items(),
            key=lambda pw: (pw[0] not in people_lead, -pw[1], people_first[pw[0]]),
        )
    ]
    timeline = sorted(
        (r for r in rows if r["announced_at"] or r["corrected_at"]),
        key=lambda r: max(r["announced_at"] or "", r["corrected_at"] or ""),
        reverse=True,
    )
    data = {
        "ceremony": {
            **_ceremony_names(ceremony),
            "venue": ceremony.venue,
            "starts_at": _iso(ceremony.starts_at),
            "time_zone": ceremony.time_zone,
            "status": ceremony.status,
            "rehearsal": ceremony.rehearsal,
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
                "headlines": [w["headline"] for w in r["winners"]],
                "announced_at": r["announced_at"],
                "corrected_at": r["corrected_at"],
                "correction": r["correction"],
                "upset_against": r["precursor"]["lost"]
                if r["precursor"]["status"] == "upset"
                else [],
                "note": r["note"],
            }
            for r in timeline[:LATEST_COUNT]
        ],
    }
    if past is not None:
        data["globes"] = history.tonight(
            past,
            ceremony,
            [{**r, "track_key": track_keys[r["slug"]]} for r in competitive],
        )
    # Records this ceremony's results make (a few queries, only once something is announced).
    data["records"] = records.made_by(ceremony, data)
    return data


def ceremony_summary(ceremony: Ceremony) -> dict[str, Any]:
    """One line of the ceremonies list."""
    return {
        **_ceremony_names(ceremony),
        "status": ceremony.status,
        "rehearsal": ceremony.rehearsal,
        "version": ceremony.version,
    }


# --- notes the desk suggests ------------------------------------------------------------------


def ordinal(n: int) -> str:
    if n == 1:
        return "first"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def note_suggestion(data: dict[str, Any], category_slug: str, nomination_id: int) -> str:
    """The note the desk suggests if this nominee wins (or won) this category, from the
    snapshot readers get: the precursor verdict in words, then the film's running tally
    tonight ("Anora's 4th win tonight", or its first win) and a person's, from their second.
    Pure; the editor accepts, edits or ignores it, and nothing is published without them."""
    row = next((r for r in data["categories"] if r["slug"] == category_slug), None)
    if row is None:
        return ""
    nominee = next((n for n in row["nominations"] if n["id"] == nomination_id), None)
    if nominee is None:
        return ""
    parts = []
    favourites = row["precursor"]["favourites"]
    season = row.get("season") or {}
    if season.get("favourite") and season.get("of", 0) >= 2:
        # Where two or more bodies made a call, the season speaks for them all.
        won, of = season["won"], season["of"]
        if season["favourite"] == nomination_id:
            parts.append(f"The season's favourite ({won} of {of}).")
        else:
            parts.append(f"Against the season's favourite ({won} of {of}).")
    elif favourites:
        body = favourites[0].get("body") or "precursor"
        if any(f["id"] == nomination_id for f in favourites):
            parts.append(f"As at the {body}s.")
        else:
            labels = join_labels([f["label"] for f in favourites])
            plural = "s" if len(favourites) > 1 else ""
            parts.append(f"Upset over {body} winner{plural} {labels}.")
    if row["competitive"]:
        # Wins tonight before this one: categories announced earlier (or not this one).
        this_time = row["announced_at"]
        earlier = [
            r
            for r in data["categories"]
            if r["competitive"]
            and r["announced"]
            and r["slug"] != category_slug
            and (this_time is None or (r["announced_at"] or "") <= this_time)
        ]
        titles = {t["slug"]: t["film"] for t in data["tallies"]}
        for slug in nominee["films"][:1]:
            wins = 1 + sum(
                1 for r in earlier for n in r["nominations"] if n["won"] and slug in n["films"]
            )
            film = titles.get(slug, nominee["film"])
            if wins == 1:
                parts.append(f"{film}'s first win tonight.")
            else:
                parts.append(f"{film}'s {ordinal(wins)} win tonight.")
        people = nominee["people"]
        if len(people) == 1:
            wins = 1 + sum(
                1
                for r in earlier
                for n in r["nominations"]
                if n["won"] and people[0] in n["people"]
            )
            if wins > 1:
                parts.append(f"{nominee['nominee']}'s {ordinal(wins)} win tonight.")
    return " ".join(parts)[:280]
