"""Several hosts for real (docs/deploy.md, "A second machine"): network namespaces on this
machine, each with its own address, an edge host running nginx with the shipped files in front of
two app hosts running two Daphne processes each, which reach this machine's PostgreSQL and Redis
through the bridge (tests/support/hosts.py). Readers spread over both app hosts get every
version; one app host is cut off (its processes killed, its link taken down); every reader is back
on the current version through the other within 10 s, and nothing written is lost."""

import tempfile
import time
from pathlib import Path

import pytest

from ceremony.models import AuditEntry, Ceremony
from tests.support.builders import make_ceremony, record
from tests.support.environment import unavailable
from tests.support.hosts import Forwarder, Hosts, app_env, can_make_hosts
from tests.support.nginx import NGINX, Nginx, Upstream, running
from tests.support.readers import Reader, describe
from tests.support.servers import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

APP_HOSTS = ("app1", "app2")
READERS = 8
BACK_WITHIN = 10
# live.js's rule: a connection silent for 9 s (heartbeats come every 4 s) is lost.
SILENCE = 9


@pytest.fixture
def hosts():
    if reason := can_make_hosts():
        unavailable(reason)
    if not NGINX.exists():
        unavailable("needs nginx (apt-get install nginx)")
    with Hosts(["edge", *APP_HOSTS]) as made:
        yield made


@pytest.fixture
def site(hosts):
    """nginx on the edge host, two Daphne processes on each app host; the data host's
    PostgreSQL and Redis through the bridge."""
    env, ports = app_env(hosts)
    upstreams = {
        name: [Upstream(env, host=hosts.address[name], prefix=hosts.run_in(name)) for _ in (1, 2)]
        for name in APP_HOSTS
    }
    with (
        Forwarder(hosts.gateway, ports),
        tempfile.TemporaryDirectory(prefix="edge-") as tmp,
    ):
        every = [u for name in APP_HOSTS for u in upstreams[name]]
        nginx = Nginx(every, Path(tmp), host=hosts.address["edge"], prefix=hosts.run_in("edge"))
        with running(nginx, every, kill=True):
            yield nginx, upstreams


def database_version(ceremony: Ceremony) -> int:
    return Ceremony.objects.values_list("version", flat=True).get(pk=ceremony.pk)


def write(ceremony: Ceremony, n: int) -> int:
    """Record category n's first nominee through the services; the version it made."""
    record(ceremony, f"Best Thing {n}", f"Film {n}a")
    return database_version(ceremony)


def test_readers_on_two_app_hosts_get_every_version_and_survive_losing_one(hosts, site):
    nginx, upstreams = site
    ceremony = make_ceremony({f"Best Thing {i}": [f"Film {i}a", f"Film {i}b"] for i in range(8)})
    host_of = {u.address: name for name in APP_HOSTS for u in upstreams[name]}
    readers = [
        Reader(nginx.socket_url(ceremony.slug), nginx.base, ssl=nginx.ssl, silence=SILENCE)
        for _ in range(READERS)
    ]

    def explain() -> str:
        return f"{describe(readers)}\nnginx:\n{nginx.error_log()}"

    def everyone_at(version: int) -> bool:
        return all(r.latest() >= version for r in readers)

    written = []
    for reader in readers:
        reader.start()
    try:
        wait_for(lambda: all(r.versions for r in readers), "every reader's snapshot", 30, explain)
        start = readers[0].versions[0]
        assert {host_of.get(r.upstream) for r in readers} == set(APP_HOSTS), explain()
        for n in range(3):
            written.append(write(ceremony, n))
            wait_for(lambda v=written[-1]: everyone_at(v), "a push to both hosts", 10, explain)

        # app1 is lost: its processes die and it drops off the network.
        lost = [r for r in readers if host_of.get(r.upstream) == "app1"]
        for upstream in upstreams["app1"]:
            upstream.kill()
        hosts.cut("app1")
        cut = time.monotonic()
        written.append(write(ceremony, 3))
        wait_for(
            lambda: everyone_at(database_version(ceremony)),
            "every reader back on the current version",
            BACK_WITHIN,
            explain,
        )
        back = time.monotonic() - cut
        assert all(host_of.get(r.upstream) == "app2" for r in readers), explain()

        for n in range(4, 6):
            written.append(write(ceremony, n))
            wait_for(lambda v=written[-1]: everyone_at(v), "a push after the loss", 10, explain)
    finally:
        for reader in readers:
            reader.stop()

    print(
        f"hosts: {len(lost)} of {READERS} readers were on the lost host; every reader on the "
        f"current version {back:.2f} s after the cut"
    )
    assert lost, explain()
    # Nothing written was lost: consecutive versions, each audited, every reader at the last.
    assert written == list(range(start + 1, start + 7))
    assert AuditEntry.objects.filter(ceremony=ceremony, version__in=written).count() == 6
    for reader in readers:
        assert reader.latest() == written[-1] == database_version(ceremony)
        assert reader.versions == sorted(reader.versions)
        if reader not in lost:
            # Never cut off: every version, in order.
            assert sorted(set(reader.versions)) == [start, *written]
