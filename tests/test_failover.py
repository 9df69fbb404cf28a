"""Drill 8 of docs/reliability.md: Redis fails over under a show. A primary, its replica and
three sentinels of the test's own; two Daphne processes and this test's writes reach Redis only
through the sentinels (REDIS_SENTINELS). The primary is killed mid-show: the sentinels promote
the replica, the fan-out subscribes again on it, every reader converges to the database's
version within 10 s of the promotion, and the page never stops being served."""

import json
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from ceremony.models import AuditEntry, Ceremony
from tests.support.builders import make_ceremony, record
from tests.support.environment import unavailable
from tests.support.readers import Reader, describe
from tests.support.sentinels import MASTER, REDIS_SERVER, SentinelSet
from tests.support.servers import DaphneServer, server_env, socket_url, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# Ports of this drill's own Redis processes (the machine's Redis is on 6379).
PORTS = (6391, 6392)
SENTINEL_PORTS = (26391, 26392, 26393)
CONVERGED_WITHIN = 10


class PageWatcher(threading.Thread):
    """Loads the ceremony page every 0.1 s and keeps the status of each load."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url = url
        self.statuses: list[int] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                with urllib.request.urlopen(self.url, timeout=10) as response:
                    response.read()
                    self.statuses.append(response.status)
            except OSError as exc:
                self.statuses.append(getattr(exc, "code", 0))
            time.sleep(0.1)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)


@pytest.fixture
def sentinels():
    if not Path(REDIS_SERVER).exists():
        unavailable("needs redis-server (apt-get install redis-server)")
    with (
        tempfile.TemporaryDirectory(prefix="sentinels-") as tmp,
        SentinelSet(Path(tmp), PORTS, SENTINEL_PORTS) as redis_set,
    ):
        yield redis_set


@pytest.fixture
def through_sentinels(sentinels, settings):
    """The environment of processes that reach Redis through the sentinels, and this test's
    own channel layer the same way, under a prefix of the test's own."""
    prefix = f"failover-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in server_env().items() if k != "REDIS_URL"}
    env |= {
        "REDIS_SENTINELS": sentinels.addresses,
        "REDIS_SENTINEL_MASTER": MASTER,
        "REDIS_PREFIX": prefix,
    }
    sentinel_list = [("127.0.0.1", s.port) for s in sentinels.sentinels]
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "prefix": prefix,
                "hosts": [
                    {
                        "master_name": MASTER,
                        "sentinels": sentinel_list,
                        "sentinel_kwargs": settings.REDIS_SENTINEL_TIMEOUTS,
                        "socket_connect_timeout": 2,
                    }
                ],
            },
        }
    }
    return env, prefix


@pytest.fixture
def two_processes(through_sentinels, tmp_path):
    env, _ = through_sentinels
    servers = [DaphneServer(env, log_path=tmp_path / f"daphne-{n}.log") for n in (1, 2)]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


def database_version(ceremony: Ceremony) -> int:
    return Ceremony.objects.values_list("version", flat=True).get(pk=ceremony.pk)


def health(server: DaphneServer) -> tuple[int, str]:
    """/healthz's status and its word on Redis."""
    with urllib.request.urlopen(server.url + "/healthz", timeout=10) as response:
        return response.status, json.load(response)["redis"]


def write(ceremony: Ceremony, category: str) -> int:
    """Record the category's first nominee through the services; the version it made."""
    record(ceremony, category, f"Film {category.split()[-1]}a")
    return database_version(ceremony)


def test_readers_converge_within_10_s_of_a_sentinel_promotion_and_the_page_keeps_serving(
    sentinels, through_sentinels, two_processes
):
    _, prefix = through_sentinels
    ceremony = make_ceremony({f"Best Thing {i}": [f"Film {i}a", f"Film {i}b"] for i in range(8)})
    categories = [f"Best Thing {i}" for i in range(8)]
    readers = [
        Reader(socket_url(server.url, ceremony.slug), server.url)
        for server in two_processes
        for _ in range(3)
    ]
    watcher = PageWatcher(f"{two_processes[0].url}/ceremonies/{ceremony.slug}/")

    def explain() -> str:
        logs = "".join(server.output()[-1500:] for server in two_processes)
        return f"{describe(readers)}\nsentinel:\n{sentinels.sentinels[0].output()}\n{logs}"

    def everyone_at(version: int) -> bool:
        return all(r.latest() >= version for r in readers)

    for reader in readers:
        reader.start()
    written = []
    try:
        wait_for(lambda: all(r.versions for r in readers), "every reader's snapshot", 30, explain)
        # From a first load of the page on (which renders it), every load must be answered.
        urllib.request.urlopen(watcher.url, timeout=30).close()
        watcher.start()
        for category in categories[:2]:
            written.append(write(ceremony, category))
            wait_for(lambda: everyone_at(database_version(ceremony)), "a push", explain=explain)

        assert health(two_processes[0]) == (200, "ok")
        sentinels.primary.kill()
        killed = time.monotonic()
        # Writes while Redis has no primary: they commit; their publishes fail (and are logged).
        for category in categories[2:4]:
            written.append(write(ceremony, category))
        wait_for(sentinels.promoted, "the sentinels to promote the replica", 30, explain)
        promoted = time.monotonic()
        version = database_version(ceremony)
        wait_for(
            lambda: everyone_at(version),
            "every reader at the database's version",
            CONVERGED_WITHIN,
            explain,
        )
        converged = time.monotonic()
        # The health check asks the sentinels for the primary too: the new one answers.
        for server in two_processes:
            assert health(server) == (200, "ok"), explain()

        # Both processes are subscribed on the new primary: later writes arrive by pub/sub.
        group = f"{prefix}__group__ceremony.{ceremony.pk}"
        with sentinels.replica.client() as client:
            wait_for(
                lambda: dict(client.pubsub_numsub(group)).get(group.encode()) == 2,
                "both processes subscribed on the new primary",
                10,
                explain,
            )
        delays = []
        for category in categories[4:6]:
            committed = time.monotonic()
            after = write(ceremony, category)
            written.append(after)
            wait_for(lambda v=after: everyone_at(v), "a push after the failover", explain=explain)
            delays.append(time.monotonic() - committed)
    finally:
        watcher.stop()
        for reader in readers:
            reader.stop()

    print(
        f"failover: promoted {promoted - killed:.1f} s after the kill; every reader at version "
        f"{version} {converged - promoted:.2f} s after the promotion "
        f"({converged - killed:.2f} s after the kill); writes after it reached "
        f"every reader in {max(delays):.2f} s at most; page loads {len(watcher.statuses)}, "
        f"all 200: {set(watcher.statuses) == {200}}"
    )
    assert set(watcher.statuses) == {200}, watcher.statuses
    # Nothing written was lost: every write made the next version, and was audited.
    final = database_version(ceremony)
    assert written == list(range(written[0], written[0] + 6))
    assert final == written[-1]
    audited = AuditEntry.objects.filter(ceremony=ceremony, version__in=written)
    assert audited.count() == len(written)
    for server in two_processes:
        # The fan-out's reconnect callback ran: it resynced its readers from the database.
        assert "channel layer reconnected to Redis: resyncing readers" in server.log_text()
    for reader in readers:
        assert reader.latest() == final
        assert reader.versions == sorted(reader.versions)
