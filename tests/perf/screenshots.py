"""The README's screenshots, made again from the current code: docs/desk.png (the live desk,
1100x900), docs/reader-live-desktop.png and -phone.png (the 97th mid-show, 18 of 23 with an upset
and a correction), docs/reader-archive-desktop.png and -phone.png (the 97th final).

Imports the 82nd Golden Globes and the 97th Academy Awards' nominees (the demo season), starts one
Daphne process (Redis layer, production settings) and records the 97th's results through the
services in this process, taking each picture in Chromium along the way (1366x900, 390x844).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_shots \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python tests/perf/screenshots.py

The database named is flushed by this script: never point it at real data.
"""

import os
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "true")

DOCS = PROJECT / "docs"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1100, "height": 900}
EDITOR, PASSWORD = "madison", "screenshots-only-password"
SERVER_ENV = {
    "DEBUG": "false",
    "SECURE_SSL": "false",
    "SECRET_KEY": os.environ.get("SECRET_KEY", "screenshots-only-secret-key-0123456789-abcdefgh"),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
}


def prepare():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    # The Daphne process serves the hashed static files, as production: collect the current ones.
    from tests.support import stack

    stack.manage(
        "collectstatic", "--no-input", "--verbosity", "0", env={**os.environ, **SERVER_ENV}
    )
    from django.contrib.auth.models import User

    from tests.support.builders import demo_show_live

    User.objects.create_superuser(EDITOR, f"{EDITOR}@example.org", PASSWORD)
    return demo_show_live()


def results(ceremony) -> list[tuple[int, list[int]]]:
    """(category id, winner ids) of the 97th, in the order the desk presents them."""
    from tests.perf.push_latency import plan

    steps = dict(plan(ceremony))
    return [(c.pk, steps[c.pk]) for c in ceremony.categories.order_by("order") if c.pk in steps]


def record(steps, editor) -> None:
    from ceremony import services

    for category_id, ids in steps:
        services.result_record(
            category_id=category_id, nomination_ids=ids, editor=editor, tie=len(ids) > 1
        )


def correct(category_id: int, right: list[int], editor) -> None:
    """A wrong winner recorded, then put right with a reason: the category shows its correction."""
    from ceremony import services
    from ceremony.models import Nomination

    wrong = Nomination.objects.filter(category_id=category_id).exclude(pk__in=right).first()
    reason = "A wrong click on the desk."
    services.result_correct(
        category_id=category_id, nomination_ids=[wrong.pk], editor=editor, reason=reason
    )
    services.result_correct(
        category_id=category_id, nomination_ids=right, editor=editor, reason=reason
    )


def shoot(browser, url: str, path: Path, viewport: dict, ready: str, storage=None) -> None:
    context = browser.new_context(viewport=viewport, storage_state=storage)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(ready)
    time.sleep(1)
    page.screenshot(path=str(path))
    context.close()
    print(f"wrote {path.relative_to(PROJECT)}")


def main():
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL: the publish must cross processes through Redis.")
    ceremony = prepare()
    from django.contrib.auth.models import User
    from playwright.sync_api import sync_playwright

    from ceremony import services
    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, off_loop
    from tests.support.servers import DaphneServer

    editor = User.objects.get(username=EDITOR)
    steps = results(ceremony)
    server = DaphneServer(env={**os.environ, **SERVER_ENV}).start()
    page_url = f"{server.url}{ceremony.get_absolute_url()}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            login = browser.new_context(viewport=DESK)
            page = login.new_page()
            page.goto(f"{server.url}/admin/login/")
            page.fill("#id_username", EDITOR)
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_url(f"{server.url}/admin/")
            storage = login.storage_state()
            login.close()

            # Playwright runs an event loop here: the writes go from a thread (off_loop).
            off_loop(record, steps[:3], editor)
            desk = f"{server.url}/admin/ceremony/ceremony/{ceremony.pk}/desk/"
            shoot(browser, desk, DOCS / "desk.png", DESK, "form", storage)

            off_loop(record, steps[3:18], editor)
            off_loop(correct, steps[13][0], steps[13][1], editor)
            for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                path = DOCS / f"reader-live-{name}.png"
                shoot(browser, page_url, path, viewport, "#latest li")

            off_loop(record, steps[18:], editor)
            off_loop(
                services.ceremony_set_status, ceremony_id=ceremony.pk, status="final", editor=editor
            )
            for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                path = DOCS / f"reader-archive-{name}.png"
                shoot(browser, page_url, path, viewport, "main")
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
