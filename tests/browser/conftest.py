"""Browser tests: Debian's Chromium, driven by Playwright, against a real Daphne process.

`live_server_url` is Daphne serving the app, as production runs it, on the test database; use it
with `@pytest.mark.django_db(transaction=True)` so the data a test creates is committed and visible
to the server. Writes a test makes in its own process (services, manage.py commands) reach the
server's readers only through Redis: without REDIS_URL such tests must write through the server
(the admin over HTTP) or be marked `redis`. `run_manage` runs a manage.py command as another
process on the same database and channel layer.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from tests.conftest import CHROMIUM

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SERVER_START_TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The URL of the test database this pytest run created."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def server_env() -> dict[str, str]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DATABASE_URL": database_url(),
        "DEBUG": "false",
        "SECURE_SSL": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": settings.SECRET_KEY,
        # The server must not keep connections open past a test's flush of the tables.
        "DATABASE_CONN_MAX_AGE": "0",
    }
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    return env


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


class DaphneServer:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Kept after the test run, so a failure can point at the server's own log.
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="daphne-", suffix=".log", delete=False
        )
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                # As in production: readers send nothing, so big incoming frames are refused.
                "--websocket-max-frame-size",
                "4096",
                "tracker.asgi:application",
            ],
            cwd=PROJECT,
            env=server_env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Daphne exited at start:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/ceremonies/", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(
            f"Daphne did not answer within {SERVER_START_TIMEOUT}s:\n{self.output()}"
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-5000:]


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
