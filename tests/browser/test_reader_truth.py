"""What a reader sees at a glance is true (issue 14): corrections always marked, precursor
sentences exact, "not live" said when it is not, a finished show an archive page without a socket,
no raw data showing through, and nothing overflowing a phone."""

import datetime as dt
import json
import os
import re
import signal
import time
import zoneinfo

import pytest
from playwright.sync_api import expect

from ceremony import services
from ceremony.importers.json_file import ceremony_spec
from ceremony.models import Ceremony, Nomination
from tests.support.browser import off_loop
from tests.support.builders import demo_data, make_ceremony, nomination, record
from tests.support.seasons import imported

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOW = {
    "Best Picture": [("Anora", "Alex Coco, Samantha Quan and Sean Baker"), "The Brutalist"],
    "Best Director": [("Anora", "Sean Baker"), ("The Brutalist", "Brady Corbet")],
    "Best Actress": [("Anora", "Mikey Madison"), ("The Substance", "Demi Moore")],
}


def open_page(browser, url, **context):
    page = browser.new_context(**context).new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    sockets = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(url)
    return page, problems, sockets


def category(page, name: str):
    return page.locator(
        "section.category", has=page.locator("h3", has_text=re.compile(f"^{name}$"))
    )


def test_a_winner_withdrawn_then_recorded_anew_is_shown_as_a_correction_with_what_it_was(
    browser, live_server_url
):
    show = make_ceremony(SHOW)
    first = off_loop(record, show, "Best Director", "Brady Corbet")
    off_loop(
        services.result_withdraw,
        category_id=first.pk,
        editor=None,
        reason="Misread the card",
    )
    off_loop(record, show, "Best Director", "Sean Baker")

    page, problems, _ = open_page(browser, f"{live_server_url}/ceremonies/{show.slug}/")

    director = category(page, "Best Director")
    expect(director.locator(".result .headline")).to_have_text("Sean Baker")
    expect(director.locator(".correction")).to_contain_text("Corrected")
    expect(director.locator(".correction")).to_contain_text("was Brady Corbet")
    expect(director.locator(".correction")).to_contain_text("Reason: Misread the card")
    # The first announcement's time is kept: the card shows it, not the correction's.
    first_time = first.announced_at.isoformat()
    expect(director.locator(".when time")).to_have_attribute("datetime", first_time)
    newest = page.locator("#latest li.newest")
    expect(newest).to_contain_text("Best Director: Sean Baker")
    expect(newest.locator(".badge.corrected")).to_have_text("Corrected")
    expect(newest).to_contain_text("was Brady Corbet")
    assert problems == []
    page.context.close()


def test_the_precursor_sentence_names_only_the_winners_who_held_in_a_tie(browser, live_server_url):
    # The 26th Globes: Woodward won the Drama award, Streisand Musical or Comedy; Hepburn none.
    globes = off_loop(
        imported,
        {
            "Best Actress in a Motion Picture - Drama": [
                ("Rachel, Rachel", "Joanne Woodward", True),
                ("The Lion in Winter", "Katharine Hepburn"),
            ],
            "Best Actress in a Motion Picture - Musical or Comedy": [
                ("Funny Girl", "Barbra Streisand", True)
            ],
        },
        ceremony="26th Golden Globe Awards",
        body="Golden Globe Awards",
        edition=26,
        date="1969-02-24",
    )
    oscars = off_loop(
        make_ceremony,
        {
            "Best Actress": [
                ("Funny Girl", "Barbra Streisand"),
                ("The Lion in Winter", "Katharine Hepburn"),
                ("Rachel, Rachel", "Joanne Woodward"),
            ]
        },
        ceremony="41st Academy Awards",
        body="Academy Awards",
        edition=41,
        date="1969-04-14",
    )
    assert globes.pk
    off_loop(record, oscars, "Best Actress", "Barbra Streisand", "Katharine Hepburn")

    page, problems, _ = open_page(browser, f"{live_server_url}/ceremonies/{oscars.slug}/")

    sentence = category(page, "Best Actress").locator(".precursor")
    expect(sentence).to_have_text(
        "As the Golden Globes predicted: Barbra Streisand (Funny Girl) won. "
        "Katharine Hepburn (The Lion in Winter), also a winner here, had not won a Golden Globe. "
        "Golden Globe winner Joanne Woodward (Rachel, Rachel) did not win here."
    )
    assert problems == []
    page.context.close()


