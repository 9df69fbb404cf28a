"""Reader ballots in Chromium: picks kept in the browser, scored live as results and corrections
arrive, kept over a reload, carried by a share link; and scoreBallot's cases, run in the page."""

import json
import re

import pytest
from playwright.sync_api import expect

from ceremony import services
from ceremony.importers.json_file import ceremony_spec
from ceremony.models import Ceremony
from ceremony.realtime import snapshots
from tests.support.ballots import shared
from tests.support.browser import off_loop, open_page
from tests.support.builders import demo_data, make_ceremony, nomination, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Writes from the test's process reach the Daphne process's readers through Redis at once, or
# through the fan-out's periodic version check (every 2 s) on the in-memory layer.
PUSHED = 10_000
SHOW = {
    "Best Picture": ["Anora", "The Brutalist", "Conclave"],
    "Best Director": [("Anora", "Sean Baker"), ("The Brutalist", "Brady Corbet")],
    "Best Actress": [("Anora", "Mikey Madison"), ("The Substance", "Demi Moore")],
    "Best Actor": [("The Brutalist", "Adrien Brody"), ("Conclave", "Ralph Fiennes")],
}


def category(page, name: str):
    return page.locator(
        "section.category", has=page.locator("h3", has_text=re.compile(f"^{name}$"))
    )


def pick(page, name: str, who: str):
    category(page, name).get_by_role("radio", name=re.compile(re.escape(who))).check()


def pick_line(page, name: str):
    return category(page, name).locator(".pick-line")


def oscars_97_before_the_show() -> Ceremony:
    off_loop(
        services.ceremony_import, spec=ceremony_spec(demo_data("golden-globes-82.json"), source="t")
    )
    return off_loop(
        services.ceremony_import,
        spec=ceremony_spec(demo_data("oscars-97-nominees.json"), source="test", with_results=False),
    ).ceremony


def globe_strategy(ceremony: Ceremony) -> tuple[int, int]:
    """What always picking the Globe winner scores (right when one of them won: Drama or
    Comedy, as the track records count), from the server's snapshot."""
    snap = off_loop(lambda: snapshots.current_snapshot(Ceremony.objects.get(pk=ceremony.pk)).data)
    counted = [
        c
        for c in snap["categories"]
        if c["competitive"] and c["announced"] and c["precursor"]["favourites"]
    ]
    right = sum(
        any(f["id"] in {w["id"] for w in c["winners"]} for f in c["precursor"]["favourites"])
        for c in counted
    )
    return right, len(counted)


