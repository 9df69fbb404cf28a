"""The production stack for the benchmark and the drills, started from a script (no pytest):
settings from the environment as production has them, the database prepared with the demo
ceremonies, servers started as their own processes, and what /proc says about them.

The pytest side of the same thing is `tests/support/servers.py` (DaphneServer, server_env),
which needs a pytest-django test database; these scripts run against a database named by
DATABASE_URL instead, which they flush: never point it at real data.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from tests.support.environment import DEMO, PROJECT
from tests.support.servers import MAX_FRAME, ServerProcess, daphne_arguments

PYTHON = sys.executable
SERVE = PROJECT / "tests" / "perf" / "serve.py"
SLUG = "97th-academy-awards"
RESULTS = DEMO / "oscars-97-results.json"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def production_env(**extra: str) -> dict[str, str]:
    """The environment every process of the run gets: production settings, this run's database,
    Redis and prefix. DATABASE_URL and REDIS_URL must be set by the caller."""
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            sys.exit(f"Set {name} (see docs/performance.md): the run needs PostgreSQL and Redis.")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DEBUG": "false",
        # Plain HTTP on loopback: behind nginx's TLS in production, which is not measured here.
        "SECURE_SSL": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "REDIS_PREFIX": os.environ.get("REDIS_PREFIX", "bench"),
        "LOG_LEVEL": "INFO",
        # Not production's 60: under ASGI every HTTP request runs in a thread of its own, and a
        # kept connection outlives that thread, so a burst of page loads holds one PostgreSQL
        # connection per request until "too many clients" (docs/reliability.md).
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "0"),
        "PYTHONPATH": str(PROJECT),
        **extra,
    }
    os.environ.update(env)
    return env


def manage(*args: str, env: dict, timeout: float = 300) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def create_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


PREPARE = """
from ceremony import services
from ceremony.importers.json_file import ceremony_spec
from tests.support.builders import demo_data
services.ceremony_import(spec=ceremony_spec(demo_data("golden-globes-82.json"), source="bench"))
oscars = services.ceremony_import(
    spec=ceremony_spec(demo_data("oscars-97-nominees.json"), source="bench", with_results=False)
).ceremony
services.ceremony_set_status(ceremony_id=oscars.pk, status="live", editor=None)
"""


def prepare(env: dict, static: bool = True) -> None:
    """A flushed database holding the 82nd Globes (results) and the 97th Oscars (nominees, live),
    and the static files collected as production serves them."""
    create_database(env["DATABASE_URL"])
    manage("migrate", "--verbosity", "0", env=env)
    manage("flush", "--no-input", "--verbosity", "0", env=env)
    manage("shell", "--command", PREPARE, env=env)
    if static:
        manage("collectstatic", "--no-input", "--verbosity", "0", env=env)


def ceremony_version(env: dict, slug: str = SLUG) -> int:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        row = conn.execute("SELECT version FROM ceremony_ceremony WHERE slug = %s", [slug])
        return row.fetchone()[0]


class Server(ServerProcess):
    """One server process: `kind` is daphne or uvicorn, run through serve.py (which only adds a
    garbage-collection timer to the process before handing over to the server's own main)."""

    ready_path = f"/api/ceremonies/{SLUG}/"
    start_timeout = 60
    stop_timeout = 15

    def __init__(
        self,
        kind: str,
        port: int,
        env: dict,
        log_path: Path,
        gc_log: bool = True,
        log_builds: bool = False,
    ):
        super().__init__(port, env, log_path)
        self.kind = self.name = kind
        self.options = [
            *(["--gc-log"] if gc_log else []),
            *(["--log-builds"] if log_builds else []),
        ]

    def command(self) -> list[str]:
        if self.kind == "daphne-no-yield":
            self.options.append("--push-without-yielding")
        if self.kind in ("daphne", "daphne-no-yield"):
            server = ["daphne", *daphne_arguments(self.port)]
        elif self.kind == "uvicorn":
            server = [
                "uvicorn",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--lifespan",
                "off",
                "--ws-max-size",
                str(MAX_FRAME),
                "--backlog",
                "4096",
                "--no-access-log",
                # Browsers offer permessage-deflate and uvicorn accepts it by default: then every
                # push is compressed once per reader. Off, to compare the servers' fan-out alone.
                "--ws-per-message-deflate",
                "false",
                "tracker.asgi:application",
            ]
        else:
            raise ValueError(self.kind)
        return [PYTHON, str(SERVE), *self.options, *server]

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def rss_bytes(self) -> int:
        return rss_bytes(self.pid)


def cpu_seconds(pid: int) -> float:
    return sum(cpu_times(pid))


def cpu_times(pid: int) -> tuple[float, float]:
    """The process's user and system (kernel) CPU seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime and stime: fields 14 and 15 of proc(5), here counted from after the command name.
    return int(fields[11]) / CLOCK_TICKS, int(fields[12]) / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE


def raise_open_files() -> int:
    """Lift this process's open-files limit to the hard limit (children inherit it)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def redis_up(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def wrk(url: str, seconds: int, connections: int = 100, headers: tuple = ()) -> dict:
    """`wrk -t2 -c<connections> -d<seconds>s --latency` against `url` (Debian's wrk): requests,
    requests per second, p99 and non-2xx/3xx answers."""
    out = subprocess.run(
        [
            *("wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"),
            *headers,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p99": re.search(r"99%\s+([\d.]+\w+)", out).group(1),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
    }
