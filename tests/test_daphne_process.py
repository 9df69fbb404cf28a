"""Daphne as a real process on the Redis layer, its readers on real sockets, and the writes made
by another process: the replay command. Proves cross-process delivery end to end."""

import asyncio
import json
import statistics
import sys
import time
import urllib.request
from datetime import datetime

import pytest
import websockets
from websockets.asyncio.client import connect

from ceremony import services
from ceremony.models import AuditEntry, Ceremony
from tests.support.deltas import followed
from tests.support.environment import DEMO, PROJECT
from tests.support.servers import MAX_FRAME, server_env, socket_url

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_async_orm_connections"),
]


@pytest.fixture
def live_show(oscars_97):
    services.ceremony_set_status(ceremony_id=oscars_97.pk, status="live", editor=None)
    oscars_97.refresh_from_db()
    return oscars_97


async def read_until(
    socket, version: int, shown: dict, received: list, timeout: float = 60
) -> None:
    """Collect (arrival time, snapshot shown) until `version` has arrived, following the frames
    (whole snapshots, or deltas from the snapshot shown) from `shown`, as a page does."""
    async with asyncio.timeout(timeout):
        while shown["version"] < version:
            frame = json.loads(await socket.recv())
            if frame["type"] != "heartbeat":
                shown = followed(shown, frame)
                received.append((time.time(), shown))


async def test_two_readers_of_a_daphne_process_get_every_write_of_the_replay_process(
    daphne, live_show, results_97
):
    slug = live_show.slug
    start = live_show.version
    writes = len(results_97["categories"])
    origin = daphne
    async with (
        connect(socket_url(daphne, slug), origin=origin) as first,
        connect(socket_url(daphne, slug), origin=origin) as second,
    ):
        readers = {"first": [], "second": []}
        hellos = {}
        for name, socket in (("first", first), ("second", second)):
            hello = json.loads(await socket.recv())
            assert hello["type"] == "snapshot"
            assert hello["snapshot"]["version"] == start
            hellos[name] = hello["snapshot"]

        replay = await asyncio.create_subprocess_exec(
            sys.executable,
            "manage.py",
            "replay_ceremony",
            slug,
            str(DEMO / "oscars-97-results.json"),
            "--interval",
            "0.05",
            # Onto the ceremony the readers watch, not a rehearsal copy of it.
            "--in-place",
            cwd=PROJECT,
            env=server_env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        await asyncio.gather(
            read_until(first, start + writes, hellos["first"], readers["first"]),
            read_until(second, start + writes, hellos["second"], readers["second"]),
        )
        _out, err = await replay.communicate()
        assert replay.returncode == 0, err.decode()

    for received in readers.values():
        assert [s["version"] for _, s in received] == list(range(start + 1, start + writes + 1))
        assert received[-1][1]["progress"] == {"announced": 23, "total": 23}
    with urllib.request.urlopen(f"{daphne}/api/ceremonies/{slug}/") as response:
        assert json.loads(response.read()) == readers["first"][-1][1]

    # A figure, not a test: from the write (its audit entry's time) to each reader's socket.
    written = {
        e.version: e.created_at.timestamp()
        async for e in AuditEntry.objects.filter(ceremony=live_show, version__gt=start)
    }
    delays = [
        (arrived - written[s["version"]]) * 1000
        for received in readers.values()
        for arrived, s in received
    ]
    print(
        f"\nwrite -> reader, {len(delays)} deliveries across processes: median "
        f"{statistics.median(delays):.1f} ms, max {max(delays):.1f} ms "
        f"(at {datetime.now():%H:%M:%S})"
    )


async def test_daphne_refuses_a_foreign_origin_and_closes_on_any_frame_or_an_oversized_one(
    daphne, live_show
):
    url = socket_url(daphne, live_show.slug)
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with connect(url, origin="https://elsewhere.example"):
            pass
    assert refused.value.response.status_code == 403

    async with connect(url, origin=daphne) as socket:
        await socket.recv()
        await socket.send(json.dumps({"type": "result.record", "category_id": 1}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 5)
        assert closed.value.rcvd.code == 4400

    async with connect(url, origin=daphne, max_size=None) as socket:
        await socket.recv()
        await socket.send("x" * (MAX_FRAME + 1))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 5)
        # Daphne's websocket layer (autobahn, failByDrop) drops the TCP connection before any
        # application code runs: no close frame, so the client sees 1006.
        assert closed.value.rcvd is None

    assert await Ceremony.objects.filter(pk=live_show.pk).values_list(
        "version", flat=True
    ).aget() == (live_show.version)