def test_picks_made_before_the_show_are_scored_live_re_scored_on_a_correction_and_kept(
    browser, live_server_url, tmp_path
):
    oscars = oscars_97_before_the_show()
    url = f"{live_server_url}/ceremonies/{oscars.slug}/"
    page, problems = open_page(browser, url, viewport={"width": 360, "height": 800})
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    panel = page.locator("#ballot-panel")
    expect(panel).to_be_visible()
    expect(page.locator("#ballot-score")).to_have_text("No picks yet.")
    # Collapsed by default: no pick controls until the reader asks for them.
    expect(page.locator(".pick input")).to_have_count(0)
    toggle = page.locator("#ballot-toggle")
    expect(toggle).to_have_text("Make your picks")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")

    # The Globe favourite is marked among the choices, as the snapshot's first favourite.
    snap = off_loop(lambda: snapshots.current_snapshot(Ceremony.objects.get(pk=oscars.pk)).data)
    actress = next(c for c in snap["categories"] if c["name"] == "Best Actress")
    favourites = {f["id"] for f in actress["precursor"]["favourites"]}
    assert favourites  # Demi Moore and Fernanda Torres won Globes
    hinted = category(page, "Best Actress").locator(".pick-option", has=page.locator(".globe"))
    expect(hinted).to_have_count(len(favourites))
    assert {
        int(v) for v in hinted.get_by_role("radio").evaluate_all("rs => rs.map(r => r.value)")
    } == favourites

    pick(page, "Best Picture", "The Brutalist")
    pick(page, "Best Picture", "Conclave")  # changeable until announced
    pick(page, "Best Actress", "Mikey Madison")
    pick(page, "Best Director", "Brady Corbet")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#ballot-panel").screenshot(path=tmp_path / "panel-360.png")
    category(page, "Best Picture").screenshot(path=tmp_path / "picture-360.png")
    category(page, "Best Actress").screenshot(path=tmp_path / "actress-360.png")
    page.get_by_role("button", name="Done picking").click()
    expect(page.locator("#ballot-score")).to_have_text(
        "You: 3 picks; scoring starts with the first of them announced."
    )
    expect(pick_line(page, "Best Picture")).to_contain_text("Conclave")
    expect(page.locator("#ballot-globe")).to_have_text("Always the Globe winner: no result yet.")

    off_loop(services.ceremony_set_status, ceremony_id=oscars.pk, status="live", editor=None)
    off_loop(record, oscars, "Best Picture", "Anora")
    off_loop(record, oscars, "Best Actress", "Mikey Madison")
    off_loop(record, oscars, "Best Director", "Sean Baker")
    off_loop(record, oscars, "Best Supporting Actor", "Kieran Culkin")  # not picked: not counted

    score = page.locator("#ballot-score")
    expect(score).to_have_text(
        "You: 1 of 3 right, counting the 3 announced categories you picked in.", timeout=PUSHED
    )
    expect(page.locator("#ballot-card")).to_have_attribute(
        "href", f"/ceremonies/{oscars.slug}/called-1-of-3/"
    )
    expect(pick_line(page, "Best Picture")).to_contain_text("✗ wrong")
    expect(pick_line(page, "Best Actress")).to_contain_text("✓ right")
    expect(pick_line(page, "Best Director")).to_contain_text("Brady Corbet")
    expect(pick_line(page, "Best Director")).to_contain_text("✗ wrong")
    expect(category(page, "Best Supporting Actor").locator(".pick")).to_be_hidden()
    right, counted = globe_strategy(oscars)
    assert counted >= 3  # the Globes named winners in picture, actress, director, supporting actor
    expect(page.locator("#ballot-globe")).to_have_text(
        f"Always the Globe winner: {right} of {counted}, counting the {counted} announced"
        " categories with a Golden Globe winner nominated (either, where two were)."
    )
    page.locator("#ballot-panel").screenshot(path=tmp_path / "scored-360.png")
    category(page, "Best Director").screenshot(path=tmp_path / "director-360.png")
    # Announced categories are locked: opening the picks offers only what is still open.
    page.get_by_role("button", name="Change your picks").click()
    expect(category(page, "Best Actress").get_by_role("radio")).to_have_count(0)
    expect(category(page, "Best Actor").get_by_role("radio")).to_have_count(5)

    corbet = off_loop(nomination, oscars, "Best Director", "Brady Corbet")
    off_loop(
        services.result_correct,
        category_id=corbet.category_id,
        nomination_ids=[corbet.pk],
        editor=None,
        reason="Misread the card",
    )
    expect(score).to_have_text(
        "You: 2 of 3 right, counting the 3 announced categories you picked in.", timeout=PUSHED
    )
    expect(pick_line(page, "Best Director")).to_contain_text("✓ right")

    page.reload()
    expect(score).to_have_text(
        "You: 2 of 3 right, counting the 3 announced categories you picked in."
    )
    expect(pick_line(page, "Best Picture")).to_contain_text("Conclave")
    expect(pick_line(page, "Best Picture")).to_contain_text("✗ wrong")
    stored = page.evaluate(f"localStorage.getItem('tracker:ballot:{oscars.slug}')")
    assert set(json.loads(stored)) == {"best-picture", "best-actress", "best-director"}
    assert problems == []
    page.context.close()


@pytest.fixture
def show(db):
    return off_loop(make_ceremony, SHOW)


def make_picks(page, picks: dict[str, str]) -> None:
    page.locator("#ballot-toggle").click()
    for name, who in picks.items():
        pick(page, name, who)
    page.locator("#ballot-toggle").click()


