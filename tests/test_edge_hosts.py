"""The edge tier on several hosts (docs/deploy.md, *The edge tier*), for real: network namespaces
on this machine (tests/support/hosts.py). Two edge hosts run nginx with the shipped site and edge
files and Nchan; an app host runs Daphne as its systemd unit does, with EDGE_PUBLISH_URLS naming
both edges, and the edge heartbeat; PostgreSQL and Redis are this machine's, through the bridge.
Readers follow the socket as live.js does, through the site's name, which has both edge hosts'
addresses (each reader's resolver gives them in its own order; a failed attempt tries the next).
An editor records results on the desk; one edge host is lost mid-show (its link cut, then its
nginx killed); every reader is back on the current version through the other, and none missed,
repeated or reordered a version."""

import ssl
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from ceremony.models import AuditEntry, Ceremony
from ceremony.realtime.snapshots import current_snapshot_of
from tests.support.builders import make_ceremony
from tests.support.desk import Editor, make_desk_editor
from tests.support.edge import NCHAN, Edge, Heartbeat, holds
from tests.support.environment import unavailable
from tests.support.hosts import Forwarder, Hosts, app_env, can_make_hosts
from tests.support.nginx import NGINX, Upstream
from tests.support.readers import Reader, describe
from tests.support.servers import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

EDGES = ("edge1", "edge2")
READERS = 8
# live.js's rule: a connection silent for 9 s (heartbeats come every 4 s) is lost.
SILENCE = 9
# The silence, an attempt on the lost address (refused, unreachable or timed out: the reader's
# open timeout, 10 s), the other address and the API fetch.
BACK_WITHIN = 30
PUSH_WITHIN = 10


@pytest.fixture
def hosts():
    if reason := can_make_hosts():
        unavailable(reason)
    if not NGINX.exists() or not NCHAN.exists():
        unavailable("needs nginx and its Nchan module (apt-get install libnginx-mod-nchan)")
    with Hosts([*EDGES, "app"]) as made:
        yield made


@contextmanager
def started(processes: list):
    """Each started in order; all killed on leaving (a process in a namespace being removed
    must not linger), whatever happened."""
    try:
        for process in processes:
            process.start()
        yield
    finally:
        for process in reversed(processes):
            process.kill()


@pytest.fixture
def site(hosts):
    """nginx with Nchan on each edge host, Daphne and the heartbeat on the app host."""
    env, ports = app_env(hosts)
    app = Upstream(env, host=hosts.address["app"], prefix=hosts.run_in("app"))
    with (
        Forwarder(hosts.gateway, ports),
        tempfile.TemporaryDirectory(prefix="edges-") as tmp,
    ):
        edges = {}
        for name in EDGES:
            (Path(tmp) / name).mkdir()
            edges[name] = Edge(
                [app], Path(tmp) / name, host=hosts.address[name], prefix=hosts.run_in(name)
            )
        app.env = env | {
            "EDGE_PUBLISH_URLS": ",".join(edge.publish_url for edge in edges.values()),
            # What the editor's browser sends as Origin; production's is the site.
            "CSRF_TRUSTED_ORIGINS": ",".join(edge.base for edge in edges.values()),
        }
        heartbeat = Heartbeat(app.env, prefix=hosts.run_in("app"))
        with started([app, *edges.values(), heartbeat]):
            yield edges, app, heartbeat


def trusting(edges: list[Edge]) -> ssl.SSLContext:
    """A client trusting each edge host's certificate (the site's, in production)."""
    context = ssl.create_default_context()
    for edge in edges:
        context.load_verify_locations(cafile=str(edge.tmp / "cert.pem"))
    return context


