"""The season's verdict in Chromium: a category's card before and after its result, live (the
snapshot's season rendered by live.js) and on the archive page (the server's template), with the
same words."""

import re

import pytest
from playwright.sync_api import expect

from ceremony import services
from tests.support.browser import off_loop
from tests.support.builders import record
from tests.support.seasons import ACTRESS, season_97

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUSHED = 10_000
BEFORE = (
    "The season leans to Moore (Globe, Critics' Choice, SAG), Madison had BAFTA and Spirit, "
    "Torres had Globe."
)
AFTER = (
    "Upset against the Globe; the season leaned to Moore (Globe, Critics' Choice, SAG), "
    "Madison had BAFTA and Spirit."
)
BODIES = (
    "Globe: Fernanda Torres / Demi Moore (lost) · Critics' Choice: Demi Moore (lost) · "
    "BAFTA: Mikey Madison (won) · Spirit: Mikey Madison (won) · SAG: Demi Moore (lost)"
)


def card(page):
    return page.locator(
        "section.category", has=page.locator("h3", has_text=re.compile(f"^{ACTRESS}$"))
    )


def test_the_card_follows_the_season_live_and_archived(browser, live_server_url):
    oscars = off_loop(season_97, result=False)
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server_url}/ceremonies/{oscars.slug}/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(card(page).locator(".precursor")).to_have_text(BEFORE)

    off_loop(record, oscars, ACTRESS, "Mikey Madison")

    expect(card(page).locator(".precursor")).to_have_text(AFTER, timeout=PUSHED)
    expect(card(page).locator(".track")).to_contain_text("Upset.")
    expect(card(page).locator(".season-line")).to_have_text(BODIES)

    off_loop(services.ceremony_set_status, ceremony_id=oscars.pk, status="final", editor=None)
    archived = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    archived.goto(f"{live_server_url}/ceremonies/{oscars.slug}/")
    expect(card(archived).locator(".precursor")).to_have_text(AFTER)
    expect(card(archived).locator(".season-line")).to_have_text(BODIES)
    assert problems == []