def test_a_share_link_shows_the_same_ballot_scored_in_a_fresh_browser_and_can_be_adopted(
    browser, live_server_url, show
):
    url = f"{live_server_url}/ceremonies/{show.slug}/"
    page, problems = open_page(browser, url)
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    make_picks(
        page,
        {
            "Best Picture": "The Brutalist",
            "Best Director": "Sean Baker",
            "Best Actress": "Demi Moore",
            "Best Actor": "Adrien Brody",
        },
    )
    off_loop(record, show, "Best Picture", "Anora")
    off_loop(record, show, "Best Director", "Sean Baker")
    off_loop(record, show, "Best Actress", "Mikey Madison")
    mine = (
        "You: 1 of 3 right, counting the 3 announced categories you picked in."
        " 1 pick still to come."
    )
    expect(page.locator("#ballot-score")).to_have_text(mine, timeout=PUSHED)
    page.get_by_role("button", name="Share your ballot").click()
    link = page.get_by_label(re.compile("Link to your picks"))
    expect(link).to_be_focused()
    shared_url = link.input_value()
    assert re.fullmatch(re.escape(url) + r"#ballot=[0-9a-z]+(\.[0-9a-z]+){3}", shared_url)

    friend, friend_problems = open_page(browser, "about:blank")
    requests = []
    friend.on("request", lambda r: requests.append((r.method, r.url)))
    friend.goto(shared_url)
    expect(friend.locator("#ballot-heading")).to_have_text("A shared ballot")
    expect(friend.locator("#ballot-score")).to_have_text(
        mine.replace("You", "This ballot", 1).replace("you picked", "it picks")
    )
    expect(pick_line(friend, "Best Picture")).to_have_text(
        re.compile(r"Their pick: The Brutalist ✗ wrong")
    )
    expect(pick_line(friend, "Best Director")).to_contain_text("✓ right")
    expect(pick_line(friend, "Best Actress")).to_contain_text("Demi Moore")
    expect(pick_line(friend, "Best Actor")).to_have_text("Their pick: Adrien Brody · The Brutalist")
    # Read-only: no pick controls, and nothing of the ballot reached the server.
    expect(friend.locator("#ballot-toggle")).to_be_hidden()
    expect(friend.locator("#ballot-card")).to_be_hidden()
    expect(friend.locator(".pick input")).to_have_count(0)
    fragment = shared_url.split("#", 1)[1]
    assert all(method == "GET" and fragment not in u for method, u in requests)
    assert friend.evaluate(f"localStorage.getItem('tracker:ballot:{show.slug}')") is None

    # Adopting takes the picks still open; an announced category's result is not there to copy.
    friend.get_by_role("button", name="Use as my ballot").click()
    expect(friend.locator("#ballot-heading")).to_have_text("Your ballot")
    expect(friend.locator("#ballot-score")).to_have_text(
        "You: 1 pick; scoring starts with the first of them announced."
    )
    assert friend.evaluate("location.hash") == ""
    stored = friend.evaluate(f"localStorage.getItem('tracker:ballot:{show.slug}')")
    assert json.loads(stored) == {"best-actor": nomination(show, "Best Actor", "Adrien Brody").pk}
    assert problems == []
    assert friend_problems == []
    page.context.close()
    friend.context.close()


def test_a_share_link_keeps_a_category_whose_slug_every_javascript_object_has(
    browser, live_server_url
):
    # Every JavaScript object inherits a "constructor": a slug spelled so is a category like any.
    ceremony = off_loop(make_ceremony, {**SHOW, "Constructor": ["Anora", "Conclave"]})
    url = f"{live_server_url}/ceremonies/{ceremony.slug}/"
    page, problems = open_page(browser, url)
    expect(category(page, "Constructor")).to_have_id("cat-constructor")
    make_picks(page, {"Best Picture": "Anora", "Constructor": "Conclave"})
    two_picks = "2 picks; scoring starts with the first of them announced."
    expect(page.locator("#ballot-score")).to_have_text(f"You: {two_picks}")
    page.get_by_role("button", name="Share your ballot").click()
    shared_url = page.get_by_label(re.compile("Link to your picks")).input_value()
    assert re.fullmatch(re.escape(url) + r"#ballot=[0-9a-z]+\.[0-9a-z]+", shared_url)

    friend, friend_problems = open_page(browser, shared_url)
    expect(friend.locator("#ballot-heading")).to_have_text("A shared ballot")
    expect(friend.locator("#ballot-score")).to_have_text(f"This ballot: {two_picks}")
    expect(pick_line(friend, "Constructor")).to_have_text("Their pick: Conclave")
    expect(pick_line(friend, "Best Picture")).to_have_text("Their pick: Anora")

    friend.get_by_role("button", name="Use as my ballot").click()
    expect(friend.locator("#ballot-score")).to_have_text(f"You: {two_picks}")
    stored = friend.evaluate(f"localStorage.getItem('tracker:ballot:{ceremony.slug}')")
    assert json.loads(stored) == {
        "best-picture": nomination(ceremony, "Best Picture", "Anora").pk,
        "constructor": nomination(ceremony, "Constructor", "Conclave").pk,
    }
    assert problems == []
    assert friend_problems == []
    page.context.close()
    friend.context.close()


