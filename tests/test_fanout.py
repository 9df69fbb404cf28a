"""The fan-out's push loop with stand-in readers: what each reader is sent, in what order, and
what else runs while a push goes out; and what its version listeners are told. The path through
real sockets and the channel layer is in test_consumers.py, the page cache's in
test_pagecache.py."""

import asyncio
import functools
import gc
import json
import time

import pytest
from channels.layers import InMemoryChannelLayer

from ceremony.realtime import fanout, publish, snapshots
from tests.support.wire import open_socket

CEREMONY = 1


class Reader:
    """Records the version of every frame it is sent, as a reader's socket would receive them."""

    def __init__(self, known_version: int | None = 4):
        self.known_version = known_version
        self.versions: list[int] = []
        # Each snapshot or delta frame's type and versions: ("delta", base, version) or
        # ("snapshot", version).
        self.frames: list[tuple] = []
        # The heartbeat frames it is sent, as sent (not copied).
        self.heartbeats: list[dict] = []

    async def base_send(self, frame: dict) -> None:
        message = json.loads(frame["text"])
        if message["type"] == "heartbeat":
            self.heartbeats.append(frame)
        elif message["type"] == "delta":
            self.versions.append(message["version"])
            self.frames.append(("delta", message["base"], message["version"]))
        else:
            self.versions.append(message["snapshot"]["version"])
            self.frames.append(("snapshot", message["snapshot"]["version"]))


def snapshot(version: int) -> snapshots.Snapshot:
    return snapshots.Snapshot.from_text(json.dumps({"version": version}))


@pytest.fixture
def readers() -> list[Reader]:
    # Enough for a push to give the event loop several turns (every fanout.YIELD_EVERY readers).
    return [Reader() for _ in range(607)]


@pytest.fixture
def hub(readers) -> fanout.Fanout:
    hub = fanout.Fanout(layer=None)
    hub.readers[CEREMONY] = set(readers)
    return hub


async def test_a_push_and_the_periodic_check_crossing_send_each_reader_the_version_once(
    hub, readers
):
    # The periodic check found every reader behind and sends them the version that the push,
    # yielding as it goes, is still sending.
    snap = snapshot(5)
    await asyncio.gather(hub.broadcast(CEREMONY, snap), hub.broadcast(CEREMONY, snap, readers))

    assert {tuple(reader.versions) for reader in readers} == {(5,)}


async def test_a_newer_version_overtaking_an_older_push_never_moves_a_reader_back(hub, readers):
    # The newer one goes the other way round, as the periodic check's list of readers may: it
    # reaches some readers before the older push does.
    other_way = list(reversed(list(hub.readers[CEREMONY])))
    await asyncio.gather(
        hub.broadcast(CEREMONY, snapshot(5)), hub.broadcast(CEREMONY, snapshot(6), other_way)
    )

    received = {tuple(reader.versions) for reader in readers}
    assert received <= {(5, 6), (6,)}
    # The two pushes did interleave: some readers had both, some only the newer.
    assert received == {(5, 6), (6,)}
    assert hub.delivered[CEREMONY] == 6


async def test_a_reader_whose_connect_snapshot_is_newer_is_not_sent_an_older_version(hub):
    ahead, unknown = Reader(known_version=7), Reader(known_version=None)
    hub.readers[CEREMONY] = {ahead, unknown}

    await hub.broadcast(CEREMONY, snapshot(6))

    assert ahead.versions == []
    assert unknown.versions == [6]


async def test_a_push_sends_readers_on_the_version_before_a_delta_and_the_others_the_snapshot(
    hub,
):
    on_base, behind, connecting = Reader(known_version=4), Reader(3), Reader(known_version=None)
    hub.readers[CEREMONY] = {on_base, behind, connecting}
    snapshots.cache.put(CEREMONY, snapshot(4))
    snapshots.cache.put(CEREMONY, snapshot(5))

    await hub.deliver(publish.layer_message(CEREMONY, snapshot(5)))

    assert on_base.frames == [("delta", 4, 5)]
    # Not on the delta's base, or not known yet (its connect snapshot may be older or newer).
    assert behind.frames == connecting.frames == [("snapshot", 5)]