def test_readers_through_two_edge_hosts_are_all_back_on_the_current_version_after_losing_one(
    hosts, site
):
    edges, app, heartbeat = site
    lost_edge, kept_edge = edges["edge1"], edges["edge2"]
    ceremony = make_ceremony({f"Best Thing {i}": [f"Film {i}a", f"Film {i}b"] for i in range(1, 9)})
    categories = list(ceremony.categories.in_order())
    slug = ceremony.slug
    addresses = [edges[name].socket_url(slug) for name in EDGES]
    readers = [
        Reader(
            addresses[n % 2 :] + addresses[: n % 2],
            kept_edge.base,
            ssl=trusting(list(edges.values())),
            silence=SILENCE,
            api=f"/api/ceremonies/{slug}/",
        )
        for n in range(READERS)
    ]
    edge_of = {edge.base.removeprefix("https://"): name for name, edge in edges.items()}

    def explain() -> str:
        logs = "\n".join(f"{name}:\n{edge.error_log()}" for name, edge in edges.items())
        return (
            f"{describe(readers)}\nfetches: {[r.fetches for r in readers]}\n{logs}\n"
            f"app:\n{app.output()}\nheartbeat:\n{heartbeat.output()}"
        )

    def everyone_at(version: int) -> bool:
        return all(r.latest() >= version for r in readers)

    # The heartbeat seeds both edges with the new ceremony (it looks every second).
    wait_for(
        lambda: all(holds(edge.publish_url, slug) for edge in edges.values()),
        "both edges holding the ceremony",
        15,
        explain,
    )
    editor = Editor(kept_edge)
    editor.log_in(make_desk_editor().username)
    editor.open_desk(ceremony)
    written = []
    for reader in readers:
        reader.start()
    try:
        wait_for(lambda: all(r.upstreams for r in readers), "every reader connected", 30, explain)
        start = readers[0].versions[0]
        assert {edge_of.get(r.upstream) for r in readers} == set(EDGES), explain()
        for category in categories[:3]:
            written.append(editor.record(ceremony, category))
            wait_for(lambda v=written[-1]: everyone_at(v), "a push", PUSH_WITHIN, explain)

        # edge1 is lost: it drops off the network (nothing reaches its readers, not even a
        # close), then its nginx dies. The show goes on meanwhile.
        lost = [r for r in readers if edge_of.get(r.upstream) == "edge1"]
        hosts.cut("edge1")
        lost_edge.kill()
        cut = time.monotonic()
        for category in categories[3:5]:
            written.append(editor.record(ceremony, category))
        wait_for(
            lambda: everyone_at(written[-1]),
            "every reader back on the current version",
            BACK_WITHIN,
            explain,
        )
        back = time.monotonic() - cut
        for category in categories[5:]:
            written.append(editor.record(ceremony, category))
            wait_for(lambda v=written[-1]: everyone_at(v), "a push after the loss", 10, explain)
    finally:
        for reader in readers:
            reader.stop()

    print(
        f"edge hosts: {len(lost)} of {READERS} readers were on the lost edge; every reader on "
        f"the current version {back:.2f} s after the cut"
    )
    assert 0 < len(lost) < READERS, explain()
    # Nothing written was lost: consecutive versions, each audited, and every reader shows the
    # last one exactly as the API does, having shown each version once, in order.
    final = current_snapshot_of(ceremony.pk).data
    assert written == list(range(start + 1, start + 1 + len(categories)))
    assert written[-1] == final["version"] == Ceremony.objects.get(pk=ceremony.pk).version
    assert final["progress"]["announced"] == len(categories)
    assert AuditEntry.objects.filter(ceremony=ceremony, version__in=written).count() == len(written)
    for reader in readers:
        assert reader.state == final, f"a reader does not show the last version\n{explain()}"
        assert reader.versions == sorted(set(reader.versions)), (
            f"a reader showed a version twice or out of order\n{explain()}"
        )
        assert edge_of.get(reader.upstream) == "edge2", explain()
        if reader in lost:
            # Back through the other edge, the API fetched on reconnect (what it missed).
            assert reader.fetches[:2] == ["page", "reconnect"], explain()
        else:
            # Never cut off: every version by push, none fetched.
            assert reader.fetches == ["page"], (
                f"a reader of the edge kept fetched the API (a push missed, or it "
                f"reconnected)\n{explain()}"
            )
            assert reader.versions == [start, *written], explain()