def test_picking_works_with_the_keyboard_alone(browser, live_server_url, show):
    page, problems = open_page(browser, f"{live_server_url}/ceremonies/{show.slug}/")
    toggle = page.locator("#ballot-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")  # the category's own link (its anchor, to share)
    expect(category(page, "Best Picture").locator("h3 a")).to_be_focused()
    page.keyboard.press("Tab")
    first = category(page, "Best Picture").get_by_role("radio", name=re.compile("^Anora"))
    expect(first).to_be_focused()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    page.keyboard.press("ArrowDown")  # a radio group: the arrow moves the pick
    brutalist = category(page, "Best Picture").get_by_role("radio", name=re.compile("Brutalist"))
    expect(brutalist).to_be_focused()
    expect(brutalist).to_be_checked()
    outline = brutalist.evaluate("i => getComputedStyle(i.closest('label')).outlineStyle")
    assert outline == "solid"
    expect(page.locator("#ballot-score")).to_have_text(
        "You: 1 pick; scoring starts with the first of them announced."
    )
    # The clear button sits after the radios, in the tab order.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#ballot-score")).to_have_text("No picks yet.")
    expect(first).to_be_focused()
    assert problems == []
    page.context.close()


def test_a_final_ceremony_shows_a_ballot_only_from_a_share_link_or_picks_made_before(
    browser, live_server_url
):
    final = off_loop(make_ceremony, SHOW)
    off_loop(record, final, "Best Picture", "Anora")
    off_loop(record, final, "Best Actor", "Adrien Brody")
    off_loop(services.ceremony_set_status, ceremony_id=final.pk, status="final", editor=None)
    url = f"{live_server_url}/ceremonies/{final.slug}/"
    page, problems = open_page(browser, url)
    expect(page.locator("#show-status")).to_have_text("Final results")
    expect(page.locator("#ballot-panel")).to_be_hidden()
    expect(page.locator(".pick")).to_have_count(0)

    ids = [
        nomination(final, "Best Picture", "Conclave").pk,
        nomination(final, "Best Actor", "Adrien Brody").pk,
    ]
    fragment = shared(ids)
    page.goto(f"{url}#ballot={fragment}")
    page.reload()  # a fragment alone does not load the page again
    expect(page.locator("#ballot-score")).to_have_text(
        "This ballot: 1 of 2 right, counting the 2 announced categories it picks in."
    )
    expect(page.locator("#ballot-adopt")).to_be_hidden()  # nothing left open to adopt

    page.evaluate(
        "([key, picks]) => localStorage.setItem(key, JSON.stringify(picks))",
        [f"tracker:ballot:{final.slug}", {"best-picture": ids[0]}],
    )
    page.goto(url)
    expect(page.locator("#ballot-score")).to_have_text(
        "You: 0 of 1 right, counting the 1 announced category you picked in."
    )
    expect(page.locator("#ballot-toggle")).to_be_hidden()
    expect(page.locator(".pick input")).to_have_count(0)
    assert problems == []
    page.context.close()


def test_on_a_phone_the_ballot_is_one_compact_panel_until_opened(
    browser, live_server_url, show, tmp_path
):
    page, problems = open_page(
        browser,
        f"{live_server_url}/ceremonies/{show.slug}/",
        viewport={"width": 360, "height": 800},
    )
    expect(page.locator("#ballot-panel")).to_be_visible()
    expect(page.locator("#ballot-globe")).to_be_hidden()  # no Globe winner nominated here
    closed = page.locator("#ballot-panel").bounding_box()
    assert closed["height"] < 160
    make_picks(page, {"Best Picture": "Anora", "Best Actress": "Demi Moore"})
    off_loop(record, show, "Best Picture", "Anora")
    expect(pick_line(page, "Best Picture")).to_contain_text("✓ right", timeout=PUSHED)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#ballot-panel").scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "ballot-360-closed.png")
    page.locator("#ballot-toggle").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # While picking, each open category shows its choices instead of repeating the list.
    actress = category(page, "Best Actress")
    expect(actress.locator(".nominees")).to_be_hidden()
    expect(actress.get_by_role("radio")).to_have_count(2)
    expect(category(page, "Best Picture").locator(".nominees")).to_be_visible()
    page.screenshot(path=tmp_path / "ballot-360-open.png", full_page=True)
    assert problems == []
    page.context.close()


def score(page, picks: dict, snapshot: dict) -> dict:
    return page.evaluate(
        "([picks, snapshot]) => window.trackerBallot.scoreBallot(picks, snapshot)",
        [picks, snapshot],
    )


def cat(
    slug, ids, winners=(), corrected=False, favourites=(), competitive=True, season=None
) -> dict:
    row = {
        "slug": slug,
        "name": slug.title(),
        "competitive": competitive,
        "announced": bool(winners),
        "corrected_at": "2025-03-02T19:00:00-08:00" if corrected else None,
        "winners": [{"id": w, "label": f"N{w}"} for w in winners],
        "nominations": [{"id": i, "film": f"F{i}", "nominee": ""} for i in ids],
        "precursor": {
            "status": "pending",
            "favourites": [{"id": f, "label": f"N{f}", "precursor": "P"} for f in favourites],
            "summary": "",
        },
    }
    if season is not None:
        row["season"] = {"bodies": [], "favourite": season}
    return row


