import pytest

from ceremony import services
from ceremony.importers.json_file import ceremony_spec
from tests.support.browser import off_loop
from tests.support.builders import demo_data

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