async def test_with_deltas_switched_off_a_reader_on_the_version_before_gets_the_snapshot(
    hub, settings
):
    settings.WEBSOCKET_DELTAS = False
    on_base = Reader(known_version=4)
    hub.readers[CEREMONY] = {on_base}
    snapshots.cache.put(CEREMONY, snapshot(4))
    snapshots.cache.put(CEREMONY, snapshot(5))

    await hub.deliver(publish.layer_message(CEREMONY, snapshot(5)))

    assert on_base.frames == [("snapshot", 5)]


async def test_a_push_without_the_snapshot_before_it_sends_the_whole_snapshot(hub, readers):
    await hub.deliver(publish.layer_message(CEREMONY, snapshot(5)))

    assert {tuple(reader.frames) for reader in readers} == {(("snapshot", 5),)}


async def test_the_periodic_check_sends_whole_snapshots_never_a_delta(hub, monkeypatch):
    # It may skip versions: a delta from the version before would land on the wrong base.
    reader = Reader(known_version=4)
    hub.readers[CEREMONY] = {reader}
    snapshots.cache.put(CEREMONY, snapshot(5))
    monkeypatch.setattr(snapshots, "current_snapshot_of", lambda ceremony_id: snapshot(6))

    await hub.resync()

    assert reader.frames == [("snapshot", 6)]


async def test_the_event_loop_runs_while_a_push_goes_out(hub, readers):
    # Under Daphne the frames already sent only leave when the loop runs: the first readers
    # must not wait for the last.
    progress = []

    async def watch():
        while True:
            progress.append(sum(1 for reader in readers if reader.versions))
            await asyncio.sleep(0)

    watcher = asyncio.create_task(watch())
    await asyncio.sleep(0)
    await hub.broadcast(CEREMONY, snapshot(5))
    watcher.cancel()

    assert any(0 < done < len(readers) for done in progress)
    assert all(reader.versions == [5] for reader in readers)


@pytest.fixture
def full_collections(monkeypatch):
    """When each full collection starts (monotonic time), with thresholds low enough that the
    allocations of one push would trigger several."""
    monkeypatch.setattr(fanout, "FLUSH_SECONDS", 0.3)
    started = []

    def record(phase, info):
        if phase == "start" and info["generation"] == 2:
            started.append(time.monotonic())

    thresholds = gc.get_threshold()
    gc.collect()
    gc.set_threshold(100, 2, 2)
    gc.callbacks.append(record)
    yield started
    gc.callbacks.remove(record)
    gc.set_threshold(*thresholds)


class Hoarder(Reader):
    """A reader whose socket keeps what it allocates: long-lived objects, which make full
    collections due."""

    kept: list = []

    async def base_send(self, frame):
        await super().base_send(frame)
        self.kept.extend([] for _ in range(300))


