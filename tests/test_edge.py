"""The readers' edge tier (ceremony/realtime/edge.py, deploy/nginx/edge*.conf, the
edge_heartbeat command): what the origin publishes, and nginx's Nchan module with the shipped
files in front of Daphne, readers connecting to it while results are recorded."""

import json
import re
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from ceremony.management.commands import edge_heartbeat
from ceremony.models import Ceremony
from ceremony.realtime import edge, snapshots
from tests.support.builders import make_ceremony, record
from tests.support.deltas import followed
from tests.support.edge import NCHAN, Edge
from tests.support.environment import PROJECT, unavailable
from tests.support.nginx import DEPLOY, NGINX, Upstream, running
from tests.support.servers import server_env

TIMEOUT = 10


def show_ceremony() -> Ceremony:
    return make_ceremony({f"Best Thing {i}": [f"Film {i}a", f"Film {i}b"] for i in range(1, 4)})


def test_channel_urls_quote_the_slug():
    assert edge.channel_url("http://e:8090/pub/", "live", "東京物語-1953") == (
        "http://e:8090/pub/live/%E6%9D%B1%E4%BA%AC%E7%89%A9%E8%AA%9E-1953"
    )
    assert edge.heartbeat_frame(7) == '{"type":"heartbeat","version":7}'


@pytest.mark.django_db
def test_the_live_frame_is_the_delta_from_the_version_before_when_this_process_has_it():
    ceremony = show_ceremony()
    before = snapshots.current_snapshot_of(ceremony.pk)
    record(ceremony, "Best Thing 1", "Film 1a")
    after = snapshots.current_snapshot_of(ceremony.pk)

    frame = json.loads(edge.live_frame(ceremony.pk, after))
    assert frame["type"] == "delta"
    assert (frame["base"], frame["version"]) == (before.version, after.version)
    assert followed(before.data, frame) == after.data

    snapshots.cache.clear()
    assert json.loads(edge.live_frame(ceremony.pk, after)) == {
        "type": "snapshot",
        "snapshot": after.data,
    }


@pytest.mark.django_db
def test_without_edge_urls_nothing_is_sent(settings):
    settings.EDGE_PUBLISH_URLS = []
    ceremony = show_ceremony()
    assert edge.publish(ceremony.pk, snapshots.current_snapshot_of(ceremony.pk)) == []
    with pytest.raises(CommandError, match="EDGE_PUBLISH_URLS is not set"):
        call_command("edge_heartbeat", "--once")


@pytest.fixture
def edge_stack(settings):
    if not NGINX.exists() or not NCHAN.exists():
        unavailable("needs nginx and its Nchan module (apt-get install libnginx-mod-nchan)")
    with tempfile.TemporaryDirectory(prefix="edge-") as tmp:
        env = {**server_env(), "SECURE_SSL": "true", "ALLOWED_HOSTS": "127.0.0.1"}
        upstream = Upstream(env)
        nginx = Edge([upstream], Path(tmp))
        settings.EDGE_PUBLISH_URLS = [nginx.publish_url]
        with running(nginx, [upstream]):
            yield nginx


def frames(ws, until_version: int) -> list[dict]:
    """Frames from `ws` up to the first whose version is `until_version` (heartbeats included)."""
    got = []
    while True:
        frame = json.loads(ws.recv(timeout=TIMEOUT))
        got.append(frame)
        version = frame.get("version") or frame.get("snapshot", {}).get("version")
        if frame["type"] != "heartbeat" and version == until_version:
            return got


def heartbeat(ws, received: list[dict]) -> dict:
    """The heartbeat among the frames received on connect, or the next frame (the edge sends
    its two channels' kept frames in the order they were published)."""
    beats = [f for f in received if f["type"] == "heartbeat"]
    return beats[-1] if beats else json.loads(ws.recv(timeout=TIMEOUT))