def test_within_ten_seconds_of_going_offline_the_page_says_it_is_not_live_and_since_when(
    browser, live_server_url
):
    show = make_ceremony(SHOW)
    page, problems, _ = open_page(browser, f"{live_server_url}/ceremonies/{show.slug}/")
    connection = page.locator("#connection")
    expect(connection).to_have_attribute("data-state", "live")
    expect(page.locator("#show-status")).to_have_text("Live")

    page.context.set_offline(True)

    expect(connection).not_to_have_attribute("data-state", "live", timeout=10_000)
    expect(connection).to_contain_text(re.compile(r"Not live since \d+:\d\d [AP]M"))
    expect(page.locator("#show-status")).not_to_have_text("Live")

    page.context.set_offline(False)
    expect(connection).to_have_attribute("data-state", "live", timeout=15_000)
    expect(page.locator("#show-status")).to_have_text("Live")
    assert problems == []
    page.context.close()


def test_within_ten_seconds_of_the_server_going_silent_the_page_says_it_is_not_live(
    browser, daphne_server, live_server_url
):
    # A server that stops answering without closing anything (a hung process, a black-holed
    # network): the socket stays open and the browser stays online, so only the heartbeat's
    # absence tells the page.
    show = off_loop(make_ceremony, SHOW)
    page = browser.new_context().new_page()
    problems, heartbeats = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    def watch(ws):
        def frame(payload):
            if json.loads(payload).get("type") == "heartbeat":
                heartbeats.append(time.monotonic())

        ws.on("framereceived", frame)

    page.on("websocket", watch)
    page.goto(f"{live_server_url}/ceremonies/{show.slug}/")
    connection = page.locator("#connection")
    expect(connection).to_have_attribute("data-state", "live")

    # A quiet show is not a lost server: past the silence limit, the heartbeats keep it live.
    page.wait_for_timeout(11_000)
    expect(connection).to_have_attribute("data-state", "live", timeout=1)
    expect(page.locator("#show-status")).to_have_text("Live")
    assert len(heartbeats) >= 2

    os.kill(daphne_server.pid, signal.SIGSTOP)
    try:
        stopped = time.monotonic()
        expect(connection).not_to_have_attribute("data-state", "live", timeout=10_000)
        assert time.monotonic() - stopped < 10
        expect(connection).to_contain_text(re.compile(r"^Not live since \d+:\d\d [AP]M"))
        expect(page.locator("#show-status")).to_have_text("Show in progress")
    finally:
        os.kill(daphne_server.pid, signal.SIGCONT)

    expect(connection).to_have_attribute("data-state", "live", timeout=30_000)
    expect(page.locator("#show-status")).to_have_text("Live")
    # The browser logs its failed connection attempts; nothing else went wrong.
    assert [p for p in problems if "WebSocket" not in p] == []
    page.context.close()


def test_a_final_ceremony_is_an_archive_page_without_a_socket_or_a_connection_line(
    browser, live_server_url
):
    nominees = demo_data("oscars-97-nominees.json")
    oscars = off_loop(
        services.ceremony_import,
        spec=ceremony_spec(nominees, source="test", with_results=False),
    ).ceremony
    off_loop(services.ceremony_set_status, ceremony_id=oscars.pk, status="live", editor=None)
    for name, who in [
        ("Best Supporting Actor", "Kieran Culkin"),
        ("Best Director", "Sean Baker"),
        ("Best Picture", "Anora"),
    ]:
        off_loop(record, oscars, name, who)
    off_loop(services.ceremony_set_status, ceremony_id=oscars.pk, status="final", editor=None)

    page, problems, sockets = open_page(browser, f"{live_server_url}/ceremonies/{oscars.slug}/")
    page.wait_for_timeout(1500)

    assert sockets == []
    expect(page.locator("#connection")).to_have_count(0)
    expect(page.locator("#show-status")).to_have_text("Final results")
    expect(page.locator("#latest")).to_have_count(0)
    expect(page.get_by_text("No award announced yet")).to_have_count(0)
    expect(page.get_by_text("so far")).to_have_count(0)
    night = page.locator("section.night")
    expect(night).to_contain_text("Most awarded")
    expect(night).to_contain_text("Best Picture")
    first_card = page.locator("section.category").first
    expect(first_card.locator("h3")).to_have_text("Best Picture")
    expect(first_card.locator(".result .headline")).to_have_text("Anora")
    assert problems == []
    page.context.close()


def test_an_imported_final_ceremony_opens_no_socket_and_nothing_overflows_a_phone(
    browser, live_server_url
):
    off_loop(
        services.ceremony_import,
        spec=ceremony_spec(demo_data("golden-globes-82.json"), source="test"),
    )
    for path in ["/ceremonies/82nd-golden-globe-awards/", "/ceremonies/"]:
        page, problems, sockets = open_page(
            browser, f"{live_server_url}{path}", viewport={"width": 390, "height": 844}
        )
        page.wait_for_timeout(500)
        assert sockets == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        header = page.locator("header.site")
        assert header.evaluate("e => e.getBoundingClientRect().height") < 50, path
        assert problems == [], path
        page.context.close()


