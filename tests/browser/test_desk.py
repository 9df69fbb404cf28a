"""The live desk in Chromium: an editor at the keyboard, and a second editor watching."""

import re

import pytest
from playwright.sync_api import expect

from ceremony.models import AuditEntry, Category
from tests.support.builders import editors_group, make_ceremony, nomination

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct horse battery staple"
SHOW = {
    "Best Supporting Actor": [
        ("A Real Pain", "Kieran Culkin"),
        ("Anora", "Yura Borisov"),
        ("Conclave", "Guy Pearce"),
    ],
    "Best Animated Feature": ["Flow", "The Wild Robot", "Inside Out 2"],
}


@pytest.fixture
def show(db):
    return make_ceremony(SHOW)


def make_editor(django_user_model, username: str):
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(editors_group())
    return user


def open_desk(browser, live_server_url, username: str, ceremony, *, socket_blocked=False):
    """Log in from the keyboard alone and land on the desk."""
    page = browser.new_context().new_page()
    if socket_blocked:
        # As behind a proxy that refuses websockets: every attempt is closed at once.
        page.route_web_socket(re.compile(r"/ws/"), lambda ws: ws.close())
    problems = []

    def console(message):
        # The admin names no favicon, so Chromium's own guess at /favicon.ico is not ours.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(str(e)))
    desk = f"/admin/ceremony/ceremony/{ceremony.pk}/desk/"
    page.goto(f"{live_server_url}/admin/login/?next={desk}")
    # The login form focuses the username field itself (once it has rendered).
    page.wait_for_function("document.activeElement?.name === 'username'")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server_url}{desk}")
    wait_for_next_focused(page)
    return page, problems


def wait_for_next_focused(page):
    # Autofocus lands when the page first renders, which may be just after "load".
    page.wait_for_function("document.activeElement?.closest('.desk-next') != null")


def test_editor_records_with_the_keyboard_corrects_and_the_audit_log_shows_both(
    browser, live_server_url, django_user_model, show
):
    make_editor(django_user_model, "editor")
    page, problems = open_desk(browser, live_server_url, "editor", show)
    culkin = nomination(show, "Best Supporting Actor", "Kieran Culkin")
    borisov = nomination(show, "Best Supporting Actor", "Yura Borisov")

    # The next category's first nominee has the focus: choose the second one, confirm.
    expect(page.locator(".desk-next h2")).to_contain_text("Best Supporting Actor")
    assert page.evaluate("document.activeElement.value") == str(culkin.pk)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")

    expect(page.locator(".messagelist")).to_have_text(
        "Best Supporting Actor: Yura Borisov (Anora) recorded as winner."
    )
    category = Category.objects.get(pk=culkin.category_id)
    assert [n.pk for n in category.nominations.filter(won=True)] == [borisov.pk]
    # Straight on to the next category, still from the keyboard.
    expect(page.locator(".desk-next h2")).to_contain_text("Best Animated Feature")
    wait_for_next_focused(page)

    row = page.locator(f"#category-{category.pk}")
    row.locator("summary", has_text="Correct or withdraw").click()
    fix = row.locator("form", has_text="is in fact")
    fix.get_by_label("Kieran Culkin (A Real Pain)").check()
    fix.get_by_label("Reason").fill("Misread the card")
    fix.get_by_role("button", name="Correct").click()
    expect(page.locator(".messagelist")).to_have_text(
        "Best Supporting Actor corrected: now Kieran Culkin (A Real Pain)."
    )
    expect(row.locator(".desk-winners")).to_have_text("Kieran Culkin (A Real Pain)")
    expect(row.locator(".desk-meta")).to_contain_text("corrected")

    page.goto(f"{live_server_url}/admin/ceremony/auditentry/")
    rows = page.locator("#result_list tbody tr")
    expect(rows.filter(has_text="Corrected")).to_contain_text("Misread the card")
    expect(rows.filter(has_text="Corrected")).to_contain_text("Yura Borisov (Anora)")
    expect(rows.filter(has_text="Recorded").filter(has_text="editor")).to_contain_text(
        "Yura Borisov (Anora)"
    )
    assert list(
        AuditEntry.objects.filter(category=category).order_by("pk").values_list("action", flat=True)
    ) == ["record", "correct"]
    assert problems == []
    page.context.close()


def test_another_editors_result_reaches_the_desk_without_a_reload(
    browser, live_server_url, django_user_model, show
):
    make_editor(django_user_model, "first")
    make_editor(django_user_model, "second")
    watcher, problems = open_desk(browser, live_server_url, "second", show)
    expect(watcher.locator("[data-connection]")).to_have_text("live updates: on")
    watcher.evaluate("window.notReloaded = true")
    supporting = show.categories.get(name="Best Supporting Actor")
    animated = show.categories.get(name="Best Animated Feature")
    actor, _ = open_desk(browser, live_server_url, "first", show)

    actor.keyboard.press("Space")  # choose the focused first nominee
    actor.keyboard.press("Enter")
    expect(actor.locator(".messagelist")).to_contain_text("recorded as winner")

    # The watcher's untouched rows follow: the result is shown, the next category moves on.
    row = watcher.locator(f"#category-{supporting.pk}")
    expect(row.locator(".desk-winners")).to_have_text("Kieran Culkin (A Real Pain)")
    expect(row).to_have_attribute("data-revision", "1")
    expect(watcher.locator(f"#category-{animated.pk}")).to_have_class(re.compile("desk-next"))

    # A row the watcher is in the middle of is not swapped under them, but marked as changed.
    wild_robot = watcher.locator(f"#category-{animated.pk}").get_by_role(
        "radio", name="The Wild Robot"
    )
    wild_robot.check()
    wait_for_next_focused(actor)
    actor.keyboard.press("Space")
    actor.keyboard.press("Enter")
    expect(actor.locator(".messagelist")).to_contain_text("Flow recorded as winner")
    notice = watcher.locator(f"#category-{animated.pk} .desk-changed-notice")
    expect(notice).to_contain_text("recorded now: Flow.")
    assert wild_robot.is_checked()
    expect(watcher.locator(f"#category-{animated.pk}")).to_have_attribute("data-revision", "0")
    notice.get_by_role("button", name="Show the update").click()
    expect(watcher.locator(f"#category-{animated.pk} .desk-winners")).to_have_text("Flow")

    assert watcher.evaluate("window.notReloaded") is True
    assert problems == []
    watcher.context.close()
    actor.context.close()


def test_without_the_socket_the_desk_still_follows_by_polling(
    browser, live_server_url, django_user_model, show
):
    make_editor(django_user_model, "first")
    make_editor(django_user_model, "second")
    watcher, problems = open_desk(browser, live_server_url, "second", show, socket_blocked=True)
    expect(watcher.locator("[data-connection]")).to_have_text("live updates: reconnecting")
    watcher.evaluate("window.notReloaded = true")
    supporting = show.categories.get(name="Best Supporting Actor")
    actor, _ = open_desk(browser, live_server_url, "first", show)

    actor.keyboard.press("Space")
    actor.keyboard.press("Enter")
    expect(actor.locator(".messagelist")).to_contain_text("recorded as winner")

    # The API is polled every 5 seconds while the socket is down.
    expect(watcher.locator(f"#category-{supporting.pk} .desk-winners")).to_have_text(
        "Kieran Culkin (A Real Pain)", timeout=12000
    )
    assert watcher.evaluate("window.notReloaded") is True
    # The refused socket is the test's doing; anything else would be a problem.
    assert [p for p in problems if "WebSocket" not in p] == []
    watcher.context.close()
    actor.context.close()
