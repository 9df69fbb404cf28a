"""A pool in Chromium: three players in three browser contexts join by code and pick; the desk
goes live and their ballots lock; as results come in (a correction among them) each player's
page shows standings equal to a count by hand; the same page without JavaScript shows the same."""

import json
import re

import pytest
from playwright.sync_api import expect

from ceremony.pools import services
from ceremony.pools.models import Member
from tests.support.browser import off_loop, open_page
from tests.support.builders import record
from tests.support.pools import correct, draft_show, go_live, hand_count, picks
from tests.support.servers import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Writes from the test's process reach the Daphne process's readers through Redis at once, or
# through the fan-out's periodic version check (every 2 s) on the in-memory layer.
PUSHED = 10

BALLOTS = {
    "Ann": {"Best Picture": "Anora", "Best Director": "Sean Baker", "Best Actress": "Demi Moore"},
    "Bo": {
        "Best Picture": "Conclave",
        "Best Director": "Brady Corbet",
        "Best Actress": "Mikey Madison",
    },
    "Cy <b>": {"Best Picture": "The Brutalist", "Best Director": "Sean Baker"},
}


def standings(page) -> dict[str, int]:
    rows = page.locator("#standings tr")
    return {
        rows.nth(i).locator(".name").inner_text(): int(rows.nth(i).locator(".points").inner_text())
        for i in range(rows.count())
    }


def join_and_pick(page, name: str, chosen: dict[str, str]) -> None:
    page.get_by_label("Your display name").fill(name)
    page.get_by_role("button", name="Join").click()
    page.wait_for_url(re.compile(r"/ballot/$"))
    for category, who in chosen.items():
        group = page.get_by_role("group", name=category)
        group.get_by_label(re.compile(re.escape(who))).check()
    page.get_by_role("button", name="Save my ballot").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    page.get_by_role("link", name="The pool's page").click()


def test_three_players_are_locked_at_go_live_and_scored_live_as_counted_by_hand(
    browser, live_server_url
):
    show = off_loop(draft_show)
    pool = off_loop(services.pool_create, ceremony_id=show.pk, name="Office").pool
    url = f"{live_server_url}/pools/{pool.code}/"
    players = {}
    for name, chosen in BALLOTS.items():
        page, problems = open_page(browser, url)
        join_and_pick(page, name, chosen)
        expect(page.locator("#pool-open")).to_contain_text(f"You play as {name}")
        players[name] = (page, problems)

    off_loop(go_live, show)
    for page, _ in players.values():
        expect(page.locator("#standings-section")).to_be_visible(timeout=PUSHED * 1000)
        expect(page.locator("#pool-open")).to_be_hidden()

    winners: dict[str, str] = {}
    steps = [
        ("Best Picture", "Conclave", record),
        ("Best Director", "Sean Baker", record),
        ("Best Picture", "Anora", correct),
        ("Best Actress", "Mikey Madison", record),
    ]
    for category, who, write in steps:
        off_loop(write, show, category, who)
        winners[category] = who
        expected = hand_count(BALLOTS, winners)
        for name, (page, _) in players.items():
            wait_for(
                lambda page=page, expected=expected: standings(page) == expected,
                f"{name}'s standings after {category}: {who}",
                timeout=PUSHED,
                explain=lambda page=page: str(standings(page)),
            )
    assert hand_count(BALLOTS, winners) == {"Ann": 2, "Bo": 1, "Cy <b>": 1}
    ann = players["Ann"][0]
    expect(ann.locator("tr.me .name")).to_have_text("Ann")
    expect(ann.locator("#pool-categories li[data-slug=best-picture]")).to_contain_text("Anora")

    static, _ = open_page(browser, url, java_script_enabled=False)
    assert standings(static) == hand_count(BALLOTS, winners)
    for name, (_, problems) in players.items():
        assert problems == [], name


def test_the_ballot_kept_in_the_browser_is_carried_into_the_pool_in_one_step(
    browser, live_server_url
):
    show = off_loop(draft_show)
    pool = off_loop(services.pool_create, ceremony_id=show.pk, name="Family").pool
    own = off_loop(picks, show, {"Best Picture": "Conclave", "Best Actress": "Demi Moore"})
    context = browser.new_context()
    context.add_init_script(
        f"localStorage.setItem('tracker:ballot:{show.slug}', '{json.dumps(own)}');"
    )
    page = context.new_page()
    page.goto(f"{live_server_url}/pools/{pool.code}/")
    expect(page.get_by_label("Bring the 2 picks of this browser's ballot")).to_be_checked()
    page.get_by_label("Your display name").fill("Dee")
    page.get_by_role("button", name="Join").click()
    page.wait_for_url(re.compile(r"/ballot/$"))
    expect(page.get_by_role("group", name="Best Picture").get_by_label("Conclave")).to_be_checked()
    assert off_loop(lambda: Member.objects.get(pool=pool, name="Dee").picks) == own