async def allocate_for(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        Hoarder.kept.extend([] for _ in range(300))
        await asyncio.sleep(0.01)


async def test_no_full_collection_runs_while_a_push_goes_out_nor_as_its_frames_leave(
    hub, readers, full_collections
):
    hub.readers[CEREMONY] = {Hoarder() for _ in range(len(readers))}
    try:
        started = time.monotonic()
        await hub.broadcast(CEREMONY, snapshot(5))
        await allocate_for(fanout.FLUSH_SECONDS * 0.8)
        ended = time.monotonic()
        assert [t for t in full_collections if started <= t <= ended] == []

        await allocate_for(fanout.FLUSH_SECONDS)
    finally:
        Hoarder.kept.clear()

    assert [t for t in full_collections if t > ended], "full collections run again afterwards"
    assert not fanout.full_collections_held.held


async def test_full_collections_run_again_when_pushes_go_on_too_long(
    hub, readers, full_collections, monkeypatch
):
    monkeypatch.setattr(fanout, "MAX_HOLD_SECONDS", 0)
    hub.readers[CEREMONY] = {Hoarder() for _ in range(len(readers))}
    try:
        started = time.monotonic()
        await hub.broadcast(CEREMONY, snapshot(5))
    finally:
        Hoarder.kept.clear()

    assert [t for t in full_collections if t >= started]


async def test_a_reader_whose_send_fails_does_not_stop_the_push(hub, readers):
    class Broken(Reader):
        async def base_send(self, frame):
            raise ConnectionResetError

    hub.readers[CEREMONY].add(Broken())

    await hub.broadcast(CEREMONY, snapshot(5))

    assert all(reader.versions == [5] for reader in readers)


class Gated(Reader):
    """A reader whose socket takes its time: the push waits there until the gate opens."""

    def __init__(self, gate: asyncio.Event):
        super().__init__()
        self.gate = gate

    async def base_send(self, frame):
        await self.gate.wait()
        await super().base_send(frame)


@pytest.fixture
def gate(hub, readers) -> asyncio.Event:
    """Half the readers are slow: a push stops halfway until the gate opens."""
    gate = asyncio.Event()
    slow = [Gated(gate) for _ in range(len(readers))]
    hub.readers[CEREMONY] = set(readers) | set(slow)
    readers.extend(slow)
    return gate


async def push_halfway(hub, readers, gate, version: int) -> asyncio.Task:
    push = asyncio.create_task(hub.broadcast(CEREMONY, snapshot(version), list(readers)))
    async with asyncio.timeout(5):
        while not any(reader.versions for reader in readers):
            await asyncio.sleep(0)
    return push


async def test_the_periodic_check_leaves_readers_to_a_push_of_their_version_under_way(
    hub, readers, gate, monkeypatch
):
    monkeypatch.setattr(snapshots, "current_snapshot_of", lambda ceremony_id: snapshot(5))
    push = await push_halfway(hub, readers, gate, 5)
    pushes = []
    broadcast = hub.broadcast

    async def counted(ceremony_id, snap, readers=None):
        pushes.append(snap.version)
        await broadcast(ceremony_id, snap, readers)

    monkeypatch.setattr(hub, "broadcast", counted)

    resync = asyncio.create_task(hub.resync())
    await asyncio.sleep(0.2)
    gate.set()
    await asyncio.gather(push, resync)

    assert pushes == []
    assert {tuple(reader.versions) for reader in readers} == {(5,)}
    assert hub.pushing == {}


async def test_the_periodic_check_sends_a_newer_version_past_a_push_under_way(
    hub, readers, gate, monkeypatch
):
    monkeypatch.setattr(snapshots, "current_snapshot_of", lambda ceremony_id: snapshot(6))
    push = await push_halfway(hub, readers, gate, 5)

    resync = asyncio.create_task(hub.resync())
    await asyncio.sleep(0.2)
    gate.set()
    await asyncio.gather(push, resync)

    assert {tuple(reader.versions) for reader in readers} == {(5, 6), (6,)}
    assert hub.pushing == {}


async def test_a_push_cancelled_midway_leaves_nothing_marked_as_under_way(hub):
    push = asyncio.create_task(hub.broadcast(CEREMONY, snapshot(5)))
    await asyncio.sleep(0)
    push.cancel()
    with pytest.raises(asyncio.CancelledError):
        await push

    assert hub.pushing == {}
    assert fanout.full_collections_held.pushes == 0


class Listener:
    """Records every version it is told of, and how many readers had been sent it by then."""

    def __init__(self, readers=()):
        self.readers = readers
        self.told: list[tuple[int, int]] = []
        self.readers_sent: list[int] = []

    def version_changed(self, ceremony_id: int, version: int) -> None:
        self.told.append((ceremony_id, version))
        self.readers_sent.append(sum(version in reader.versions for reader in self.readers))


async def test_listeners_are_told_of_a_pushed_version_and_of_one_the_periodic_check_finds(
    monkeypatch,
):
    monkeypatch.setattr(fanout, "RESYNC_SECONDS", 3600)
    hub = fanout.Fanout(InMemoryChannelLayer())
    other_ceremony = CEREMONY + 1
    listening, gone, elsewhere, never = Listener(), Listener(), Listener(), Listener()
    await hub.listen(CEREMONY, listening)
    await hub.listen(CEREMONY, gone)
    await hub.listen(other_ceremony, elsewhere)
    await hub.unlisten(CEREMONY, gone)

    # A push: published to the ceremony's group, received by this process's subscriber.
    await hub.layer.group_send(
        publish.group_name(CEREMONY), publish.layer_message(CEREMONY, snapshot(5))
    )
    async with asyncio.timeout(5):
        while not listening.told:
            await asyncio.sleep(0.01)
    # A version no message brought (lost, or written by another process on the in-memory
    # layer): the periodic check finds it, once.
    monkeypatch.setattr(snapshots, "current_snapshot_of", lambda ceremony_id: snapshot(6))
    await hub.resync()
    await hub.resync()

    assert listening.told == [(CEREMONY, 5), (CEREMONY, 6)]
    assert elsewhere.told == [(other_ceremony, 6)]
    assert gone.told == never.told == []

    await hub.unlisten(CEREMONY, listening)
    await hub.unlisten(other_ceremony, elsewhere)
    assert hub.listeners == {}
    assert hub.channel is None, "the subscription ends with the last listener"


async def test_listeners_are_told_before_any_reader_is_sent_the_version(hub, readers, monkeypatch):
    # The page cache is as fresh as the sockets: a page load that a frame prompts (the client's
    # gap fetch) must not find the old version still served.
    listener = Listener(readers)
    hub.listeners[CEREMONY] = {listener: -1}

    await hub.deliver(publish.layer_message(CEREMONY, snapshot(5)))
    monkeypatch.setattr(snapshots, "current_snapshot_of", lambda ceremony_id: snapshot(6))
    await hub.resync()

    assert listener.told == [(CEREMONY, 5), (CEREMONY, 6)]
    assert listener.readers_sent == [0, 0]
    assert {tuple(reader.versions) for reader in readers} == {(5, 6)}


async def test_a_listener_that_fails_stops_neither_the_others_nor_the_push(hub, readers):
    class Broken(Listener):
        def version_changed(self, ceremony_id, version):
            raise RuntimeError("a listener's bug")

    listener = Listener()
    hub.listeners[CEREMONY] = {Broken(): -1, listener: -1}

    await hub.deliver(publish.layer_message(CEREMONY, snapshot(5)))

    assert listener.told == [(CEREMONY, 5)]
    assert all(reader.versions == [5] for reader in readers)


async def test_a_heartbeat_is_one_frame_per_ceremony_sent_to_each_of_its_readers(hub, readers):
    other_ceremony = CEREMONY + 1
    ahead, connecting = Reader(known_version=7), Reader(known_version=None)
    hub.readers[other_ceremony] = {ahead, connecting}
    hub.delivered[CEREMONY] = 5

    await hub.heartbeat()

    frames = [frame for reader in readers for frame in reader.heartbeats]
    assert len(frames) == len(readers)
    # Serialized once for all the ceremony's readers: the very same text object.
    assert len({id(frame["text"]) for frame in frames}) == 1
    assert json.loads(frames[0]["text"]) == {"type": "heartbeat", "version": 5}
    # The newest version the process knows of the ceremony, from a connect snapshot too; a reader
    # whose connect snapshot is still on its way is sent nothing before it.
    assert [json.loads(f["text"]) for f in ahead.heartbeats] == [
        {"type": "heartbeat", "version": 7}
    ]
    assert connecting.heartbeats == []
    assert all(reader.versions == [] for reader in readers)


async def test_heartbeats_go_out_only_while_the_process_has_readers(monkeypatch):
    monkeypatch.setattr(fanout, "HEARTBEAT_SECONDS", 0.05)
    monkeypatch.setattr(fanout, "RESYNC_SECONDS", 3600)
    hub = fanout.Fanout(InMemoryChannelLayer())
    listener = Listener()
    await hub.listen(CEREMONY, listener)
    # A page cache listening is no reader: nothing to keep alive, nothing wakes the process.
    assert hub._heartbeats is None

    first, second = Reader(), Reader()
    await hub.join(CEREMONY, first)
    await hub.join(CEREMONY, second)
    async with asyncio.timeout(5):
        while len(second.heartbeats) < 3:
            await asyncio.sleep(0.01)
    await hub.leave(CEREMONY, first)
    sent = len(first.heartbeats)
    await hub.leave(CEREMONY, second)
    assert hub._heartbeats is None
    stopped = len(second.heartbeats)
    await asyncio.sleep(0.2)

    assert len(first.heartbeats) == sent
    assert len(second.heartbeats) == stopped
    await hub.unlisten(CEREMONY, listener)
    assert hub.channel is None


async def test_under_daphne_a_heartbeat_is_framed_once_and_written_to_each_socket(settings):
    settings.WEBSOCKET_PREPARED_FRAMES = True
    through_asgi = []

    async def asgi_send(protocol, message):
        through_asgi.append(message)

    sockets = [open_socket() for _ in range(3)]
    readers = []
    for socket in sockets:
        reader = Reader(known_version=5)
        reader.base_send = functools.partial(asgi_send, socket)
        readers.append(reader)
    hub = fanout.Fanout(layer=None)
    hub.readers[CEREMONY] = set(readers)

    await hub.heartbeat()

    assert through_asgi == []
    written = {socket.transport.written for socket in sockets}
    assert len(written) == 1
    assert written.pop().endswith(b'{"type":"heartbeat","version":5}')
