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
from ceremony.text import credited_as, fold_category_name, join_labels, join_teams, song_key

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
    """A nomination as matching sees it (its films and people prefetched), its credit in its
    linked people's own spelling: one person, one name on every page that shows a view."""
    films = nomination.films.all()
    people = nomination.people.all()
    return NomineeView(
        id=nomination.pk,
        film=nomination.film_title or " / ".join(f.title for f in films),
        nominee=credited_as(nomination.nominee, [p.name for p in people]),
        film_ids=frozenset(f.pk for f in films),
        person_ids=frozenset(p.pk for p in people),
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


def matched(precursor_winner: NomineeView, nominees: list[NomineeView], how: str):
    """The nominees this precursor winner is (most often one, or none: not nominated here), or
    None where it cannot be told: a winner that matches two or more nominees here (a film-only
    winner whose film has two performances nominated, or nominees known by film only) is
    matched to neither, never guessed."""
    found = [n for n in nominees if matches(precursor_winner, n, how)]
    if len(found) > 1:
        return None
    return found


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
            for nominee in matched(winner, nominees, how) or ():
                if nominee.id not in favourite_ids:
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
    fav_labels = join_teams([f["label"] for f in favourites])
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
        summary = f"As the {body}s predicted: {join_teams([label(w) for w in held])} won."
        if others := [label(w) for w in winners if w.id not in favourite_ids]:
            summary += f" {join_teams(others)}, also a winner here, had not won a {body}."
        if lost:
            who = "winners" if len(lost) > 1 else "winner"
            summary += f" {body} {who} {join_teams(lost)} did not win here."
    else:
        status = "upset"
        summary = (
            f"Upset: {body} winner{plural} {fav_labels} lost to "
            f"{join_teams([label(w) for w in winners])}."
        )
    return {"status": status, "favourites": favourites, "summary": summary, "lost": lost}


# --- the season's verdict: every precursor body, and their consensus --------------------------

# The names the season's words give the bodies ("the season leaned to Moore (Globe, SAG)"),
# found by a word of the body's name; any other body goes by its name less " Awards".
BODY_NAMES = (
    ("golden globe", "Globe"),
    ("bafta", "BAFTA"),
    ("screen actors guild", "SAG"),
    ("actor awards", "SAG"),
    ("critics", "Critics' Choice"),
    ("spirit", "Spirit"),
)
# How strongly the season favoured its favourite: the favourite's share of the weight of the
# bodies that made a call (docs/archive.md, *The season's verdict*).
UNANIMOUS, CLEAR = "unanimous", "clear"
CLEAR_SHARE = 2 / 3
# An upset against the season is graded by that share.
SEASON_GRADES = ((0.9, "major", "Major upset"), (0.7, "big", "Big upset"), (0.5, "upset", "Upset"))
SEASON_MILD = ("mild", "Mild upset")


def body_label(name: str) -> str:
    """'SAG' for 'Actor Awards', 'Globe' for 'Golden Globe Awards'."""
    folded = name.casefold()
    return next(
        (label for word, label in BODY_NAMES if word in folded), name.removesuffix(" Awards")
    )


@dataclass(frozen=True)
class SeasonLink:
    """One precursor category of one body, with its winners (detached from the ORM)."""

    body: str
    date: dt.date
    category: str
    match: str
    winners: tuple
    ceremony: str = ""  # the precursor ceremony's name and slug, for the archive's links
    slug: str = ""


def body_weight(track: dict | None) -> float:
    """A body's weight in a category: its record there over the last 20 counted seasons before
    this one, (held + 1) / (counted + 2); a body with no record weighs 1/2."""
    if not track:
        return 0.5
    return (track["last20_won"] + 1) / (track["last20_of"] + 2)


def short_label(nominee: NomineeView, by_film: bool) -> str:
    """How the season's words name a nominee: the film where films are matched, a single
    performer by surname ('Moore'), else the nominee as credited."""
    if by_film or not nominee.nominee or nominee.nominee == nominee.film:
        return nominee.film
    name = nominee.nominee
    if len(nominee.person_ids) > 1 or " and " in name or "," in name:
        return name
    words = name.split()
    if len(words) > 2 and words[-1].rstrip(".").casefold() in ("jr", "sr", "ii", "iii"):
        return " ".join(words[-2:])
    return words[-1] if words else name


def season_verdict(
    nominees: list[NomineeView], links: list[SeasonLink], weights: dict[str, float]
) -> dict[str, Any]:
    """Each body's winner and verdict in one Oscar category, and the season's consensus.

    Per body (its precursor categories together: the Globes' Drama and Comedy are one body):
    `winners` (the nominee's label as the category shows it; the film where the performer cannot
    be told or the winner was not nominated here) and `verdict`: `held` (one of its winners won
    here), `upset` (its winners nominated here all lost), `no_call` (none nominated here, or
    cannot tell), `pending` (not announced). The consensus: every body with a call gives its
    weight (`weights`, by body name) to the nominees it picked; the favourite has the most weight,
    then the most bodies; an exact tie is a split (no favourite). `won` of `of`: the bodies that
    picked the favourite, of the bodies with a call.
    """
    by_film = bool(links) and all(link.match == PrecursorLink.Match.FILM for link in links)
    announced = any(n.won for n in nominees)
    won_ids = {n.id for n in nominees if n.won}
    bodies: dict[str, dict[str, Any]] = {}
    for link in links:
        body = bodies.setdefault(
            link.body,
            {"body": body_label(link.body), "name": link.body, "winners": [], "ids": []},
        )
        for winner in link.winners:
            found = matched(winner, nominees, link.match)
            if not found:
                # Not nominated here, or cannot tell: the film, as the files name it.
                body["winners"].append(winner.film or winner.label)
                continue
            for nominee in found:
                if nominee.id not in body["ids"]:
                    body["ids"].append(nominee.id)
                    body["winners"].append(nominee.film if by_film else nominee.label)
    for body in bodies.values():
        if not body["ids"]:
            body["verdict"] = "no_call"
        elif not announced:
            body["verdict"] = "pending"
        else:
            body["verdict"] = "held" if won_ids & set(body["ids"]) else "upset"
    callers = [b for b in bodies.values() if b["ids"]]
    score: dict[int, float] = {}
    picked_by: dict[int, list[str]] = {}
    for body in callers:
        for nid in body["ids"]:
            score[nid] = score.get(nid, 0.0) + weights.get(body["name"], 0.5)
            picked_by.setdefault(nid, []).append(body["body"])
    ranked = sorted(score, key=lambda nid: (-round(score[nid], 9), -len(picked_by[nid])))
    favourite = None
    if ranked:
        top = ranked[0]
        tied = [
            nid
            for nid in ranked
            if round(score[nid], 9) == round(score[top], 9)
            and len(picked_by[nid]) == len(picked_by[top])
        ]
        if len(tied) == 1:
            total = sum(weights.get(b["name"], 0.5) for b in callers)
            share = score[top] / total if total else 0.0
            won = len(picked_by[top])
            strength = (
                UNANIMOUS if won == len(callers) else CLEAR if share >= CLEAR_SHARE else "leaned"
            )
            favourite = {
                "id": top,
                "won": won,
                "of": len(callers),
                "share": round(share, 2),
                "strength": strength,
            }
    views = {n.id: n for n in nominees}
    return {
        "bodies": [
            {k: b[k] for k in ("body", "name", "winners", "verdict", "ids")}
            for b in bodies.values()
        ],
        "favourite": favourite,
        "split": [] if favourite or not ranked else [nid for nid in ranked if nid in tied],
        "against": bool(announced and favourite and favourite["id"] not in won_ids),
        "picked_by": picked_by,
        "scores": score,
        "names": {nid: short_label(views[nid], by_film) for nid in [*picked_by, *won_ids]},
        "winner_ids": [n.id for n in nominees if n.won],
        "announced": announced,
    }


def season_grade(season: dict[str, Any]) -> dict[str, Any] | None:
    """An upset's grade where the season had more than one body with a call: by the favourite's
    share of the season's weight when the Oscar went against it; against the Globe alone (the
    season's favourite won) a mild upset. None where the season rests on one body or fewer."""
    favourite = season["favourite"]
    if not favourite or favourite["of"] < 2:
        return None
    if not season["against"]:
        return {"level": "mild", "label": "Upset against the Globe only", "rate": 0.0}
    rate = favourite["share"]
    level, label = next(((lv, lb) for floor, lv, lb in SEASON_GRADES if rate >= floor), SEASON_MILD)
    return {"level": level, "label": label, "rate": rate}


def season_sentence(season: dict[str, Any], globe_status: str) -> str:
    """The season in words, after the Globe's flag: 'Upset against the Globe; the season leaned
    to Moore (Globe, Critics' Choice, SAG), Madison had BAFTA and Spirit.' Empty where no body
    but the Globe is linked (the Globe's own sentence says it all)."""
    if len({b["name"] for b in season["bodies"]}) < 2:
        return ""
    announced = season["announced"]
    favourite = season["favourite"]
    names, picked_by = season["names"], season["picked_by"]
    parts = []
    if globe_status == "upset":
        parts.append("Upset against the Globe")
    elif globe_status == "held":
        parts.append("As the Globe predicted")
    elif season["against"] and favourite:
        parts.append("Against the season")

    def had(nid: int) -> str:
        return f"{names[nid]} had {join_labels(picked_by[nid])}"

    if favourite:
        fid = favourite["id"]
        verb = {
            UNANIMOUS: ("was unanimous for", "is unanimous for"),
            CLEAR: ("favoured", "favours"),
        }.get(favourite["strength"], ("leaned to", "leans to"))[0 if announced else 1]
        whose = "it" if parts == ["Against the season"] else "the season"
        text = f"{whose} {verb} {names[fid]} ({', '.join(picked_by[fid])})"
        if announced:
            others = [nid for nid in season["winner_ids"] if nid != fid]
            rest = [had(nid) if nid in picked_by else f"{names[nid]} had none" for nid in others]
        else:
            runners = sorted(
                (nid for nid in picked_by if nid != fid),
                key=lambda nid: (-season["scores"][nid], -len(picked_by[nid])),
            )
            rest = [had(nid) for nid in runners]
        parts.append(", ".join([text, *rest]))
    elif season["split"]:
        parts.append("the season was split: " + "; ".join(had(nid) for nid in season["split"]))
    else:
        parts.append("no precursor winner was nominated here")
    sentence = ": ".join(parts) if parts[0] == "Against the season" else "; ".join(parts)
    return sentence[:1].upper() + sentence[1:] + "."


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
    """`precursor_verdict`'s links of a category fetched with `precursor_links_prefetch`: the
    Golden Globes' only (the upset flag is theirs; the other bodies are the season's)."""
    return [
        (
            link.precursor.ceremony.body.short_name,
            link.precursor.name,
            link.match,
            [nominee_view(n) for n in link.precursor.nominations.all()],
        )
        for link in category.precursor_links.all()
        if link.precursor.ceremony.body.name == PRECURSOR_BODY
    ]


def season_links(category) -> list[SeasonLink]:
    """`season_verdict`'s links of a category fetched with `precursor_links_prefetch`: every
    body's, in the order their ceremonies were held."""
    links = [
        SeasonLink(
            body=link.precursor.ceremony.body.name,
            date=link.precursor.ceremony.date,
            category=link.precursor.name,
            match=link.match,
            winners=tuple(nominee_view(n) for n in link.precursor.nominations.all()),
            ceremony=link.precursor.ceremony.name,
            slug=link.precursor.ceremony.slug,
        )
        for link in category.precursor_links.all()
    ]
    return sorted(links, key=lambda link: (link.date, link.body))
