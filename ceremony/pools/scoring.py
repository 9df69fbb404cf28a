"""The standings of a pool: pure, from the pool's rules, its members' picks and a ceremony
snapshot (docs/protocol.md). The server renders the page from it; static/pools/scoring.js is the
same function, line for line, which the browser runs on each snapshot the ceremony's socket
brings; tests/pools/test_scoring.py holds the two to the same answers.

A scoring mode is the points a right pick earns in a category: "points", the host's points per
category (one where none is set); "odds", more for calling a long shot: 1 / the chance the
forecast gave the result (its winners' odds together, in the snapshot's `forecast`), rounded,
from 1 to ODDS_MOST points; offered only for a ceremony whose snapshot carries odds.
"""

import math
from collections.abc import Callable
from typing import Any


def _host_points(rules: dict, cat: dict) -> int:
    value = (rules.get("points") or {}).get(cat["slug"], 1)
    return value if type(value) is int and value >= 0 else 1


# The most a right pick earns by the odds: a 1-in-20 shot or longer.
ODDS_MOST = 20


def _odds_points(rules: dict, cat: dict) -> int:
    odds = dict(cat.get("forecast") or [])
    chance = sum(odds[w["id"]] for w in cat["winners"] if w["id"] in odds)
    if not any(w["id"] in odds for w in cat["winners"]):
        return 1
    # floor(x + 0.5), as the browser's twin rounds: the same points on both sides.
    return min(ODDS_MOST, max(1, math.floor(1 / chance + 0.5))) if chance > 0 else ODDS_MOST


# mode -> what a right pick in a category is worth.
MODES: dict[str, Callable[[dict, dict], int]] = {"points": _host_points, "odds": _odds_points}


def offered_modes(snapshot: dict) -> list[str]:
    """The modes a host may choose for this ceremony: "odds" only with a forecast."""
    has_odds = any(cat.get("forecast") for cat in snapshot["categories"])
    return [mode for mode in MODES if mode != "odds" or has_odds]


def standings(rules: dict, members: list[dict], snapshot: dict) -> dict[str, Any]:
    """Rows best first: `points`, `hits` (right picks), `upsets` (the slugs of the upsets the
    member called), `off` (how far the tiebreak answer is from the host's, or None) and `rank`
    (equal points, hits and `off` share one); per competitive category the most `popular` pick
    (every nomination id with the most picks), its `count`, how many `picked` and the ids of
    the members who called its upset (`callers`). A tie's every winner is a hit; a withdrawn
    result scores nothing; a correction re-scores, as only the current winners are read."""
    worth = MODES.get(rules.get("mode"), _host_points)
    answer = rules.get("answer")
    cats = []
    for cat in snapshot["categories"]:
        if not cat["competitive"]:
            continue
        cats.append(
            {
                "slug": cat["slug"],
                "ids": {n["id"] for n in cat["nominations"]},
                "winners": {w["id"] for w in cat["winners"]},
                "upset": bool(cat["winners"]) and cat["precursor"]["status"] == "upset",
                "worth": worth(rules, cat),
                "counts": {},
                "callers": [],
            }
        )
    possible = sum(c["worth"] for c in cats if c["winners"])
    rows = []
    for member in members:
        picks = member.get("picks") or {}
        points = hits = 0
        upsets = []
        for cat in cats:
            pick = picks.get(cat["slug"])
            if type(pick) is not int or pick not in cat["ids"]:
                continue
            cat["counts"][pick] = cat["counts"].get(pick, 0) + 1
            if pick in cat["winners"]:
                hits += 1
                points += cat["worth"]
                if cat["upset"]:
                    upsets.append(cat["slug"])
                    cat["callers"].append(member["id"])
        guess = member.get("tiebreak")
        off = abs(guess - answer) if type(guess) is int and type(answer) is int else None
        rows.append(
            {
                "id": member["id"],
                "name": member["name"],
                "points": points,
                "hits": hits,
                "upsets": upsets,
                "off": off,
            }
        )
    rows.sort(key=lambda r: (-r["points"], -r["hits"], r["off"] is None, r["off"] or 0, r["id"]))
    previous = None
    for index, row in enumerate(rows):
        key = (row["points"], row["hits"], row["off"])
        row["rank"] = previous[1] if previous and previous[0] == key else index + 1
        previous = (key, row["rank"])
    categories = []
    for cat in cats:
        most = max(cat["counts"].values(), default=0)
        categories.append(
            {
                "slug": cat["slug"],
                "popular": sorted(i for i, n in cat["counts"].items() if n == most and most),
                "count": most,
                "picked": sum(cat["counts"].values()),
                "callers": cat["callers"],
            }
        )
    return {"possible": possible, "rows": rows, "categories": categories}
