import datetime as dt
import re
import zoneinfo

from django import template
from django.utils.formats import date_format

from ceremony.text import display_category_name, display_note, join_teams

register = template.Library()


VERDICT_WORDS = {"held": "won", "upset": "lost", "no_call": "not nominated here", "pending": ""}
# A film the archive knows by its IMDb id only (a precursor's winner never nominated for an
# Oscar): readers get words, not the id.
IMDB_ID = re.compile(r"^tt\d+$")


@register.filter
def film_label(label: str) -> str:
    return "a film not in the Oscars" if IMDB_ID.match(label or "") else label


@register.simple_tag
def season_bodies(cat: dict) -> list[dict]:
    """Each precursor body's winner and verdict in a snapshot's category, as live.js's
    renderSeason writes them: 'BAFTA: Mikey Madison (won)'. Only where two bodies or more."""
    season = cat.get("season") or {}
    bodies = season.get("bodies") or []
    if len(bodies) < 2:
        return []
    names = {
        n["id"]: n["film"] if cat.get("film_level") or not n["nominee"] else n["nominee"]
        for n in cat["nominations"]
    }
    out = []
    for body, winners, verdict in bodies:
        labels = [names.get(w, "") if isinstance(w, int) else film_label(w) for w in winners]
        words = VERDICT_WORDS.get(verdict, "")
        if verdict == "no_call" and winners and not all(isinstance(w, int) for w in winners):
            words = "not nominated here or cannot tell"
        text = f"{body}: {' / '.join(labels) or '—'}" + (f" ({words})" if words else "")
        out.append({"body": body, "verdict": verdict, "text": text})
    return out


@register.simple_tag(takes_context=True)
def desk_season(context, ceremony, slug: str) -> str:
    """The category's season in words for the desk, from the snapshot readers get (cached per
    version: no build, read once per page)."""
    from ceremony.realtime import snapshots

    cache = context.render_context
    if "desk_seasons" not in cache:
        data = snapshots.current_snapshot(ceremony).data
        cache["desk_seasons"] = {
            c["slug"]: c["precursor"]["summary"] for c in data["categories"] if c.get("season")
        }
    return cache["desk_seasons"].get(slug, "")


@register.filter
def local_time(value: str | None, tz_name: str) -> str:
    """An ISO timestamp from a snapshot, as the time in the ceremony's zone: '5:47 PM PST'."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value).astimezone(zoneinfo.ZoneInfo(tz_name))
    return moment.strftime("%-I:%M %p %Z")


@register.filter
def local_datetime(value: str | None, tz_name: str) -> str:
    """An ISO timestamp from a snapshot, as the day and time in the ceremony's zone:
    'Sunday 2 March 2025, 4:00 PM PST'."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value).astimezone(zoneinfo.ZoneInfo(tz_name))
    return moment.strftime("%A %-d %B %Y, %-I:%M %p %Z")


@register.filter(name="join_teams")
def join_teams_filter(credits: list[str]) -> str:
    """Several winners, each team whole: 'A, B and C; D and E' (text.join_teams)."""
    return join_teams(list(credits))


@register.filter
def winner_labels(winners: list[dict]) -> str:
    """A snapshot category's winners' labels in one line, each team whole."""
    return join_teams([w["label"] for w in winners])


@register.filter
def category_name(name: str) -> str:
    return display_category_name(name)


@register.filter
def note_text(note: str) -> str:
    return display_note(note)


@register.simple_tag
def nominee_parts(nomination: dict, film_level: bool) -> tuple[str, str]:
    """A nominee as headline and small print: the film first in a film-level category (its
    producers small), else the person first (the film small)."""
    film, nominee = nomination["film"], nomination["nominee"]
    person = nominee if nominee and nominee != film else ""
    if not person:
        return film or nominee, ""
    if not film:
        return person, ""
    return (film, person) if film_level else (person, film)


def _is_top_prize(name: str) -> bool:
    """Best Picture, and the Globes' two Best Motion Picture awards (Drama, Musical or Comedy)."""
    folded = name.casefold()
    if any(word in folded for word in TOP_PRIZE_EXCLUDED):
        return False
    return any(word in folded for word in ("picture", "outstanding production"))


TOP_PRIZE_EXCLUDED = ("animated", "foreign", "language", "documentary", "short", "television")


@register.filter
def show_order(categories: list[dict], status: str) -> list[dict]:
    """The categories as the page lists them: the show's order, and on a finished show's archive
    page Best Picture first."""
    if status != "final":
        return categories
    top = [c for c in categories if c.get("film_level") and _is_top_prize(c["name"])]
    return top + [c for c in categories if c not in top]


@register.simple_tag
def night_summary(snapshot: dict) -> dict:
    """A finished show in a few lines: the most awarded films, Best Picture, the upsets."""
    tallies = [t for t in snapshot["tallies"] if t["wins"]]
    most = [t for t in tallies if t["wins"] == tallies[0]["wins"]][:3] if tallies else []
    ordered = show_order(snapshot["categories"], "final")
    picture = None
    if ordered and ordered[0].get("film_level") and _is_top_prize(ordered[0]["name"]):
        top = ordered[0]
        if top["winners"]:
            headline = join_teams([w.get("headline", w["label"]) for w in top["winners"]])
            picture = {"name": top["name"], "slug": top["slug"], "headline": headline}
    upsets = []
    for cat in snapshot["categories"]:
        if cat["precursor"]["status"] == "upset":
            upsets.append(
                {
                    "slug": cat["slug"],
                    "name": cat["name"],
                    "winner": join_teams([w.get("headline", w["label"]) for w in cat["winners"]]),
                    "against": join_teams(cat["precursor"].get("lost", [])),
                    "grade": cat["precursor"].get("grade"),
                }
            )
    # Nothing to compare with: no category has a precursor (before 1944, a season with no
    # precursor in the archive, a precursor body's own ceremony).
    compared = [c for c in snapshot["categories"] if c.get("season")]
    held = sum(c["precursor"]["status"] == "held" for c in compared)
    against = [
        {"slug": c["slug"], "name": c["name"]} for c in compared if c["season"].get("against")
    ]
    return {
        "most": most,
        "picture": picture,
        "upsets": upsets,
        "compared": bool(compared),
        "held": held,
        "against_season": against,
    }


@register.simple_tag
def last_update(snapshot: dict) -> str:
    """The time of the newest result or correction in a snapshot, or ''."""
    if not snapshot["latest"]:
        return ""
    newest = snapshot["latest"][0]
    return newest["corrected_at"] or newest["announced_at"] or ""


@register.filter
def held_on(ceremony, fmt: str = "j F Y") -> str:
    """When a ceremony was held, in the `date` filter's `fmt`; the year alone where only the
    year is known (`date_exact` False: the stored day is a placeholder, never shown)."""
    if not ceremony.date_exact:
        return str(ceremony.date.year)
    return date_format(ceremony.date, fmt)
