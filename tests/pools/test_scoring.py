"""The standings function, and its browser twin (static/pools/scoring.js) giving the same answers
on the same cases, run by Node."""

import json
import random
import shutil
import subprocess

import pytest

from ceremony.pools import scoring
from ceremony.realtime import snapshots
from tests.support.builders import record_all
from tests.support.environment import PROJECT


def cat(slug, ids, winners=(), *, status="pending", competitive=True, corrected=None):
    return {
        "slug": slug,
        "name": slug.title(),
        "competitive": competitive,
        "nominations": [{"id": i, "film": f"Film {i}", "nominee": ""} for i in ids],
        "winners": [{"id": w, "headline": f"Film {w}", "label": f"Film {w}"} for w in winners],
        "corrected_at": corrected,
        "precursor": {"status": status},
    }


SNAPSHOT = {
    "categories": [
        cat("picture", [1, 2, 3], [2], status="upset"),
        cat("director", [4, 5], [4, 5]),  # a tie
        cat("actress", [6, 7], [], corrected="2025-03-02T20:00:00-08:00"),  # withdrawn
        cat("actor", [8, 9]),  # not announced
        cat("honorary", [10], [10], competitive=False),
    ]
}
MEMBERS = [
    {"id": 1, "name": "Ann", "picks": {"picture": 2, "director": 5, "actress": 6}, "tiebreak": 7},
    {"id": 2, "name": "Bo", "picks": {"picture": 1, "director": 4, "actor": 8}, "tiebreak": 3},
    {"id": 3, "name": "Cy", "picks": {"picture": 1, "director": 4}, "tiebreak": None},
    {"id": 4, "name": "Di", "picks": {"picture": 3, "honorary": 10, "director": 2}},
    {"id": 5, "name": "Ed", "picks": {"constructor": 1, "picture": "2", "director": True}},
]


def test_right_picks_score_a_tie_s_every_winner_and_nothing_withdrawn_or_to_come():
    table = scoring.standings({"mode": "points"}, MEMBERS, SNAPSHOT)
    by_name = {r["name"]: r for r in table["rows"]}
    assert by_name["Ann"]["hits"] == 2  # the upset and one of the tie
    assert by_name["Bo"]["hits"] == 1
    assert by_name["Di"]["hits"] == 0  # honorary never counts, 2 is no director nominee
    assert by_name["Ed"]["hits"] == 0  # picks of the wrong type or category count for nothing
    assert table["possible"] == 2


def test_points_per_category_and_upsets_called():
    rules = {"mode": "points", "points": {"picture": 5, "director": 2}}
    table = scoring.standings(rules, MEMBERS, SNAPSHOT)
    first = table["rows"][0]
    assert (first["name"], first["points"], first["upsets"]) == ("Ann", 7, ["picture"])
    picture = table["categories"][0]
    assert picture["callers"] == [1]
    assert (picture["popular"], picture["count"], picture["picked"]) == ([1], 2, 4)


def test_equal_scores_share_a_rank_and_the_tiebreak_splits_them_once_answered():
    tied = {"mode": "points"}
    rows = scoring.standings(tied, MEMBERS, SNAPSHOT)["rows"]
    assert [(r["name"], r["rank"]) for r in rows[:3]] == [("Ann", 1), ("Bo", 2), ("Cy", 2)]
    rows = scoring.standings({**tied, "answer": 4}, MEMBERS, SNAPSHOT)["rows"]
    assert [(r["name"], r["rank"], r["off"]) for r in rows[1:3]] == [("Bo", 2, 1), ("Cy", 3, None)]


def with_odds(snapshot: dict, odds: dict[int, float]) -> dict:
    """The snapshot with the forecast's odds (docs/protocol.md, `forecast`) in each category."""
    return {
        "categories": [
            {
                **c,
                "forecast": [[n["id"], odds[n["id"]]] for n in c["nominations"] if n["id"] in odds],
            }
            for c in snapshot["categories"]
        ]
    }


def test_the_odds_mode_is_offered_only_with_a_forecast_in_the_snapshot():
    assert scoring.offered_modes(SNAPSHOT) == ["points"]
    assert scoring.offered_modes(with_odds(SNAPSHOT, {})) == ["points"]
    assert scoring.offered_modes(with_odds(SNAPSHOT, {1: 0.5, 2: 0.5})) == ["points", "odds"]


