"""axe-core finds no violation (colour contrast of 4.5:1 included: every default rule runs) on
the reader's pages, live and final, the archive index, the film, person, search, records, upsets
and season pages, and the live desk, at 1366 and 390 px.

axe-core is fetched at test time from the npm registry (`npm pack axe-core`) into a temporary
directory: nothing third-party is committed. Without npm or the registry the test is skipped
(locally) or fails (CI)."""

import pytest

from ceremony import services
from ceremony.importers.json_file import ceremony_spec
from ceremony.models import Film, Person
from ceremony.pools import services as pools
from tests.support import axe
from tests.support.browser import off_loop
from tests.support.builders import (
    demo_data,
    demo_show_live,
    editors_group,
    make_ceremony,
    record,
    record_all,
)
from tests.support.forecast import odds_for
from tests.support.pools import draft_show, go_live, player
from tests.support.seasons import season_97

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
violations = axe.violations


@pytest.fixture(scope="session")
def axe_source() -> str:
    return axe.axe_source()


def test_axe_finds_no_violation_on_the_ceremony_page_live_and_final_and_the_archive_index(
    browser, live_server_url, axe_source
):
    spec = ceremony_spec(demo_data("oscars-97-nominees.json"), source="test", with_results=False)
    off_loop(
        services.ceremony_import,
        spec=ceremony_spec(demo_data("golden-globes-82.json"), source="test"),
    )
    oscars = off_loop(services.ceremony_import, spec=spec).ceremony
    off_loop(services.ceremony_set_status, ceremony_id=oscars.pk, status="live", editor=None)
    off_loop(record, oscars, "Best Actress", "Mikey Madison")
    off_loop(record, oscars, "Best Director", "Sean Baker")
    pages = {
        "live": f"/ceremonies/{oscars.slug}/",
        "final": "/ceremonies/82nd-golden-globe-awards/",
        "index": "/ceremonies/",
    }
    found = {}
    for name, path in pages.items():
        for viewport in ({"width": 1366, "height": 900}, {"width": 390, "height": 844}):
            # The page's CSP allows no inline script; axe is injected past it, in the test only.
            page = browser.new_context(viewport=viewport, bypass_csp=True).new_page()
            page.goto(f"{live_server_url}{path}")
            if name == "live":
                page.locator("#connection[data-state=live]").wait_for()
            found[f"{name} {viewport['width']}"] = violations(page, axe_source)
            page.context.close()
    assert found == {key: [] for key in found}


def test_axe_finds_no_violation_on_the_film_person_search_and_records_pages_and_the_desk(
    browser, live_server_url, axe_source, django_user_model
):
    off_loop(
        services.ceremony_import,
        spec=ceremony_spec(demo_data("golden-globes-82.json"), source="test"),
    )
    spec = ceremony_spec(demo_data("oscars-97-nominees.json"), source="test", with_results=False)
    oscars = off_loop(services.ceremony_import, spec=spec).ceremony
    off_loop(services.ceremony_set_status, ceremony_id=oscars.pk, status="live", editor=None)
    off_loop(record, oscars, "Best Actress", "Mikey Madison")
    off_loop(record, oscars, "Best Director", "Sean Baker")
    film = Film.objects.get(title="Anora")
    person = Person.objects.get(name="Sean Baker")
    editor = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(editors_group())
    pages = {
        "film": f"/films/{film.slug}/",
        "person": f"/people/{person.slug}/",
        "search": "/search/?q=anora",
        "records": "/records/",
    }
    found = {}
    for viewport in ({"width": 1366, "height": 900}, {"width": 390, "height": 844}):
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        for name, path in pages.items():
            page.goto(f"{live_server_url}{path}")
            found[f"{name} {viewport['width']}"] = violations(page, axe_source)
        desk = f"/admin/ceremony/ceremony/{oscars.pk}/desk/"
        page.goto(f"{live_server_url}/admin/login/?next={desk}")
        page.fill("input[name=username]", "editor")
        page.fill("input[name=password]", PASSWORD)
        page.press("input[name=password]", "Enter")
        page.wait_for_url(f"{live_server_url}{desk}")
        page.locator(".desk-next").first.wait_for()
        found[f"desk {viewport['width']}"] = violations(page, axe_source)
        context.close()
    assert found == {key: [] for key in found}