def test_no_raw_data_shows_through_a_nominee_without_a_film_or_a_record(browser, live_server_url):
    show = make_ceremony({"Honorary Award": [("Anora", "Juliet Taylor")], **SHOW})
    # An honorary award names a person and no film, as archive imports record it.
    honorary = nomination(show, "Honorary Award", "Juliet Taylor")
    Nomination.objects.filter(pk=honorary.pk).update(film_title="")
    honorary.films.clear()
    off_loop(record, show, "Best Picture", "Anora")

    page, problems, _ = open_page(browser, f"{live_server_url}/ceremonies/{show.slug}/")

    honorary = category(page, "Honorary Award")
    expect(honorary.locator(".nominees .nominee")).to_have_text("Juliet Taylor")
    # No empty film for the stylesheet's " · " to stand before.
    expect(honorary.locator(".nominees .film")).to_have_count(0)
    text = page.locator("main").inner_text()
    assert " )" not in text
    assert "\\" not in text
    assert not re.search(r"·\s*$", text, re.MULTILINE)
    assert problems == []
    page.context.close()


def starting(show, at: dt.datetime):
    Ceremony.objects.filter(pk=show.pk).update(starts_at=at)
    services.ceremony_touch(ceremony_ids=[show.pk], editor=None, change="start time")


def every_body_final() -> None:
    """A finished ceremony of each precursor body beside the Globes and the Oscars: the
    ceremonies index's tabs as the whole archive has them (long body names included)."""
    bodies = [
        ("Critics' Choice Awards", 30, "2025-02-07"),
        ("BAFTA Film Awards", 78, "2025-02-16"),
        ("Film Independent Spirit Awards", 40, "2025-02-22"),
        ("Actor Awards", 31, "2025-02-23"),
        ("Academy Awards", 97, "2025-03-02"),
    ]
    for body, edition, date in bodies:
        make_ceremony(
            {"Best Picture": [("Anora", None), ("The Brutalist", None)]},
            status="final",
            ceremony=f"{edition}th {body}",
            body=body,
            edition=edition,
            date=date,
        )


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}]
)
def test_the_ceremonies_index_with_every_body_fits_the_screen(browser, live_server_url, viewport):
    off_loop(
        services.ceremony_import,
        spec=ceremony_spec(demo_data("golden-globes-82.json"), source="test"),
    )
    off_loop(every_body_final)
    page, problems, _ = open_page(browser, f"{live_server_url}/ceremonies/", viewport=viewport)

    tabs = page.locator('nav[aria-label="Award bodies"] a').all_inner_texts()
    assert {"Golden Globe Awards", "Film Independent Spirit Awards", "Academy Awards"} < set(tabs)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # Every cell within the screen ("Most awarded" was cut at 390 px).
    rights = page.locator(".index-table td, .index-table th").evaluate_all(
        "cells => cells.filter(c => c.offsetParent).map(c => c.getBoundingClientRect().right)"
    )
    assert rights
    assert max(rights) <= viewport["width"]
    assert problems == []


def test_before_the_show_the_start_time_is_in_the_readers_own_zone_with_a_countdown(
    browser, live_server_url
):
    show = off_loop(make_ceremony, SHOW, status="draft")
    soon = off_loop(make_ceremony, SHOW, status="draft", ceremony="2nd Test Awards", edition=2)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    at = (now + dt.timedelta(days=2, hours=3, minutes=30)).replace(second=0)
    off_loop(starting, show, at)
    off_loop(starting, soon, now + dt.timedelta(minutes=5))

    # A reader in Tokyo: the ceremony is in Los Angeles.
    page, problems, _ = open_page(
        browser,
        f"{live_server_url}/ceremonies/{show.slug}/",
        timezone_id="Asia/Tokyo",
        locale="en-US",
    )
    starts = page.locator("#starts")
    expect(starts).to_contain_text("(your time)")
    tokyo = at.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    text = starts.inner_text().replace("\u202f", " ")
    # Worded as the server words dates on the same page: "Tuesday 9 December 2026, 4:30 PM".
    assert f"{tokyo:%A} {tokyo.day} {tokyo:%B} {tokyo.year}, " in text, text
    assert f"{tokyo.hour % 12 or 12}:{tokyo:%M} {tokyo:%p}" in text, text
    assert "GMT+9" in text, text
    assert text.endswith(", in 2 days, 3 h."), text
    expect(starts.locator("time")).to_have_attribute("datetime", at.isoformat())
    assert problems == []
    page.context.close()

    # Minutes away, it counts down by the second.
    page, problems, _ = open_page(browser, f"{live_server_url}/ceremonies/{soon.slug}/")
    countdown = page.locator("#starts .countdown")
    expect(countdown).to_have_text(re.compile(r"^, in [45] min \d\d s\.$"))
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first, timeout=3000)
    assert problems == []
    page.context.close()

    # Without JavaScript: the time in the ceremony's own zone, and no countdown.
    page, _, _ = open_page(
        browser, f"{live_server_url}/ceremonies/{show.slug}/", java_script_enabled=False
    )
    los_angeles = at.astimezone(zoneinfo.ZoneInfo(show.time_zone))
    expect(page.locator("#starts")).to_have_text(
        f"The show starts {los_angeles:%A} {los_angeles.day} {los_angeles:%B %Y}, "
        f"{los_angeles.hour % 12 or 12}:{los_angeles:%M %p %Z}."
    )
    page.context.close()