def test_by_the_odds_a_right_pick_earns_one_over_the_chance_the_forecast_gave_the_result():
    odds = {1: 0.88, 2: 0.12, 3: 0.0, 4: 0.3, 5: 0.2, 6: 0.5, 7: 0.5}
    table = scoring.standings({"mode": "odds"}, MEMBERS, with_odds(SNAPSHOT, odds))
    by_name = {r["name"]: r["points"] for r in table["rows"]}
    # Ann: the picture upset at 12% (1 / 0.12 = 8.3: 8 points) and the tie, whose winners had
    # 30% and 20% together (2 points); Bo and Cy: the tie only; a withdrawn result scores nothing.
    assert by_name == {"Ann": 10, "Bo": 2, "Cy": 2, "Di": 0, "Ed": 0}
    assert table["possible"] == 10
    # A winner the forecast gave no chance is worth the most; one it did not price, one point.
    assert (
        scoring.standings({"mode": "odds"}, MEMBERS, with_odds(SNAPSHOT, {2: 0.0}))["possible"]
        == scoring.ODDS_MOST + 1
    )
    assert scoring.standings({"mode": "odds"}, MEMBERS, SNAPSHOT)["possible"] == 2


def run_js(cases: list[dict], tmp_path) -> list[dict]:
    module = tmp_path / "scoring.mjs"
    shutil.copy(PROJECT / "static" / "pools" / "scoring.js", module)
    script = (
        f"import {{ standings }} from {json.dumps(str(module))};\n"
        "let text = ''; process.stdin.on('data', (d) => (text += d));\n"
        "process.stdin.on('end', () => {\n"
        "  const cases = JSON.parse(text);\n"
        "  const out = cases.map((c) => standings(c.rules, c.members, c.snapshot));\n"
        "  console.log(JSON.stringify(out));\n"
        "});\n"
    )
    done = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def random_members(snapshot: dict, count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    cats = [c for c in snapshot["categories"] if c["competitive"]]
    members = []
    for i in range(1, count + 1):
        chosen = {c["slug"]: rng.choice(c["nominations"])["id"] for c in cats if rng.random() < 0.9}
        if i % 7 == 0:
            chosen["constructor"] = 1
        guess = rng.choice([None, rng.randint(0, 20)])
        members.append({"id": i, "name": f"P{i}", "picks": chosen, "tiebreak": guess})
    return members


@pytest.mark.skipif(not shutil.which("node"), reason="needs Node to run static/pools/scoring.js")
def test_the_browser_s_function_gives_the_server_s_standings(
    oscars_97, editor, results_97, tmp_path
):
    from ceremony import services

    services.ceremony_set_status(ceremony_id=oscars_97.pk, status="live", editor=editor)
    before = snapshots.current_snapshot(oscars_97).data
    results_97["categories"] = results_97["categories"][:-3]
    record_all(oscars_97, results_97, editor=editor)
    midway = snapshots.current_snapshot(oscars_97).data
    assert any(c["precursor"]["status"] == "upset" for c in midway["categories"])
    slugs = [c["slug"] for c in midway["categories"] if c["competitive"]]
    cases = [
        {"rules": {"mode": "points"}, "members": MEMBERS, "snapshot": SNAPSHOT},
        {"rules": {"mode": "points", "answer": 4}, "members": MEMBERS, "snapshot": SNAPSHOT},
        {"rules": {"mode": "points"}, "members": random_members(before, 50, 1), "snapshot": before},
        {
            "rules": {
                "mode": "points",
                "points": {s: i % 4 for i, s in enumerate(slugs)},
                "answer": 9,
            },
            "members": random_members(midway, 300, 2),
            "snapshot": midway,
        },
        {
            "rules": {"mode": "odds", "answer": 9},
            "members": random_members(midway, 300, 3),
            "snapshot": with_odds(
                midway,
                {
                    n["id"]: round(1 / (i + 1.5), 2)
                    for c in midway["categories"]
                    for i, n in enumerate(c["nominations"])
                },
            ),
        },
    ]
    python = [scoring.standings(c["rules"], c["members"], c["snapshot"]) for c in cases]
    assert run_js(cases, tmp_path) == json.loads(json.dumps(python))