def test_axe_finds_no_violation_on_the_upsets_and_season_pages(
    browser, live_server_url, axe_source
):
    oscars = off_loop(demo_show_live)
    off_loop(record_all, oscars, demo_data("oscars-97-results.json"))
    off_loop(services.ceremony_set_status, ceremony_id=oscars.pk, status="final", editor=None)
    pages = {
        "upsets": "/upsets/",
        "filtered": "/upsets/?category=best-actress",
        "seasons": "/seasons/",
        "season": f"/seasons/{oscars.date.year}/",
    }

    def visit(page, name):
        if name == "upsets":  # Actress, Director, International Feature, Picture
            assert page.locator(".upset-row").count() == 4

    found = axe.violations_at_both_sizes(browser, live_server_url, axe_source, pages, visit)
    assert found == {key: [] for key in found}


def test_axe_finds_no_violation_on_the_sharing_pages_the_embeds_and_the_alerts_panel(
    browser, live_server_url, axe_source
):
    oscars = off_loop(demo_show_live)
    off_loop(record, oscars, "Best Actress", "Mikey Madison")
    pages = {
        "result": f"/ceremonies/{oscars.slug}/best-actress/",
        "to come": f"/ceremonies/{oscars.slug}/best-picture/",
        "ballot": f"/ceremonies/{oscars.slug}/called-1-of-1/",
        "embed": f"/embed/{oscars.slug}/",
        "embed category": f"/embed/{oscars.slug}/best-actress/",
        "alerts": f"/ceremonies/{oscars.slug}/",
    }
    found = {}
    for viewport in ({"width": 1366, "height": 900}, {"width": 390, "height": 844}):
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        for name, path in pages.items():
            page.goto(f"{live_server_url}{path}")
            if name == "alerts":
                page.get_by_text("Alerts").click()
            found[f"{name} {viewport['width']}"] = violations(page, axe_source)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        context.close()
    assert found == {key: [] for key in found}


def test_axe_finds_no_violation_on_the_pool_pages(browser, live_server_url, axe_source):
    show = off_loop(draft_show)
    created = off_loop(pools.pool_create, ceremony_id=show.pk, name="Office", tiebreak_question="?")
    code = created.pool.code
    off_loop(player, created.pool.pk, "Ann", show, {"Best Picture": "Anora"})
    before = {
        "create": f"/pools/new/{show.slug}/",
        "pool open": f"/pools/{code}/",
        "manage": f"/pools/{code}/manage/{created.manage_secret}/",
    }
    found = {}
    for stage in ("before", "after"):
        if stage == "after":
            off_loop(go_live, show)
            off_loop(record, show, "Best Picture", "Anora")
        for viewport in ({"width": 1366, "height": 900}, {"width": 390, "height": 844}):
            context = browser.new_context(viewport=viewport, bypass_csp=True)
            page = context.new_page()
            pages = before if stage == "before" else {"pool locked": f"/pools/{code}/"}
            for name, path in pages.items():
                assert page.goto(f"{live_server_url}{path}").status == 200, path
                if stage == "before" and name == "pool open":
                    page.get_by_label("Your display name").fill(f"Bo {viewport['width']}")
                    page.get_by_role("button", name="Join").click()
                    page.wait_for_url("**/ballot/")
                    found[f"ballot {viewport['width']}"] = violations(page, axe_source)
                    page.goto(f"{live_server_url}{path}")
                if name == "pool locked":
                    page.locator("#connection[data-state=live]").wait_for()
                found[f"{name} {viewport['width']}"] = violations(page, axe_source)
                assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            context.close()
    assert found == {key: [] for key in found}


def test_axe_finds_no_violation_where_the_season_shows_every_body(
    browser, live_server_url, axe_source
):
    oscars = off_loop(season_97)
    off_loop(services.ceremony_set_status, ceremony_id=oscars.pk, status="final", editor=None)
    pages = {
        "ranked by the season": "/upsets/?rank=season",
        "season": f"/seasons/{oscars.date.year}/",
        "seasons": "/seasons/",
        "card": f"/ceremonies/{oscars.slug}/",
    }
    found = axe.violations_at_both_sizes(browser, live_server_url, axe_source, pages)
    assert found == {key: [] for key in found}


