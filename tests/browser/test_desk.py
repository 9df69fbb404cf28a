"""The live desk in Chromium: an editor at the keyboard, and a second editor watching."""

import re

import pytest
from playwright.sync_api import expect

from ceremony.models import AuditEntry, Category
from tests.support import axe
from tests.support.browser import off_loop
from tests.support.builders import editors_group, make_ceremony, nomination, record

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


def open_desk(
    browser,
    live_server_url,
    username: str,
    ceremony,
    *,
    socket_blocked=False,
    viewport=None,
    bypass_csp=False,
):
    """Log in from the keyboard alone and land on the desk (`bypass_csp` to run axe-core)."""
    options = {"viewport": viewport} if viewport else {}
    context = browser.new_context(bypass_csp=bypass_csp, **options)
    page = context.new_page()
    if socket_blocked:
        # As behind a proxy that refuses websockets: every attempt is closed at once.
        page.route_web_socket(re.compile(r"/ws/"), lambda ws: ws.close())
    problems = []

    def console(message):
        if message.type == "error":
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
    # Announced, it is folded to one line: open it, then the correction.
    expect(row.locator("summary.desk-line")).to_contain_text("Yura Borisov (Anora)")
    row.locator("summary.desk-line").click()
    row.locator("summary", has_text="Correct or withdraw").click()
    fix = row.locator("form", has_text="is in fact")
    fix.get_by_label("Kieran Culkin (A Real Pain)").check()
    fix.get_by_label("Reason").fill("Misread the card")
    fix.get_by_role("button", name="Correct").click()
    expect(page.locator(".messagelist")).to_have_text(
        "Best Supporting Actor corrected: now Kieran Culkin (A Real Pain)."
    )
    expect(row.locator(".desk-winners")).to_have_text("Kieran Culkin (A Real Pain)")
    expect(row.locator(".desk-result .desk-meta")).to_contain_text("corrected")

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


# --- the night, for editors ---------------------------------------------------------------------

LONG_SHOW = {
    f"Best Category {i:02d}": [f"Film {i} A", f"Film {i} B", f"Film {i} C"] for i in range(1, 15)
}