def test_latest_says_upset_and_against_whom_as_it_happens_and_on_load(browser, live_server_url):
    off_loop(
        services.ceremony_import,
        spec=ceremony_spec(demo_data("golden-globes-82.json"), source="test"),
    )
    spec = ceremony_spec(demo_data("oscars-97-nominees.json"), source="test", with_results=False)
    oscars = off_loop(services.ceremony_import, spec=spec).ceremony
    off_loop(services.ceremony_set_status, ceremony_id=oscars.pk, status="live", editor=None)
    url = f"{live_server_url}/ceremonies/{oscars.slug}/"
    page, problems, _ = open_page(browser, url, viewport={"width": 390, "height": 844})
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")

    # Globe winners Fernanda Torres (Drama) and Demi Moore (Musical or Comedy) were nominated.
    off_loop(record, oscars, "Best Actress", "Mikey Madison")

    for reloaded in (False, True):
        if reloaded:
            page.reload()
        newest = page.locator("#latest li.newest")
        expect(newest).to_contain_text("Best Actress: Mikey Madison")
        expect(newest.locator(".badge.upset")).to_have_text("Upset")
        expect(newest.locator(".badge.upset")).to_be_visible()
        expect(newest.locator(".against")).to_have_text(
            "over Fernanda Torres (I'm Still Here) and Demi Moore (The Substance)"
        )
        expect(newest.locator(".against")).to_be_visible()
        # In the phone's first screen, where the reader looks.
        assert newest.evaluate("e => e.getBoundingClientRect().bottom") <= 844
    assert problems == []
    page.context.close()


def test_a_note_saved_on_a_result_is_not_announced_as_a_correction(browser, live_server_url):
    show = make_ceremony(SHOW)
    actress = off_loop(record, show, "Best Actress", "Mikey Madison")
    page, problems, _ = open_page(browser, f"{live_server_url}/ceremonies/{show.slug}/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")

    off_loop(services.result_note, category_id=actress.pk, note="A first win.", editor=None)

    card = category(page, "Best Actress")
    expect(card.locator(".result-note")).to_have_text("A first win.")
    expect(page.locator("#announcer")).to_have_text("Best Actress, note: A first win.")
    expect(card.locator(".correction")).to_have_count(0)
    assert problems == []
    page.context.close()


def test_before_the_show_the_page_is_not_said_live_and_gives_one_date_format(
    browser, live_server_url
):
    show = off_loop(make_ceremony, SHOW, status="draft")  # 2 March 2025, no start time

    page, problems, _ = open_page(
        browser, f"{live_server_url}/ceremonies/{show.slug}/", timezone_id=show.time_zone
    )

    connection = page.locator("#connection")
    expect(connection).to_have_attribute("data-state", "live")
    expect(page.locator("#show-status")).to_have_text("Not started")
    expect(connection).not_to_contain_text("Live")
    expect(page.locator(".ceremony-head .meta")).to_contain_text("Sunday 2 March 2025")
    expect(page.locator("#starts strong")).to_have_text("Sunday 2 March 2025")
    assert problems == []
    page.context.close()


def test_a_tie_arriving_live_keeps_each_team_whole_in_latest_and_the_announcement(
    browser, live_server_url
):
    show = make_ceremony(
        {
            "Best Original Screenplay": [
                ("Anora", "Sean Baker and Alex Coco"),
                ("The Brutalist", "Brady Corbet and Mona Fastvold"),
                ("Conclave", "Peter Straughan"),
            ]
        }
    )
    page, problems, _ = open_page(browser, f"{live_server_url}/ceremonies/{show.slug}/")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")

    off_loop(
        record,
        show,
        "Best Original Screenplay",
        "Sean Baker and Alex Coco",
        "Brady Corbet and Mona Fastvold",
    )

    teams = "Sean Baker and Alex Coco; Brady Corbet and Mona Fastvold"
    expect(page.locator("#latest li.newest .headline")).to_have_text(teams)
    expect(page.locator("#announcer")).to_have_text(f"Best Original Screenplay: {teams}, a tie.")
    assert problems == []
    page.context.close()
