"""The browser the browser tests drive (Debian's Chromium, headless), and the way they make their
writes beside Playwright."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def off_loop(fn, /, *args, **kwargs):
    """Call `fn` in a thread of its own and return its result.

    Playwright's sync API runs an event loop in the test's thread, and a service's publish
    (async_to_sync) refuses to run inside one; so browser tests make their writes from here.
    """

    def call():
        try:
            return fn(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def open_page(browser, url, **context):
    """A page of a new browser context (`context`: its options) at `url`, and the list its
    console errors and uncaught exceptions are collected in."""
    page = browser.new_context(**context).new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    return page, problems
