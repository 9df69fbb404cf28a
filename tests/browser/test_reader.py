"""The reader's page in Chromium: updates arrive without a reload, survive a cut socket, and the
page is whole without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from ceremony import services
from ceremony.importers.json_file import ceremony_spec
from tests.support.browser import off_loop
from tests.support.builders import ceremony_data, editors_group, make_ceremony, nomination, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
SHOW = {
    "Best Picture": ["Anora", "The Brutalist", "Conclave"],
    "Best Director": [("Anora", "Sean Baker"), ("The Brutalist", "Brady Corbet")],
    "Best Actress": [("Anora", "Mikey Madison"), ("The Substance", "Demi Moore")],
}


@pytest.fixture
def show(db):
    return make_ceremony(SHOW)


def open_reader(browser, live_server_url, ceremony, **context):
    page = browser.new_context(**context).new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server_url}/ceremonies/{ceremony.slug}/")
    return page, problems


def category(page, name: str):
    return page.locator("section.category", has=page.locator("h3", has_text=name))


def wait_live(page):
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")


def test_a_result_recorded_on_the_desk_reaches_an_open_reader_page_within_two_seconds(
    browser, live_server_url, show, django_user_model
):
    editor = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(editors_group())
    reader, problems = open_reader(browser, live_server_url, show)
    wait_live(reader)
    reader.evaluate("window.notReloaded = true")
    desk = browser.new_context().new_page()
    desk.goto(f"{live_server_url}/admin/login/?next=/admin/ceremony/ceremony/{show.pk}/desk/")
    desk.get_by_label("Username").fill("editor")
    desk.get_by_label("Password").fill(PASSWORD)
    desk.get_by_role("button", name="Log in").click()
    expect(desk.locator(".desk-next h2")).to_contain_text("Best Picture")
    # Autofocus lands when the page first renders, which may be just after "load".
    expect(desk.get_by_role("radio", name="Anora", exact=True)).to_be_focused()

    desk.keyboard.press("Space")  # the focused first nominee: Anora
    desk.keyboard.press("Enter")
    expect(desk.locator(".messagelist")).to_contain_text("recorded as winner")

    picture = category(reader, "Best Picture")
    expect(picture.locator("li.winner")).to_have_text(re.compile("Anora"), timeout=2000)
    expect(reader.locator("#progress-text")).to_have_text("1 of 3 awarded", timeout=2000)
    expect(reader.locator("#latest li.newest")).to_contain_text("Best Picture: Anora")
    expect(reader.locator("#tallies li").first).to_contain_text("Anora")
    expect(reader.locator("#tallies li").first.locator(".bar-figure")).to_have_text("1 of 3")
    expect(reader.locator("#announcer")).to_have_text("Best Picture: Anora.")
    expect(picture.locator(".when time")).to_have_text(re.compile(r"\d+:\d\d [AP]M P[SD]T"))
    expect(picture.locator(".when .ago")).to_have_text("just now")
    # Its own page and share card, linked once there is a result.
    expect(picture.get_by_role("link", name="Share the Best Picture result")).to_be_visible()
    assert reader.evaluate("window.notReloaded") is True
    assert problems == []
    desk.context.close()
    reader.context.close()


@pytest.mark.redis
def test_a_write_from_another_process_reaches_the_reader_and_re_sorts_the_tallies(
    browser, live_server_url, show
):
    reader, problems = open_reader(browser, live_server_url, show)
    wait_live(reader)
    off_loop(record, show, "Best Director", "Brady Corbet")
    expect(reader.locator("#tallies li").first).to_contain_text("The Brutalist", timeout=2000)
    first_row = reader.locator("#tallies li").first.element_handle()

    off_loop(record, show, "Best Picture", "Anora")
    off_loop(record, show, "Best Actress", "Mikey Madison")

    expect(reader.locator("#tallies li").first).to_contain_text("Anora", timeout=2000)
    expect(reader.locator("#tallies li").first.locator(".bar-figure")).to_have_text("2 of 3")
    # The Brutalist's row moved down: the same element, re-sorted, not rebuilt.
    assert first_row.evaluate("li => li.isConnected && li.dataset.film") == "the-brutalist-2024"
    expect(reader.locator("#people li").first).to_contain_text("Brady Corbet")
    expect(reader.locator("#progress-bar")).to_have_attribute("value", "3")
    assert problems == []
    reader.context.close()


def test_after_the_socket_is_cut_a_correction_made_meanwhile_shows_without_reload(
    browser, live_server_url, show
):
    off_loop(record, show, "Best Director", "Sean Baker")
    context = browser.new_context()
    sockets = []
    refusing = {"now": False}

    def handle(ws):
        if refusing["now"]:
            ws.close(code=1011, reason="test: network down")
            return
        ws.connect_to_server()
        sockets.append(ws)

    context.route_web_socket(re.compile(r"/ws/ceremonies/"), handle)
    reader = context.new_page()
    problems = []
    reader.on("pageerror", lambda e: problems.append(str(e)))
    reader.goto(f"{live_server_url}/ceremonies/{show.slug}/")
    wait_live(reader)
    reader.evaluate("window.notReloaded = true")
    director = category(reader, "Best Director")
    expect(director.locator("li.winner")).to_contain_text("Sean Baker")

    refusing["now"] = True
    sockets[-1].close(code=1006, reason="test: cut")
    expect(reader.locator("#connection")).not_to_have_attribute("data-state", "live")
    corbet = nomination(show, "Best Director", "Brady Corbet")
    off_loop(
        services.result_correct,
        category_id=corbet.category_id,
        nomination_ids=[corbet.pk],
        editor=None,
        reason="Misread the card",
    )
    refusing["now"] = False

    expect(director.locator("li.winner")).to_contain_text("Brady Corbet", timeout=20000)
    expect(director.locator(".badge.corrected")).to_contain_text("Corrected")
    expect(director).to_have_class(re.compile(r"\bcorrected\b"))
    expect(reader.locator("#connection")).to_have_attribute("data-state", "live")
    expect(reader.locator("#announcer")).to_have_text(
        "Correction: Best Director is now Brady Corbet, was Sean Baker."
    )
    assert reader.evaluate("window.notReloaded") is True
    assert problems == []
    context.close()


def test_with_javascript_disabled_the_page_shows_the_whole_current_state(
    browser, live_server_url, show
):
    off_loop(record, show, "Best Picture", "Anora")
    off_loop(record, show, "Best Director", "Sean Baker")
    corbet = nomination(show, "Best Director", "Brady Corbet")
    off_loop(
        services.result_correct,
        category_id=corbet.category_id,
        nomination_ids=[corbet.pk],
        editor=None,
        reason="Misread the card",
    )

    page, problems = open_reader(browser, live_server_url, show, java_script_enabled=False)

    expect(page.locator("#progress-text")).to_have_text("2 of 3 awarded")
    expect(category(page, "Best Picture").locator("li.winner")).to_have_text(re.compile("Anora"))
    director = category(page, "Best Director")
    expect(director.locator("li.winner")).to_contain_text("Brady Corbet")
    expect(director.locator(".badge.corrected")).to_contain_text("Corrected")
    expect(page.locator("#latest li")).to_have_count(2)
    expect(page.locator("#latest li.newest")).to_contain_text("Best Director: Brady Corbet")
    expect(page.locator("#tallies li").first).to_contain_text("Anora")
    expect(page.locator("#tallies li").first.locator(".bar-figure")).to_have_text("1 of 3")
    expect(page.locator("#people li")).to_have_count(1)
    expect(category(page, "Best Actress").locator("li.winner")).to_have_count(0)
    assert problems == []
    page.context.close()


@pytest.mark.redis
def test_on_a_phone_an_update_lands_without_moving_the_page(browser, live_server_url, show):
    reader, problems = open_reader(
        browser, live_server_url, show, viewport={"width": 360, "height": 800}
    )
    wait_live(reader)
    grid_top = "document.querySelector('.category-grid').getBoundingClientRect().top"
    before = reader.evaluate(grid_top)

    off_loop(record, show, "Best Director", "Sean Baker")

    expect(reader.locator("#people li").first).to_contain_text("Sean Baker", timeout=2000)
    expect(reader.locator("#latest li.newest")).to_contain_text("Best Director")
    assert reader.evaluate(grid_top) == before
    assert reader.evaluate("document.documentElement.scrollWidth") <= 360
    assert problems == []
    reader.context.close()


def a_season(year: int, globe_winner: tuple, oscar_nominees: list, *, oscars_status: str):
    """A Golden Globe ceremony (final, with its Best Director winner) and the Oscars held two
    months later, linked as one season."""
    globes = ceremony_data(
        {"Best Director - Motion Picture": [(*globe_winner, True)]},
        ceremony=f"{year} Golden Globe Awards",
        body="Golden Globe Awards",
        edition=year,
        date=f"{year}-01-07",
    )
    services.ceremony_import(spec=ceremony_spec(globes, source="t"))
    return make_ceremony(
        {"Best Director": oscar_nominees},
        status=oscars_status,
        ceremony=f"{year} Academy Awards",
        body="Academy Awards",
        edition=year,
        date=f"{year}-03-10",
    )


def test_an_upset_pushed_to_the_page_shows_the_globes_record_and_tonights_pace(
    browser, live_server_url
):
    earlier = off_loop(
        a_season,
        2024,
        ("Oppenheimer", "Christopher Nolan"),
        [("Oppenheimer", "Christopher Nolan")],
        oscars_status="live",
    )
    off_loop(record, earlier, "Best Director", "Christopher Nolan")
    off_loop(services.ceremony_set_status, ceremony_id=earlier.pk, status="final", editor=None)
    show = off_loop(
        a_season,
        2025,
        ("The Brutalist", "Brady Corbet"),
        [("Anora", "Sean Baker"), ("The Brutalist", "Brady Corbet")],
        oscars_status="live",
    )
    page, problems = open_reader(browser, live_server_url, show)
    wait_live(page)
    director = category(page, "Best Director")
    expect(director.locator(".track")).to_have_text(
        "Globe winners nominated here won in 1 of 1 seasons, 2024–2024."
    )
    expect(page.locator("#upset-pace")).to_be_hidden()

    off_loop(record, show, "Best Director", "Sean Baker")

    # One season only: the upset is not rated, its record given as a count.
    expect(director.locator(".track")).to_have_class("track grade-unrated")
    expect(page.locator("#upset-pace")).to_have_text(
        "1 upset in 1 category; an average night since 2000 had 0.0 by now."
    )
    assert problems == []
    page.context.close()


def test_a_reconnect_never_waits_under_a_quarter_of_its_ceiling(browser, live_server_url, show):
    reader, problems = open_reader(browser, live_server_url, show)
    waits = reader.evaluate(
        """async () => {
          const { backoff } = await import("/static/ceremony/dom.js");
          const waits = {};
          for (const n of [1, 2, 3, 5, 20]) {
            waits[n] = Array.from({ length: 2000 }, () => backoff(n));
          }
          return waits;
        }"""
    )

    # The n-th wait in a row: between a quarter of min(30 s, 2ⁿ s) and all of it, spread over it.
    for n, ceiling in [(1, 2000), (2, 4000), (3, 8000), (5, 30000), (20, 30000)]:
        drawn = waits[str(n)]
        assert ceiling / 4 <= min(drawn) < ceiling / 4 + ceiling * 0.05
        assert ceiling * 0.95 < max(drawn) <= ceiling
    assert problems == []
