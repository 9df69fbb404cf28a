"""Servers as processes of their own: started and waited for until they answer, stopped
(SIGTERM, then SIGKILL) or killed, their output kept in a log file. With them: a free port, the
environment of a server on this test run's database, and waiting for a condition to hold."""

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Self

from django.conf import settings
from django.db import connection

from tests.support.environment import PROJECT

# What docs/protocol.md tells operators to run Daphne with: a reader sends nothing, so an
# incoming frame past a few bytes is refused by Daphne itself, before the application sees it.
# (Not --websocket-max-message-size: Daphne applies that to what it sends too, and a snapshot
# is tens of kilobytes.)
MAX_FRAME = 4096


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def poll(condition, timeout: float, interval: float = 0.05):
    """The first true result of `condition()` within `timeout` seconds, else its last one."""
    deadline = time.monotonic() + timeout
    while not (result := condition()) and time.monotonic() < deadline:
        time.sleep(interval)
    return result


async def poll_async(condition, timeout: float, interval: float = 0.05):
    """`poll` inside an event loop, which goes on running while this waits."""
    deadline = time.monotonic() + timeout
    while not (result := condition()) and time.monotonic() < deadline:
        await asyncio.sleep(interval)
    return result


def wait_for(condition, what: str, timeout: float = 15, explain=lambda: ""):
    """The first true result of `condition()`; none within `timeout` seconds fails the test,
    naming `what` it waited for, with what `explain()` tells."""
    if result := poll(condition, timeout):
        return result
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}\n{explain()}")


def database_url() -> str:
    """The URL of the test database this pytest run created."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def server_env() -> dict[str, str]:
    """The environment of a process on this pytest run's test database and channel layer."""
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


def socket_url(http_url: str, slug: str) -> str:
    """The websocket URL of a ceremony on the server at `http_url`."""
    return http_url.replace("http://", "ws://") + f"/ws/ceremonies/{slug}/"


def daphne_arguments(port: int) -> list[str]:
    """Daphne's arguments as docs/protocol.md (*Running it*) gives them, on loopback at `port`."""
    return [
        *("--endpoint", f"tcp:port={port}:interface=127.0.0.1:backlog=4096"),
        *("--websocket-max-frame-size", str(MAX_FRAME)),
        *("--websocket_connect_timeout", "20"),
        "tracker.asgi:application",
    ]


class ServerProcess:
    """One server process, on loopback at `port` (a free one unless given), with `env` (this
    process's own unless given); its output goes to `log_path` (a temporary file, kept after the
    run so a failure can point at it, unless given), appended to at each start. A subclass says
    what to run (`command`) and, unless a 200 from `ready_path` will do, when it is up
    (`answers`)."""

    name = "server"
    scheme = "http"
    ready_path = "/api/ceremonies/"
    start_timeout = 30
    stop_timeout = 10

    def __init__(
        self, port: int | None = None, env: dict | None = None, log_path: Path | None = None
    ):
        self.port = port or free_port()
        self.url = f"{self.scheme}://127.0.0.1:{self.port}"
        self.env = env
        if log_path is None:
            handle, name = tempfile.mkstemp(prefix=f"{self.name}-", suffix=".log")
            os.close(handle)
            log_path = Path(name)
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + self.ready_path, timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    def start(self) -> Self:
        """Start the process and return once it answers; raise if it exits or stays silent."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(), cwd=PROJECT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        if not poll(self.started, self.start_timeout, interval=0.1):
            self.stop()
            raise RuntimeError(
                f"{self.name} did not answer within {self.start_timeout}s:\n{self.output()}"
            )
        return self

    def started(self) -> bool:
        if not self.running():
            raise RuntimeError(f"{self.name} exited at start:\n{self.output()}")
        return self.answers()

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        """SIGTERM, and SIGKILL if the process has not exited within `stop_timeout` seconds."""
        if self.running():
            self.process.terminate()
            try:
                self.process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self) -> None:
        """SIGKILL, as a crash would end it."""
        if self.running():
            self.process.kill()
            self.process.wait()

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def output(self) -> str:
        """The end of the log, for an error message."""
        return self.log_text()[-5000:]


class DaphneServer(ServerProcess):
    """Daphne as production runs it, by default on this test run's database and channel layer
    (`server_env`)."""

    name = "daphne"

    def __init__(self, env: dict | None = None, **kwargs):
        super().__init__(env=server_env() if env is None else env, **kwargs)

    def command(self) -> list[str]:
        return [sys.executable, "-m", "daphne", *daphne_arguments(self.port)]
