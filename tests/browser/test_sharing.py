"""Sharing in Chromium: another site's page embeds the scoreboard and sees a result recorded on
the desk arrive live; the ceremony page refuses to be framed; a followed category's result
raises a notification while the page is in the background; a result's card is a 1200x630 PNG."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import off_loop, open_page
from tests.support.builders import editors_group, make_ceremony
from tests.support.framing import other_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
SHOW = {
    "Best Picture": ["Anora", "The Brutalist", "Conclave"],
    "Best Director": [("Anora", "Sean Baker"), ("The Brutalist", "Brady Corbet")],
}
# Every Notification the page makes, recorded on the way to the browser's own.
NOTIFICATION_SPY = """
window.notices = [];
window.permissionAsked = 0;
const BrowserNotification = window.Notification;
window.Notification = class extends BrowserNotification {
  constructor(title, options) {
    super(title, options);
    window.notices.push({ title, body: options && options.body, state: document.visibilityState });
  }
  static requestPermission() {
    window.permissionAsked += 1;
    return BrowserNotification.requestPermission();
  }
};
"""

# The page as a browser leaves a tab switched away from.
HIDE = """() => {
  Object.defineProperty(document, "visibilityState", { get: () => "hidden", configurable: true });
  Object.defineProperty(document, "hidden", { get: () => true, configurable: true });
  document.dispatchEvent(new Event("visibilitychange"));
}"""


@pytest.fixture
def show(db, django_user_model):
    editor = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    editor.groups.add(editors_group())
    return off_loop(make_ceremony, SHOW)


def record_on_desk(browser, live_server_url, ceremony, nominee: str):
    """Log in to the live desk and record `nominee` in the next category, as an editor does."""
    desk = browser.new_context().new_page()
    desk.goto(f"{live_server_url}/admin/login/?next=/admin/ceremony/ceremony/{ceremony.pk}/desk/")
    desk.get_by_label("Username").fill("editor")
    desk.get_by_label("Password").fill(PASSWORD)
    desk.get_by_role("button", name="Log in").click()
    choice = desk.get_by_role("radio", name=re.compile(rf"^{re.escape(nominee)}\b"))
    expect(choice).to_be_focused()
    choice.check()
    desk.keyboard.press("Enter")
    expect(desk.locator(".messagelist")).to_contain_text("recorded as winner")
    desk.context.close()


def test_another_sites_page_embeds_the_scoreboard_and_a_desk_result_arrives_live(
    browser, live_server_url, show
):
    frame_html = (
        f'<h1>A news site</h1><iframe title="Results" width="340" height="400" '
        f'src="{live_server_url}/embed/{show.slug}/"></iframe>'
    )
    with other_site(frame_html) as site:
        page, problems = open_page(browser, site)
        embed = page.frame_locator("iframe")
        expect(embed.locator("#embed-status")).to_have_text("Live")
        expect(embed.locator("#embed-progress")).to_have_text("0 of 2 awarded")

        record_on_desk(browser, live_server_url, show, "Anora")

        row = embed.locator("li[data-slug=best-picture]")
        expect(row.locator(".win")).to_have_text("Anora", timeout=3000)
        expect(embed.locator("#embed-progress")).to_have_text("1 of 2 awarded")
        link = embed.get_by_role("link", name=re.compile("every result, live"))
        expect(link).to_have_attribute("href", f"/ceremonies/{show.slug}/")
        # It fits the width it is given: nothing wider than the frame.
        assert embed.locator("body").evaluate("b => b.scrollWidth <= window.innerWidth")
        assert problems == []
        page.context.close()
    # A fresh load, script off, has it too: the page cache keeps the new version's embed only.
    fresh = browser.new_context(java_script_enabled=False).new_page()
    fresh.goto(f"{live_server_url}/embed/{show.slug}/")
    expect(fresh.locator("li[data-slug=best-picture] .win")).to_have_text("Anora")
    fresh.context.close()


def test_the_ceremony_page_cannot_be_framed_by_another_site(browser, live_server_url, show):
    frames = (
        f'<iframe id="page" src="{live_server_url}/ceremonies/{show.slug}/"></iframe>'
        f'<iframe id="embed" src="{live_server_url}/embed/{show.slug}/"></iframe>'
    )
    with other_site(frames) as site:
        page, refused = open_page(browser, site)
        expect(page.frame_locator("#embed").locator("#embed-status")).to_have_text("Live")
        # The browser refuses to show it: an error page stands in the frame, not the ceremony.
        page.wait_for_function(
            "() => document.getElementById('page').contentWindow.length === 0", timeout=5000
        )
        framed = next(f for f in page.frames if f.parent_frame and "embed" not in f.url)
        expect(framed.locator("body")).not_to_contain_text(show.name)
        assert any("frame-ancestors 'none'" in text for text in refused)
        page.context.close()


def test_a_followed_categorys_result_raises_a_notification_in_a_background_tab(
    browser, live_server_url, show
):
    reader = open_following(
        browser, live_server_url, show, "Best Picture", permissions=["notifications"]
    )
    # In the background. Playwright keeps every page it drives visible (a second page brought
    # to the front changes nothing in headless Chromium); its maintainers' way is to emulate
    # the state and its event (microsoft/playwright#2286): as a browser does on a tab switch.
    reader.evaluate(HIDE)
    assert reader.evaluate("document.visibilityState") == "hidden"

    record_on_desk(browser, live_server_url, show, "Anora")

    reader.wait_for_function("() => window.notices.length > 0", timeout=5000)
    notices = reader.evaluate("window.notices")
    assert notices == [
        {"title": "Best Picture: Anora", "body": notices[0]["body"], "state": "hidden"}
    ]
    reader.context.close()


def open_following(browser, live_server_url, ceremony, category: str, **context):
    context = browser.new_context(**context)
    context.add_init_script(NOTIFICATION_SPY)
    reader = context.new_page()
    reader.goto(f"{live_server_url}/ceremonies/{ceremony.slug}/")
    expect(reader.locator("#connection")).to_have_attribute("data-state", "live")
    reader.get_by_text("Alerts").click()
    reader.get_by_role("checkbox", name=category).check()
    assert reader.evaluate("window.permissionAsked") == 0
    reader.get_by_role("button", name="Follow").click()
    expect(reader.locator(".follow-state")).to_contain_text("Following 1")
    return reader


def test_permission_is_asked_only_once_the_reader_chooses_to_follow(browser, live_server_url, show):
    reader = open_following(browser, live_server_url, show, "Best Picture")

    reader.wait_for_function("() => window.permissionAsked === 1")
    reader.context.close()


def test_no_notification_for_a_page_in_front_nor_for_a_result_not_followed(
    browser, live_server_url, show
):
    reader = open_following(
        browser, live_server_url, show, "Best Picture", permissions=["notifications"]
    )

    record_on_desk(browser, live_server_url, show, "Anora")  # followed, but the page in front
    expect(reader.locator("#latest li.newest")).to_contain_text("Best Picture: Anora")
    reader.evaluate(HIDE)
    record_on_desk(browser, live_server_url, show, "Sean Baker")  # in the background, not followed
    expect(reader.locator("#latest li.newest")).to_contain_text("Best Director: Sean Baker")

    assert reader.evaluate("window.notices") == []
    reader.context.close()


def test_a_results_share_card_is_a_1200_by_630_png(browser, live_server_url, show):
    record_on_desk(browser, live_server_url, show, "Anora")
    page = browser.new_context().new_page()
    page.goto(f"{live_server_url}/ceremonies/{show.slug}/best-picture/")
    card = page.locator('meta[property="og:image"]').get_attribute("content")

    response = page.goto(card)

    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    size = page.locator("img").evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert size == [1200, 630]
    page.context.close()