def test_score_ballot_run_in_the_page(browser, live_server_url, show):
    page, problems = open_page(browser, f"{live_server_url}/ceremonies/{show.slug}/")
    snapshot = {
        "categories": [
            cat("a", [1, 2, 3], winners=[1]),
            cat("b", [4, 5], winners=[5]),
            cat("c", [6, 7]),
            cat("d", [8, 9], winners=[8]),
            cat("tie", [10, 11, 12], winners=[10, 11]),
            cat("withdrawn", [13, 14], corrected=True),
            cat("honorary", [15], winners=[15], competitive=False),
        ]
    }
    picks = {"a": 1, "b": 4, "c": 7, "tie": 11, "withdrawn": 13, "honorary": 15, "gone": 99}
    s = score(page, picks, snapshot)
    states = {slug: c["state"] for slug, c in s["categories"].items()}
    assert states == {
        "a": "right",
        "b": "wrong",
        "c": "open",
        "d": "unpicked",
        "tie": "right",  # either tied winner is right
        "withdrawn": "withdrawn",  # locked and not scored
    }
    assert (s["right"], s["scored"], s["picked"], s["open"], s["openPicked"]) == (2, 3, 5, 1, 1)
    other_tied = score(page, {"tie": 10}, snapshot)
    assert (other_tied["right"], other_tied["scored"]) == (1, 1)
    losing_tie = score(page, {"tie": 12}, snapshot)
    assert (losing_tie["right"], losing_tie["scored"]) == (0, 1)

    # A pick of a nomination not in its category (stale, or a hand-edited store) is no pick.
    assert score(page, {"a": 4}, snapshot)["categories"]["a"]["pick"] is None

    # A correction re-scores: the same picks against the corrected winners.
    corrected = {
        "categories": [
            cat("a", [1, 2, 3], winners=[2], corrected=True),
            *snapshot["categories"][1:],
        ]
    }
    after = score(page, picks, corrected)
    assert after["categories"]["a"]["state"] == "wrong"
    assert (after["right"], after["scored"]) == (1, 3)
    # And a withdrawal takes the category out of the score.
    withdrawn = {"categories": [cat("a", [1, 2, 3], corrected=True), *snapshot["categories"][1:]]}
    assert (score(page, picks, withdrawn)["right"], score(page, picks, withdrawn)["scored"]) == (
        1,
        2,
    )

    # "Always the Globe winner": right when a Globe winner won (either, where Drama and Comedy
    # winners were both nominated), over announced categories having one.
    globes = {
        "categories": [
            cat("held", [1, 2], winners=[1], favourites=[1]),
            cat("upset", [3, 4], winners=[4], favourites=[3]),
            cat("second-favourite-won", [5, 6, 7], winners=[6], favourites=[5, 6]),
            cat("no-favourite", [8, 9], winners=[8]),
            cat("pending", [10, 11], favourites=[10]),
        ]
    }
    assert score(page, {}, globes)["globe"] == {"right": 2, "scored": 3}
    assert score(page, {}, {"categories": []})["globe"] == {"right": 0, "scored": 0}
    # "Always the season's favourite": over announced categories whose season has one.
    seasons = {
        "categories": [
            cat("held", [1, 2], winners=[1], season=1),
            cat("against", [3, 4], winners=[4], season=3),
            cat("split", [5, 6], winners=[5], season=None),
            cat("pending", [7, 8], season=7),
        ]
    }
    assert score(page, {}, seasons)["season"] == {"right": 1, "scored": 2}

    # Once the show is final, a category never announced is closed: locked, not scored.
    final = {"ceremony": {"status": "final"}, "categories": snapshot["categories"]}
    closed = score(page, picks, final)
    assert closed["categories"]["c"]["state"] == "closed"
    assert (closed["open"], closed["right"], closed["scored"]) == (0, 2, 3)

    round_trip = page.evaluate(
        "([picks, snapshot]) => { const b = window.trackerBallot;"
        " return b.decodePicks(b.encodePicks(picks) + '.zz.!!.1', snapshot); }",
        [{"a": 3, "b": 5, "tie": 12}, snapshot],
    )
    # Unknown ids and junk are dropped; a second id for a category already picked is ignored.
    assert round_trip == {"a": 3, "b": 5, "tie": 12}
    assert problems == []
    page.context.close()
