"""The read side of the forecast: the stored probabilities a snapshot carries (`forecast` per
category, in hundredths that sum to exactly 1), how surprising a result was by them, and the
archive's views of them (the most surprising results, the record per decade, the calibration).
Pure reads of `Odds`; nothing here fits (that is `services.forecast_fit`).
"""

from collections import defaultdict
from typing import Any

from ceremony.forecast import evaluation
from ceremony.forecast.features import BIG_SIX
from ceremony.forecast.models import Odds
from ceremony.history import track_key, track_label
from ceremony.models import Ceremony
from ceremony.precursors import SUCCESSOR_BODY


def hundredths(probabilities: list[float]) -> list[int]:
    """Whole hundredths summing to exactly 100: each rounded down, the rest handed out by the
    largest remainders (ties to the first)."""
    scaled = [100 * p / (sum(probabilities) or 1) for p in probabilities]
    out = [int(s) for s in scaled]
    order = sorted(range(len(scaled)), key=lambda i: -(scaled[i] - out[i]))
    for i in order[: 100 - sum(out)]:
        out[i] += 1
    return out


def add_forecast(ceremony_id: int, rows: list[dict[str, Any]]) -> None:
    """Give each snapshot category its `forecast`: [[nomination id, probability], ...] in its
    nominees' order, or [] where there is none (one query)."""
    stored = dict(Odds.objects.of_ceremony(ceremony_id).values_list("nomination_id", "probability"))
    for row in rows:
        ids = [n["id"] for n in row["nominations"]]
        if len(ids) < 2 or not all(i in stored for i in ids):
            row["forecast"] = []
            continue
        shares = hundredths([stored[i] for i in ids])
        row["forecast"] = [[i, share / 100] for i, share in zip(ids, shares, strict=True)]


def percent(p: float) -> str:
    return "under 1%" if p < 0.005 else f"{round(100 * p)}%"


def chance(p: float) -> str:
    """'a 12% chance', 'an 8% chance', 'less than a 1% chance'."""
    if p < 0.005:
        return "less than a 1% chance"
    n = round(100 * p)
    article = "an" if str(n).startswith("8") or n in (11, 18) else "a"
    return f"{article} {n}% chance"


def winner_chance(row: dict[str, Any]) -> float | None:
    """The probability the forecast gave the winner (the likeliest of a tie's winners)."""
    odds = dict(row.get("forecast") or [])
    chances = [odds[n["id"]] for n in row["nominations"] if n["won"] and n["id"] in odds]
    return max(chances) if chances else None


def surprise(data: dict[str, Any], slug: str) -> str:
    """'A 12% chance: the biggest surprise of the night so far.' for an announced category
    (static/ceremony/live.js says the same from the same snapshot)."""
    rows = [r for r in data["categories"] if r["competitive"]]
    row = next((r for r in rows if r["slug"] == slug), None)
    p = winner_chance(row) if row and row["announced"] else None
    if p is None:
        return ""
    text = f"The forecast gave it {chance(p)}"
    chances = [q for _, q in row["forecast"]]
    if p == max(chances) and p != min(chances):
        joint = "a joint" if chances.count(p) > 1 else "the"
        return f"{text}: {joint} favourite won."
    when = row["announced_at"] or ""
    earlier = [
        c
        for r in rows
        if r["slug"] != slug
        and r["announced"]
        and (r["announced_at"] or "") <= when
        and (c := winner_chance(r)) is not None
    ]
    if earlier and p < min(earlier):
        return f"{text}: the biggest surprise of the night so far."
    return f"{text}."


def ballot_text(data: dict[str, Any]) -> str:
    """'The forecast's favourites: 19 of 23 right so far.' over the announced categories with
    odds (a shared top counts as the share a random pick among them would get)."""
    right = 0.0
    scored = 0
    for row in data["categories"]:
        if not (row["competitive"] and row["announced"] and row.get("forecast")):
            continue
        top = max(p for _, p in row["forecast"])
        tops = [i for i, p in row["forecast"] if p == top]
        winners = {n["id"] for n in row["nominations"] if n["won"]}
        right += len(winners.intersection(tops)) / len(tops)
        scored += 1
    if not any(row.get("forecast") for row in data["categories"]):
        return ""
    if not scored:
        return "The forecast's ballot: its favourite in every category, no result yet."
    shown = f"{right:g}" if right == int(right) else f"{right:.1f}"
    return f"The forecast's ballot (its favourite in every category): {shown} of {scored} right."


def _scored(ceremonies) -> list[evaluation.Scored]:
    """Every announced category of these ceremonies with stored odds, as the evaluation scores
    it (two queries)."""
    rows = (
        Odds.objects.filter(nomination__category__ceremony__in=ceremonies)
        .order_by("nomination__category_id", "nomination__order", "nomination_id")
        .values_list(
            "nomination__category_id",
            "probability",
            "nomination__won",
            "nomination__category__name",
            "nomination__category__canonical_name",
            "nomination__category__ceremony__date",
        )
    )
    groups: dict[int, list] = defaultdict(list)
    for row in rows:
        groups[row[0]].append(row)
    out = []
    for category_id, nominees in groups.items():
        if not any(n[2] for n in nominees):
            continue
        first = nominees[0]
        out.append(
            evaluation.Scored(
                category_id,
                first[5].year,
                track_key(first[3], first[4]),
                tuple(n[1] for n in nominees),
                tuple(n[2] for n in nominees),
            )
        )
    return out


def most_surprising(limit: int = 20) -> list[Odds]:
    """The winners the forecast gave the least chance, least first."""
    return list(
        Odds.objects.filter(
            nomination__won=True,
            nomination__category__competitive=True,
            nomination__category__ceremony__body__name=SUCCESSOR_BODY,
            nomination__category__ceremony__rehearsal=False,
        )
        .select_related("nomination__category__ceremony")
        .order_by("probability", "nomination_id")[:limit]
    )


def finished() -> list[evaluation.Scored]:
    return _scored(
        Ceremony.objects.filter(body__name=SUCCESSOR_BODY, rehearsal=False).exclude(
            status=Ceremony.Status.DRAFT
        )
    )


def record(rows: list[evaluation.Scored]) -> dict[str, Any]:
    """The archive's forecast page: the scores overall and for the six big categories since
    2000, per decade, and the calibration."""
    return {
        "all": evaluation.scores(rows),
        "big": evaluation.scores(evaluation.big_since(rows)),
        "since": evaluation.SINCE,
        "big_six": [track_label(k) for k in BIG_SIX],
        "decades": evaluation.by_decade(rows),
        "calibration": evaluation.calibration(rows),
    }