def in_view(page, selector: str) -> dict:
    """Where an element is against the viewport and the desk's sticky bar."""
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            const bar = document.querySelector('.desk-bar').getBoundingClientRect();
            return {top: box.top, bottom: box.bottom, barBottom: bar.bottom,
                    height: window.innerHeight, scrolled: window.scrollY};
        }""",
        selector,
    )


def assert_message_in_view(page):
    where = in_view(page, ".desk-messages")
    assert where["top"] >= 0, where
    assert where["bottom"] <= where["height"], where


def assert_visible_below_bar(page, selector: str):
    where = in_view(page, selector)
    assert where["top"] >= where["barBottom"] - 1, where
    assert where["bottom"] <= where["height"], where


def test_after_a_move_or_a_refused_form_the_answer_and_the_category_are_in_view(
    browser, live_server_url, django_user_model, db
):
    show = make_ceremony(LONG_SHOW)
    make_editor(django_user_model, "editor")
    page, problems = open_desk(
        browser, live_server_url, "editor", show, viewport={"width": 1366, "height": 768}
    )
    last = show.categories.in_order().last()

    page.locator(f"#category-{last.pk}").get_by_role(
        "button", name="Move Best Category 14 up"
    ).click()

    expect(page.locator(".desk-messages")).to_have_text("Best Category 14 is now number 13.")
    page.wait_for_function("window.scrollY > 500")
    assert_message_in_view(page)
    assert_visible_below_bar(page, f"#category-{last.pk} h2")

    # A refused form far down the page: a tie of one.
    row = page.locator(f"#category-{last.pk}")
    row.locator("summary", has_text="Record a tie").click()
    row.get_by_role("checkbox", name="Film 14 A").check()
    row.get_by_role("button", name="Record as tie").click()

    expect(page.locator(".desk-messages")).to_have_text(
        "A tie needs at least two winners; 1 chosen."
    )
    assert_message_in_view(page)
    assert_visible_below_bar(page, f"#category-{last.pk} h2")
    assert problems == []
    page.context.close()


def test_mark_final_asks_first_saying_what_it_does_and_how_many_are_open(
    browser, live_server_url, django_user_model, show
):
    make_editor(django_user_model, "editor")
    page, problems = open_desk(browser, live_server_url, "editor", show)
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="Mark final (locks results)").click()
    page.wait_for_timeout(300)
    assert asked == [
        "Mark final locks the results: nobody can record, correct or withdraw a result until an "
        "editor reopens it with a reason. 2 of 2 categories are still not announced."
    ]
    show.refresh_from_db()
    assert show.status == "live"

    page.once("dialog", lambda d: answer(d, True))
    page.get_by_role("button", name="Mark final (locks results)").click()
    expect(page.locator(".desk-messages")).to_have_text("1st Test Awards is now final.")
    show.refresh_from_db()
    assert show.status == "final"
    assert problems == []
    page.context.close()


def test_announced_categories_fold_to_one_line_and_open_on_demand(
    browser, live_server_url, django_user_model, show
):
    make_editor(django_user_model, "editor")
    page, problems = open_desk(browser, live_server_url, "editor", show)
    supporting = show.categories.get(name="Best Supporting Actor")
    animated = show.categories.get(name="Best Animated Feature")

    page.keyboard.press("Space")  # choose the focused first nominee
    page.keyboard.press("Enter")
    expect(page.locator(".desk-messages")).to_contain_text("recorded as winner")

    row = page.locator(f"#category-{supporting.pk}")
    line = row.locator("summary.desk-line")
    expect(line).to_contain_text("Kieran Culkin (A Real Pain)")
    expect(line).to_contain_text("editor")
    assert row.bounding_box()["height"] < 60
    expect(row.get_by_role("button", name="Save note")).to_be_hidden()
    expect(page.locator(f"#category-{animated.pk}")).to_have_class(re.compile("desk-next"))

    line.click()
    expect(row.get_by_role("button", name="Save note")).to_be_visible()
    assert row.bounding_box()["height"] > 100
    assert problems == []
    page.context.close()


def test_a_note_typed_or_suggested_reaches_a_readers_page_live(
    browser, live_server_url, django_user_model, show
):
    make_editor(django_user_model, "editor")
    reader = browser.new_context().new_page()
    reader.goto(f"{live_server_url}{show.get_absolute_url()}")
    expect(reader.locator("#connection")).to_have_attribute("data-state", "live")
    page, problems = open_desk(browser, live_server_url, "editor", show)
    supporting = show.categories.get(name="Best Supporting Actor")
    animated = show.categories.get(name="Best Animated Feature")

    # Typed: choose, type the note, record.
    row = page.locator(f"#category-{supporting.pk}")
    row.get_by_role("radio", name="Yura Borisov (Anora)").check()
    row.get_by_label("Note with the result (optional)").fill("Borisov's first nomination")
    row.get_by_role("button", name="Record winner").click()
    expect(page.locator(".desk-messages")).to_contain_text("Note: \u201cBorisov's first nomination")
    expect(reader.locator(f"#cat-{supporting.slug} .result-note")).to_have_text(
        "Borisov's first nomination"
    )

    # Suggested: choosing a nominee shows the note from the snapshot; the editor takes it.
    row = page.locator(f"#category-{animated.pk}")
    row.get_by_role("radio", name="Flow").check()
    suggestion = row.locator("[data-suggestion]")
    expect(suggestion).to_contain_text("Flow's first win tonight.")
    suggestion.get_by_role("button", name="Use this note").click()
    expect(row.get_by_label("Note with the result (optional)")).to_have_value(
        "Flow's first win tonight."
    )
    row.get_by_role("button", name="Record winner").click()
    expect(reader.locator(f"#cat-{animated.slug} .result-note")).to_have_text(
        "Flow's first win tonight."
    )
    expect(reader.locator("#latest li").first).to_contain_text("Flow's first win tonight.")

    # Correctable afterwards, and in the audit log.
    row = page.locator(f"#category-{supporting.pk}")
    row.locator("summary.desk-line").click()
    row.get_by_label("Note with the result").fill("Anora's first win tonight.")
    row.get_by_role("button", name="Save note").click()
    expect(reader.locator(f"#cat-{supporting.slug} .result-note")).to_have_text(
        "Anora's first win tonight."
    )
    assert AuditEntry.objects.filter(category=supporting, action="note").count() == 1
    assert problems == []
    page.context.close()
    reader.context.close()


def test_an_audit_entry_is_readable_at_1366_pixels(
    browser, live_server_url, django_user_model, show
):
    make_editor(django_user_model, "editor")
    page, problems = open_desk(
        browser, live_server_url, "editor", show, viewport={"width": 1366, "height": 768}
    )
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page.locator(".desk-messages")).to_contain_text("recorded as winner")
    supporting = show.categories.get(name="Best Supporting Actor")
    row = page.locator(f"#category-{supporting.pk}")
    row.locator("summary.desk-line").click()
    row.locator("summary", has_text="Correct or withdraw").click()
    fix = row.locator("form", has_text="is in fact")
    fix.get_by_label("Guy Pearce (Conclave)").check()
    reason = "The presenter read the wrong line of the card; the envelope said Guy Pearce"
    fix.get_by_label("Reason").fill(reason)
    fix.get_by_role("button", name="Correct").click()
    expect(page.locator(".desk-messages")).to_contain_text("corrected")

    page.goto(f"{live_server_url}/admin/ceremony/auditentry/")
    entry = page.locator("#result_list tbody tr").filter(has_text="Corrected")
    expect(entry).to_contain_text("Kieran Culkin (A Real Pain) \u2192 Guy Pearce (Conclave)")
    cell = entry.locator("td.field-reason")
    expect(cell).to_have_text(reason)
    box = cell.bounding_box()
    assert box["x"] + box["width"] <= 1366

    entry.locator("th a").click()
    expect(page.locator("#content")).to_contain_text("Guy Pearce (Conclave)")
    assert page.locator("#content").inner_text().count("Guy Pearce (Conclave)") == 1
    assert '"winners"' not in page.content()
    assert problems == []
    page.context.close()


# --- an editor is never misled (issue 24): at a laptop's and a phone's size --------------------

VIEWPORTS = [{"width": 1366, "height": 900}, {"width": 390, "height": 844}]


def focused(page) -> dict:
    """The element with the keyboard focus, and the category row it is in."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const row = el.closest('.desk-category');
            return {tag: el.tagName, value: el.value || '', row: row ? row.id : null};
        }"""
    )


def wait_for_focus_in(page, selector: str):
    # Once loaded: Chrome's own move to the URL's #fragment blurs the page before "load".
    page.wait_for_function(
        f"document.readyState === 'complete' && document.activeElement?.closest({selector!r})"
    )


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["1366", "390"])
def test_a_refused_tie_comes_back_as_filled_with_the_focus_on_it_and_records_no_sole_winner(
    browser, live_server_url, django_user_model, show, viewport
):
    make_editor(django_user_model, "editor")
    page, problems = open_desk(
        browser, live_server_url, "editor", show, viewport=viewport, bypass_csp=True
    )
    supporting = show.categories.get(name="Best Supporting Actor")
    culkin = nomination(show, "Best Supporting Actor", "Kieran Culkin")
    row = page.locator(f"#category-{supporting.pk}")
    row.locator("summary", has_text="Record a tie").click()
    tie = row.locator("details.desk-tie form")
    tie.get_by_role("checkbox", name="Kieran Culkin (A Real Pain)").check()
    tie.get_by_role("button", name="Record as tie").click()

    expect(page.locator(".desk-messages")).to_have_text(
        "A tie needs at least two winners; 1 chosen."
    )
    # Back as it was filled, in the section it was filled in; nothing chosen as sole winner.
    expect(row.locator("details.desk-tie")).to_have_attribute("open", "")
    expect(tie.get_by_role("checkbox", name="Kieran Culkin (A Real Pain)")).to_be_checked()
    expect(row.locator(".desk-record input:checked")).to_have_count(0)
    wait_for_focus_in(page, f"#category-{supporting.pk} details.desk-tie")
    assert focused(page)["value"] == str(culkin.pk)
    assert axe.violations(page, axe.axe_source()) == []

    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".desk-messages")).to_have_text(
        "A tie needs at least two winners; 1 chosen."
    )
    assert not supporting.nominations.filter(won=True).exists()
    assert problems == []
    page.context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["1366", "390"])
def test_after_a_correction_a_note_or_a_withdrawal_the_focus_is_on_the_category(
    browser, live_server_url, django_user_model, show, viewport
):
    make_editor(django_user_model, "editor")
    page, problems = open_desk(
        browser, live_server_url, "editor", show, viewport=viewport, bypass_csp=True
    )
    supporting = show.categories.get(name="Best Supporting Actor")
    page.keyboard.press("ArrowDown")  # Yura Borisov
    page.keyboard.press("Enter")
    expect(page.locator(".desk-messages")).to_contain_text("recorded as winner")
    row = page.locator(f"#category-{supporting.pk}")
    messages = page.locator(".desk-messages")

    # The correction list says, in words, which nominee is recorded now.
    row.locator("summary.desk-line").click()
    row.locator("summary", has_text="Correct or withdraw").click()
    fix = row.locator("form", has_text="is in fact")
    expect(fix.locator("label", has_text="Yura Borisov (Anora)")).to_contain_text("recorded now")
    expect(fix.locator("label", has_text="recorded now")).to_have_count(1)
    assert axe.violations(page, axe.axe_source()) == []
    fix.get_by_label("Kieran Culkin (A Real Pain)").check()
    fix.get_by_label("Reason").fill("Misread the card")
    fix.get_by_role("button", name="Correct").click()
    expect(messages).to_have_text(
        "Best Supporting Actor corrected: now Kieran Culkin (A Real Pain)."
    )
    wait_for_focus_in(page, f"#category-{supporting.pk}")
    assert focused(page)["tag"] == "SUMMARY"

    row.locator("summary.desk-line").click()
    row.get_by_label("Note with the result").fill("A first nomination")
    row.get_by_role("button", name="Save note").click()
    expect(messages).to_have_text(
        "Best Supporting Actor: note saved: \u201cA first nomination\u201d"
    )
    wait_for_focus_in(page, f"#category-{supporting.pk}")
    assert focused(page)["tag"] == "SUMMARY"

    row.locator("summary.desk-line").click()
    row.locator("summary", has_text="Correct or withdraw").click()
    withdraw = row.locator("form", has_text="take the result back")
    withdraw.get_by_label("Reason").fill("Not announced yet")
    withdraw.get_by_role("button", name="Withdraw").click()
    expect(messages).to_contain_text("result withdrawn")
    wait_for_focus_in(page, f"#category-{supporting.pk}")
    assert focused(page)["tag"] == "H2"
    # The keyboard goes on from there, inside the category, not through the admin header.
    page.keyboard.press("Tab")
    assert focused(page)["row"] == f"category-{supporting.pk}"
    assert problems == []
    page.context.close()


@pytest.mark.redis
def test_a_refused_form_is_kept_when_another_editors_result_arrives(
    browser, live_server_url, django_user_model, show
):
    make_editor(django_user_model, "editor")
    page, problems = open_desk(browser, live_server_url, "editor", show)
    supporting = show.categories.get(name="Best Supporting Actor")
    row = page.locator(f"#category-{supporting.pk}")
    row.locator("summary", has_text="Record a tie").click()
    culkin = row.locator("details.desk-tie").get_by_role(
        "checkbox", name="Kieran Culkin (A Real Pain)"
    )
    culkin.check()
    row.get_by_role("button", name="Record as tie").click()
    expect(page.locator(".desk-messages")).to_have_text(
        "A tie needs at least two winners; 1 chosen."
    )
    expect(page.locator("[data-connection]")).to_have_text("live updates: on")

    off_loop(record, show, "Best Supporting Actor", "Guy Pearce")

    expect(row.locator(".desk-changed-notice")).to_contain_text(
        "recorded now: Guy Pearce (Conclave)."
    )
    expect(culkin).to_be_checked()
    assert problems == []
    page.context.close()