def test_axe_finds_no_violation_on_honorary_cards_a_rehearsal_the_home_and_a_person_page(
    browser, live_server_url, axe_source
):
    show = off_loop(
        make_ceremony,
        {
            "Honorary Award": [("Anora", "Juliet Taylor")],
            "Best Picture": [("Anora",), ("The Brutalist",)],
        },
    )
    show.categories.filter(name="Honorary Award").update(competitive=False)
    off_loop(record, show, "Honorary Award", "Juliet Taylor")
    off_loop(record, show, "Best Picture", "Anora")
    off_loop(services.ceremony_set_status, ceremony_id=show.pk, status="final", editor=None)
    copy = off_loop(services.ceremony_rehearsal_reset, ceremony_id=show.pk, editor=None)
    off_loop(services.ceremony_set_status, ceremony_id=copy.pk, status="live", editor=None)
    off_loop(record, copy, "Honorary Award", "Juliet Taylor")
    person = Person.objects.get(name="Juliet Taylor")
    pages = {
        "final": show.get_absolute_url(),
        "rehearsal": copy.get_absolute_url(),
        "home": "/",
        "person": person.get_absolute_url(),
    }
    found = {}
    for viewport in ({"width": 1366, "height": 900}, {"width": 390, "height": 844}):
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        for name, path in pages.items():
            page.goto(f"{live_server_url}{path}")
            if name == "rehearsal":
                page.locator("#connection[data-state=live]").wait_for()
            found[f"{name} {viewport['width']}"] = violations(page, axe_source)
        context.close()
    assert found == {key: [] for key in found}


def test_the_seasons_chart_scrolls_by_keyboard_on_a_phone_and_says_so_where_it_does(
    browser, live_server_url
):
    oscars = off_loop(demo_show_live)
    off_loop(record_all, oscars, demo_data("oscars-97-results.json"))
    off_loop(services.ceremony_set_status, ceremony_id=oscars.pk, status="final", editor=None)
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server_url}/seasons/")
    # The chart's scroll area: the element of the figure that scrolls sideways.
    # Wider than a phone's 366 px of content: the chart says it scrolls, and says it on the
    # phone only.
    wide = page.locator("svg.carry-chart").evaluate("e => Number(e.getAttribute('width')) > 366")
    assert page.locator(".scroll-hint").count() == (1 if wide else 0)
    page.evaluate(
        """() => {
            const figure = document.querySelector("figure.chart");
            const all = [figure, ...figure.querySelectorAll("*")];
            const area = all.find((e) => getComputedStyle(e).overflowX === "auto");
            area.id = area.id || "scroll-area";
            const svg = area.querySelector("svg");
            // One decade may fit a phone: widen the chart as a long history does.
            if (area.scrollWidth <= area.clientWidth) svg.setAttribute("width", 900);
        }"""
    )
    area = page.locator("#scroll-area")

    for _ in range(20):
        page.keyboard.press("Tab")
        if area.evaluate("e => e === document.activeElement"):
            break
    assert area.evaluate("e => e === document.activeElement"), "not reachable by keyboard"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")

    page.wait_for_function("document.querySelector('#scroll-area').scrollLeft > 0")
    # Named for what it is and does, for a screen reader reaching it by Tab.
    assert "scrolls" in (area.get_attribute("aria-label") or "")
    page.context.close()


def test_axe_finds_no_violation_on_the_odds_and_the_forecast_page(
    browser, live_server_url, axe_source
):
    oscars = off_loop(demo_show_live)
    off_loop(odds_for, oscars)
    off_loop(record, oscars, "Best Supporting Actor", "Kieran Culkin")
    off_loop(record, oscars, "Best Actress", "Mikey Madison")

    def visit(page, name):
        if name == "page":
            assert page.locator(".nominees .odds").count() > 100
            assert page.locator(".surprise:not([hidden])").count() == 2
        else:
            assert page.locator(".calibration-chart circle").count() > 0

    pages = {"page": f"/ceremonies/{oscars.slug}/", "forecast": "/forecast/"}
    found = axe.violations_at_both_sizes(browser, live_server_url, axe_source, pages, visit)
    assert found == {key: [] for key in found}
