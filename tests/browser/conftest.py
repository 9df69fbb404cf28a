"""Browser tests: Debian's Chromium, driven by Playwright, against a real Daphne process.

`live_server_url` is Daphne serving the app, as production runs it, on the test database; use it
with `@pytest.mark.django_db(transaction=True)` so the data a test creates is committed and visible
to the server. Writes a test makes in its own process (services, manage.py commands) reach the
server's readers only through Redis: without REDIS_URL such tests must write through the server
(the admin over HTTP) or be marked `redis`. `run_manage` runs a manage.py command as another
process on the same database and channel layer.
"""

import os
import subprocess
import sys

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.environment import PROJECT
from tests.support.servers import DaphneServer, server_env


@pytest.fixture
def daphne_server(django_db_setup, django_db_blocker):
    """A Daphne process of the test's own. Its page cache (ceremony/pagecache.py) keeps pages
    by URL until the ceremony's version moves on; the flush after a test gives the next test's
    ceremony the same URL under another id and lower versions, which no write path does (and a
    ceremony with an audit log cannot be deleted), so a shared process would serve the last
    test's page."""
    with django_db_blocker.unblock():
        server = DaphneServer()
        server.start()
    yield server
    server.stop()


@pytest.fixture
def live_server_url(daphne_server) -> str:
    if daphne_server.process.poll() is not None:
        pytest.fail(f"Daphne has died:\n{daphne_server.output()}")
    return daphne_server.url


@pytest.fixture
def run_manage():
    """Run a manage.py command as a separate process on the test database and channel layer."""

    def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT,
            env=server_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


@pytest.fixture(scope="package", autouse=True)
def _sync_database_calls_beside_playwright():
    # Playwright's sync API keeps an event loop in the test's thread, which makes Django refuse
    # the test's own database calls; none run concurrently with it (Playwright's advice). Only
    # for browser tests, so the async-safety check still guards every other test.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="package")
def browser(django_db_setup):
    # Package-scoped, so Playwright's event loop is gone before the tests outside tests/browser
    # run (async tests need the thread's loop to themselves); and it depends on the database
    # so it is torn down before the test database is dropped.
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
