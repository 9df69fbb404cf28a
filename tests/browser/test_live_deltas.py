"""Deltas in Chromium: after every step of a random sequence of writes (record, tie, correct,
withdraw, reorder, note, status), made through the real write path, the open page, kept current
by the deltas its socket brings, shows what a fresh load of that version shows, and renders from
the very snapshot the API serves. Seeded; the seed is printed (DELTA_SEED=<seed> repeats it)."""

import json
import os
import random

import pytest
from playwright.sync_api import expect

from ceremony import services
from ceremony.importers.json_file import ceremony_spec
from ceremony.models import Category, Ceremony
from ceremony.realtime import snapshots
from tests.support.browser import off_loop
from tests.support.builders import demo_data
from tests.support.writes import random_write

# Deltas go out on pushes through the channel layer: the in-memory layer's periodic check
# (another process's writes) sends whole snapshots.
pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

# Every kind of write, in a seeded order after the show goes live (and back to draft once, while
# it has no result): what random_write makes when the ceremony's state allows it.
KINDS = ["record", "record", "record", "tie", "correct", "correct", "withdraw"]
KINDS += ["reorder", "reorder", "note", "note"]
# What a reader's page shows of the ceremony; not the connection line nor the announcer, which
# tell of this page's own session.
REGIONS = [
    "#progress-text",
    "#upset-count",
    "#latest",
    "#tallies-h",
    "#tallies",
    "#people",
    ".category-grid",
    "#timeline",
    "#records",
    "#ballot-score",
    "#ballot-globe",
]
SHOWN = """(regions) => Object.fromEntries(regions.map((selector) => {
  const node = document.querySelector(selector);
  const text = node && !node.closest("[hidden]") ? node.innerText : null;
  return [selector, text && text.replace(/\\s+/g, " ").trim()];
}))"""
# Before the page's scripts: the state each applied version rendered from, and the frames.
WATCH = """
document.addEventListener("tracker:snapshot", (event) => {
  window.shownSnapshot = JSON.stringify(event.detail);
});
"""


def the_97th_before_the_show() -> Ceremony:
    services.ceremony_import(spec=ceremony_spec(demo_data("golden-globes-82.json"), source="t"))
    return services.ceremony_import(
        spec=ceremony_spec(demo_data("oscars-97-nominees.json"), source="t", with_results=False)
    ).ceremony


def random_picks(rng: random.Random, ceremony: Ceremony) -> dict[str, int]:
    categories = Category.objects.filter(ceremony=ceremony, competitive=True)
    return {
        c.slug: rng.choice([n.pk for n in c.nominations.all()])
        for c in categories.prefetch_related("nominations")
    }


def api_snapshot(ceremony_id: int) -> dict:
    return snapshots.current_snapshot_of(ceremony_id).data


def test_after_each_random_write_the_live_page_shows_what_a_fresh_load_shows(
    browser, live_server_url, capsys
):
    seed = int(os.environ.get("DELTA_SEED", random.randrange(2**32)))
    with capsys.disabled():
        print(f"\nlive delta sequence seed: {seed} (DELTA_SEED={seed} repeats it)")
    rng = random.Random(seed)
    ceremony = off_loop(the_97th_before_the_show)
    picks = off_loop(random_picks, rng, ceremony)
    context = browser.new_context()
    # Both pages read the same ballot from this browser's storage.
    context.add_init_script(
        f"localStorage.setItem({json.dumps(f'tracker:ballot:{ceremony.slug}')}, "
        f"{json.dumps(json.dumps(picks))});" + WATCH
    )
    url = f"{live_server_url}/ceremonies/{ceremony.slug}/"
    live, fresh = context.new_page(), context.new_page()
    problems = []
    frames = {"snapshot": 0, "delta": 0}

    def watch(ws):
        def frame(payload):
            kind = json.loads(payload)["type"]
            frames[kind] = frames.get(kind, 0) + 1

        ws.on("framereceived", frame)

    live.on("websocket", watch)
    for page in (live, fresh):
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
    live.goto(url)
    expect(live.locator("#connection")).to_have_attribute("data-state", "live")

    kinds = ["live", "draft", "live", *rng.sample(KINDS, len(KINDS))]
    done = []
    for step, kind in enumerate(kinds):
        what = off_loop(random_write, rng, ceremony.pk, want=kind)
        done.append(what)
        snap = off_loop(api_snapshot, ceremony.pk)
        where = f"seed {seed}, step {step}: {what} (version {snap['version']})"
        expect(live.locator("article.ceremony"), where).to_have_attribute(
            "data-version", str(snap["version"]), timeout=5000
        )
        fresh.goto(url)
        shown = fresh.evaluate(SHOWN, REGIONS)
        assert live.evaluate(SHOWN, REGIONS) == shown, where
        assert shown["#ballot-score"], f"{where}: the ballot is scored on both pages"
        if live.evaluate("window.shownSnapshot !== undefined"):
            assert json.loads(live.evaluate("window.shownSnapshot")) == snap, where

    with capsys.disabled():
        print("writes: " + "; ".join(done) + f"; frames: {frames}")
    assert frames["delta"] >= len(kinds) // 2, frames
    assert problems == []
    context.close()
