"""axe-core finds no violation (colour contrast of 4.5:1 included: every default rule runs) on
the reader's pages, live and final, the archive index, the film, person, search, records, upsets
and season pages, and the live desk, at 1366 and 390 px.

axe-core is fetched at test time from the npm registry (`npm pack axe-core`) into a temporary
directory: nothing third-party is committed. Without npm or the registry the test is skipped
(locally) or fails (CI)."""

import json
import subprocess
import tarfile

import pytest

from ceremony import services
from ceremony.importers.json_file import ceremony_spec
from ceremony.models import Film, Person
from tests.support.browser import off_loop
from tests.support.builders import demo_data, demo_show_live, editors_group, record, record_all
from tests.support.environment import IN_CI
from tests.support.forecast import odds_for
from tests.support.seasons import season_97

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_VERSION = "4"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def axe_source(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("axe")
    try:
        done = subprocess.run(
            ["npm", "pack", f"axe-core@{AXE_VERSION}", "--silent"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as problem:
        if IN_CI:
            pytest.fail(f"CI needs axe-core from npm: {problem}")
        pytest.skip(f"needs axe-core from npm: {problem}")
    with tarfile.open(folder / done.stdout.strip().splitlines()[-1]) as archive:
        return archive.extractfile("package/axe.min.js").read().decode()


def violations(page, axe_source: str) -> list[str]:
    """axe-core's violations on the page, every default rule run: colour contrast (4.5:1 for
    text, 3:1 for large text) among them, and checked to have run on some text."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document);
            return {
                violations: r.violations,
                contrast: [...r.passes, ...r.violations].some((v) => v.id === "color-contrast"),
            };
        }"""
    )
    found = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}) {json.dumps(v['nodes'][0]['target'])}"
        f" {v['nodes'][0].get('failureSummary', '')[:300]}"
        for v in result["violations"]
    ]
    if not result["contrast"]:
        found.append("color-contrast: not run")
    return found


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
    found = {}
    for viewport in ({"width": 1366, "height": 900}, {"width": 390, "height": 844}):
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        for name, path in pages.items():
            response = page.goto(f"{live_server_url}{path}")
            assert response.status == 200, path
            if name == "upsets":  # Actress, Director, International Feature, Picture
                assert page.locator(".upset-row").count() == 4
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
    found = {}
    for viewport in ({"width": 1366, "height": 900}, {"width": 390, "height": 844}):
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        for name, path in pages.items():
            response = page.goto(f"{live_server_url}{path}")
            assert response.status == 200, path
            found[f"{name} {viewport['width']}"] = violations(page, axe_source)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        context.close()
    assert found == {key: [] for key in found}


def test_axe_finds_no_violation_on_the_odds_and_the_forecast_page(
    browser, live_server_url, axe_source
):
    oscars = off_loop(demo_show_live)
    off_loop(odds_for, oscars)
    off_loop(record, oscars, "Best Supporting Actor", "Kieran Culkin")
    off_loop(record, oscars, "Best Actress", "Mikey Madison")
    found = {}
    for viewport in ({"width": 1366, "height": 900}, {"width": 390, "height": 844}):
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        for name, path in (("page", f"/ceremonies/{oscars.slug}/"), ("forecast", "/forecast/")):
            response = page.goto(f"{live_server_url}{path}")
            assert response.status == 200, path
            if name == "page":
                assert page.locator(".nominees .odds").count() > 100
                assert page.locator(".surprise:not([hidden])").count() == 2
            else:
                assert page.locator(".calibration-chart circle").count() > 0
            found[f"{name} {viewport['width']}"] = violations(page, axe_source)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        context.close()
    assert found == {key: [] for key in found}
