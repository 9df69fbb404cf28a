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
