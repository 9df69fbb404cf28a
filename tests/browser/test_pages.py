import pytest
from playwright.sync_api import expect

from ceremony import services
from ceremony.importers.json_file import ceremony_spec
from tests.support.browser import off_loop
from tests.support.builders import demo_data, demo_show_live, make_ceremony, record, record_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ceremony_page_loads_its_own_styles_without_csp_violations(browser, live_server_url):
    off_loop(
        services.ceremony_import, spec=ceremony_spec(demo_data("golden-globes-82.json"), source="t")
    )
    page = browser.new_page(viewport={"width": 360, "height": 800})
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    response = page.goto(f"{live_server_url}/ceremonies/82nd-golden-globe-awards/")

    assert response.status == 200
    assert page.locator("h1").inner_text() == "82nd Golden Globe Awards"
    # The stylesheet is served (hashed name, by WhiteNoise) and applied.
    assert page.locator("header.site").evaluate("e => getComputedStyle(e).display") == "flex"
    assert "script-src 'self'" in response.header_value("content-security-policy")
    assert problems == []
    # Nothing overflows sideways on a 360 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.close()


def test_the_ceremonies_index_fits_a_phone_and_shows_most_awarded(browser, live_server_url):
    oscars = off_loop(demo_show_live)
    off_loop(record_all, oscars, demo_data("oscars-97-results.json"))
    off_loop(services.ceremony_set_status, ceremony_id=oscars.pk, status="final", editor=None)
    # Long titles, as the history has them: several most-awarded films, a long Best Picture.
    long_titles = ["Everything Everywhere All at Once", "Extraordinarily Unforgettable"]
    older = off_loop(
        make_ceremony,
        {
            "Best Picture": [(t,) for t in reversed(long_titles)],
            **{f"Award {i}": [(t,) for t in long_titles] for i in range(2)},
        },
        ceremony="95th Academy Awards",
        body="Academy Awards",
        edition=95,
        date="2023-03-12",
    )
    off_loop(record, older, "Best Picture", long_titles[1])
    off_loop(record, older, "Award 0", long_titles[0])
    off_loop(record, older, "Award 1", long_titles[0])
    off_loop(services.ceremony_set_status, ceremony_id=older.pk, status="final", editor=None)
    for width, height in ((390, 844), (1366, 900)):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(f"{live_server_url}/ceremonies/")

        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, (width, scroll_width)
        row = page.locator("tbody tr", has_text="97th Academy Awards")
        most = row.locator("td").nth(2)
        expect(most).to_contain_text("Anora")
        box = most.bounding_box()
        assert box["x"] >= 0, (width, box)
        assert box["x"] + box["width"] <= width, (width, box)
        page.close()