def shown(state: dict | None, received: list[dict]) -> dict | None:
    """What a reader shows after `received`, as live.js takes them: heartbeats and frames not
    newer than it shows skipped."""
    for frame in received:
        if frame["type"] == "heartbeat":
            continue
        version = frame["version"] if frame["type"] == "delta" else frame["snapshot"]["version"]
        if state is None or version > state["version"]:
            state = followed(state, frame)
    return state


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_readers_of_the_edge_get_each_write_and_a_reconnect_the_current_version(edge_stack):
    nginx = edge_stack
    ceremony = show_ceremony()
    call_command("edge_heartbeat", "--once")
    status, _, body = nginx.get(f"/api/ceremonies/{ceremony.slug}/")
    assert status == 200
    state = json.loads(body)

    with connect(nginx.socket_url(ceremony.slug), ssl=nginx.ssl, origin=nginx.base) as ws:
        # On connect: the frames the edge kept, a whole snapshot first (the ceremony's first
        # version published), which make the current version; then the heartbeat.
        received = frames(ws, state["version"])
        assert received[0]["type"] == "snapshot"
        assert shown(None, received) == state
        assert heartbeat(ws, received) == {"type": "heartbeat", "version": state["version"]}
        for category, winner in (("Best Thing 1", "Film 1a"), ("Best Thing 2", "Film 2b")):
            record(ceremony, category, winner)
            version = Ceremony.objects.get(pk=ceremony.pk).version
            received = frames(ws, version)
            # Only what changed: this process had the snapshot of the version before.
            assert [f["type"] for f in received if f["type"] != "heartbeat"] == ["delta"]
            state = shown(state, received)
            assert state == snapshots.current_snapshot_of(ceremony.pk).data

    # A new reader: the frames the edge kept, a whole snapshot first, make the current version.
    call_command("edge_heartbeat", "--once")
    current = snapshots.current_snapshot_of(ceremony.pk).data
    with connect(nginx.socket_url(ceremony.slug), ssl=nginx.ssl, origin=nginx.base) as ws:
        received = frames(ws, current["version"])
        assert heartbeat(ws, received) == {"type": "heartbeat", "version": current["version"]}
    assert shown(None, received) == current


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_edge_refuses_an_unknown_ceremony_and_leaves_the_desk_on_daphne(edge_stack):
    nginx = edge_stack
    ceremony = show_ceremony()
    call_command("edge_heartbeat", "--once")

    with pytest.raises(InvalidStatus) as refused:
        connect(nginx.socket_url("no-such-show"), ssl=nginx.ssl, origin=nginx.base)
    assert refused.value.response.status_code == 404

    # An editor's socket (a session cookie) is Daphne's: its consumer sends the whole snapshot
    # on connect, the edge never does.
    with connect(
        nginx.socket_url(ceremony.slug),
        ssl=nginx.ssl,
        origin=nginx.base,
        additional_headers={"Cookie": "sessionid=any"},
    ) as ws:
        frame = json.loads(ws.recv(timeout=TIMEOUT))
    assert frame["type"] == "snapshot"
    assert frame["snapshot"]["version"] == Ceremony.objects.get(pk=ceremony.pk).version


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_restarted_edge_gets_the_whole_snapshot_from_the_next_heartbeat(edge_stack):
    nginx = edge_stack
    ceremony = show_ceremony()
    record(ceremony, "Best Thing 1", "Film 1b")
    current = snapshots.current_snapshot_of(ceremony.pk).data

    # (SIGTERM: nginx's fast stop, which takes its workers with it.)
    nginx.stop()
    nginx.start()
    # The edge lost everything: a reader is refused until the origin tells it the ceremony.
    with pytest.raises(InvalidStatus):
        connect(nginx.socket_url(ceremony.slug), ssl=nginx.ssl, origin=nginx.base)

    call_command("edge_heartbeat", "--once")
    with connect(nginx.socket_url(ceremony.slug), ssl=nginx.ssl, origin=nginx.base) as ws:
        received = frames(ws, current["version"])
    assert [f for f in received if f["type"] != "heartbeat"] == [
        {"type": "snapshot", "snapshot": current}
    ]


def test_the_heartbeat_looks_for_a_restarted_edge_each_tick_and_reads_once_a_second(monkeypatch):
    reads, seeded, beats, slept = [], [], [], []
    monkeypatch.setattr(
        edge_heartbeat, "unfinished", lambda: reads.append(1) or [(1, "oscars-97", len(reads))]
    )
    monkeypatch.setattr(edge, "seed", lambda slug, snapshot, bases: seeded.append(slug))
    monkeypatch.setattr(edge, "send", lambda kind, slug, text, bases: beats.append(text) or [])

    class Stop(Exception):
        pass

    def sleep(seconds):
        slept.append(seconds)
        if len(slept) == 17:
            raise Stop

    monkeypatch.setattr(edge_heartbeat.time, "sleep", sleep)
    with pytest.raises(Stop):
        edge_heartbeat.Command().loop("http://edge:8090/pub", interval=4.0, seed_interval=0.25)

    # 17 ticks, 0.25 s apart: every one asks the edge; the database is read every fourth (once
    # a second); the beats (every 4 s) send the version just read.
    assert seeded == ["oscars-97"] * 17
    assert len(reads) == 5
    assert [json.loads(text)["version"] for text in beats] == [1, 5]


def test_the_shipped_unit_runs_the_heartbeat_command():
    unit = (DEPLOY / "systemd" / "tracker-edge-heartbeat.service").read_text()
    exec_start = re.search(r"^ExecStart=(.+)$", unit, re.MULTILINE).group(1).split()
    assert exec_start[1:] == ["manage.py", "edge_heartbeat"]
    assert (PROJECT / "ceremony" / "management" / "commands" / "edge_heartbeat.py").exists()
