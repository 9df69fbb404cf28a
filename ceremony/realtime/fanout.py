"""The process's one subscriber to the channel layer: it receives each published snapshot once
and writes it to every reader socket of its ceremony in a plain loop (`join`/`leave`), and tells
the `VersionListener`s registered for a ceremony (`listen`/`unlisten`), such as the page cache,
of each new version it learns, from a push or from its periodic check. While it has readers, it
sends each of them a heartbeat every few seconds (`heartbeat`).

Why one subscriber, how a lost message is caught up, the push loop's turns and garbage
collection hold: docs/protocol.md (*Fan-out*). The figures behind them: docs/performance.md.
"""

import asyncio
import contextlib
import gc
import json
import logging
import time
import weakref
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from ceremony.realtime import deltas, prepared, publish, snapshots

log = logging.getLogger(__name__)
T = TypeVar("T")

RESYNC_SECONDS = 2.0
# While the channel layer cannot be reached (Redis down, no primary under Sentinel), a
# ceremony's subscription is tried again this often, by a task of its own outside the lock:
# readers join all the same, are sent the snapshot from the database and are kept current by
# the periodic check until it succeeds (docs/reliability.md, *Redis unreachable*).
SUBSCRIBE_RETRY_SECONDS = 1.0
# How long a reader's or listener's registration waits for a subscription under way: a healthy
# layer answers in milliseconds; one asking sentinels that cannot be reached takes seconds.
SUBSCRIBE_WAIT_SECONDS = 1.0
# Every reader is sent `{"type":"heartbeat","version":N}` this often, so a page can tell a
# connection that died silently (server gone, network black-holed) from a quiet show: it says
# it is not live after 9 s without a frame (docs/protocol.md, *Heartbeat*).
HEARTBEAT_SECONDS = 4.0
# Daphne (Twisted) only writes a frame out when the event loop runs: without a turn now and
# then, the first reader waits as long as the last, and every queued frame outlives the young
# collections until a full one walks them all (docs/performance.md, *The push loop*).
YIELD_EVERY = 200


# After a push's loop, Daphne still has the last frames to write and the readers to read them.
FLUSH_SECONDS = 1.5
# Held any longer (pushes back to back), full collections run again: memory comes first.
MAX_HOLD_SECONDS = 30.0
_NO_FULL_COLLECTION = 2**30


class _FullCollectionHold:
    """No full garbage collection while a push is under way, nor for FLUSH_SECONDS after it.

    With thousands of readers a full collection walks every connection's objects and pauses the
    process, finding nothing to free (docs/performance.md has how long): it must land between
    announcements, not in one. Young collections go on. The hold is lifted lazily, by the first
    young collection once it is over, so nothing depends on a timer of an event loop that may be
    gone by then. Counted: pushes of two ceremonies may overlap."""

    def __init__(self):
        self.pushes = 0
        self.until = 0.0
        self.since: float | None = None
        self.threshold = 0

    def __enter__(self):
        young, middle, full = gc.get_threshold()
        # Read at every push, not once: whoever set the thresholds meanwhile is obeyed after.
        if full != _NO_FULL_COLLECTION:
            self.threshold = full
            gc.set_threshold(young, middle, _NO_FULL_COLLECTION)
        if self.since is None:
            self.since = time.monotonic()
        if self._lift not in gc.callbacks:
            gc.callbacks.append(self._lift)
        self.pushes += 1

    def __exit__(self, *exc):
        self.pushes -= 1
        self.until = time.monotonic() + FLUSH_SECONDS

    @property
    def held(self) -> bool:
        return self.since is not None

    def _lift(self, phase: str, info: dict) -> None:
        if phase != "start" or self.since is None:
            return
        now = time.monotonic()
        if (not self.pushes and now >= self.until) or now - self.since > MAX_HOLD_SECONDS:
            young, middle, full = gc.get_threshold()
            if full == _NO_FULL_COLLECTION:
                gc.set_threshold(young, middle, self.threshold)
            self.since = None


full_collections_held = _FullCollectionHold()


class VersionListener(Protocol):
    """Told by the fan-out of each new version of a ceremony, alongside the readers' sockets: a
    push received from the channel layer, or a version the periodic check (or the resync after a
    Redis reconnect) finds.

    Registered per ceremony with `Fanout.listen`, until `Fanout.unlisten`. Called on the fan-out's
    event loop, inside a push or a check: it must return at once (no I/O), and should not raise
    (an exception is logged, and the other listeners and the readers are served all the same)."""

    def version_changed(self, ceremony_id: int, version: int) -> None:
        """`version` is newer than any this listener has been told of this ceremony, and is
        told before any of this process's readers is sent it. Never an older or repeated one;
        intermediate versions may be skipped (a check reads only the current one)."""


class Fanout:
    """The readers and listeners of this process (on one event loop), by ceremony, and their
    subscriber."""

    def __init__(self, layer):
        self.layer = layer
        self.readers: dict[int, set] = {}
        # Per ceremony, each listener and the newest version it has been told.
        self.listeners: dict[int, dict[VersionListener, int]] = {}
        # The newest version written to this process's readers, per ceremony: older or
        # repeated messages (two writers' publishes crossing, a resync racing a message) are
        # dropped here once, not by every reader.
        self.delivered: dict[int, int] = {}
        # The newest version a push is sending right now, per ceremony: the periodic check
        # leaves the readers that push has yet to reach to it, rather than start a second one.
        self.pushing: dict[int, int] = {}
        # The newest version this process knows to be current, per ceremony it is subscribed
        # to: read (after subscribing) or received since. A reader connecting is sent its
        # snapshot without a query while it is cached (`known_snapshot`).
        self.newest: dict[int, int] = {}
        self.channel: str | None = None
        # The periodic check and the subscriber's receive loop, while anyone is registered.
        self.tasks: list[asyncio.Task] = []
        self.lock = asyncio.Lock()
        # The ceremonies whose group this process is subscribed to (pushes reach it).
        self.subscribed: set[int] = set()
        # Per ceremony, the task subscribing to its group (retrying while the layer cannot be
        # reached), and the event it sets once its first attempt has ended, either way.
        self._subscribing: dict[int, asyncio.Task] = {}
        self._attempted: dict[int, asyncio.Event] = {}
        # Making the subscriber's channel, outside `lock`: one at a time.
        self._channel_lock = asyncio.Lock()
        # Resyncs under way: each holds a database thread, so stopping waits for them.
        self._resyncs: set[asyncio.Task] = set()
        # Sends the heartbeats while the process has readers, and only then.
        self._heartbeats: asyncio.Task | None = None

    async def join(self, ceremony_id: int, reader) -> None:
        """Register a reader. When this returns, every later publish reaches it; or, if the
        channel layer cannot be reached, the periodic check keeps it current until the
        subscription (retried meanwhile) succeeds."""
        async with self.lock:
            self.readers.setdefault(ceremony_id, set()).add(reader)
            attempted = self._subscribe(ceremony_id)
            if self._heartbeats is None:
                self._heartbeats = asyncio.create_task(self._beat())
        await self._attempt(attempted)

    async def leave(self, ceremony_id: int, reader) -> None:
        async with self.lock:
            readers = self.readers.get(ceremony_id)
            if readers is None or reader not in readers:
                return
            readers.discard(reader)
            if not readers:
                del self.readers[ceremony_id]
                if not self.readers:
                    await self._stop_heartbeats()
                await self._unsubscribe_if_unused(ceremony_id)

    async def listen(self, ceremony_id: int, listener: VersionListener) -> None:
        """Register a listener of a ceremony's versions. When this returns, it is told of every
        version published later (and of any the periodic check finds)."""
        async with self.lock:
            self.listeners.setdefault(ceremony_id, {}).setdefault(listener, -1)
            attempted = self._subscribe(ceremony_id)
        await self._attempt(attempted)

    async def unlisten(self, ceremony_id: int, listener: VersionListener) -> None:
        """From when this is called, the listener is told nothing more of the ceremony."""
        self._forget(ceremony_id, listener)
        async with self.lock:
            # Again: a `listen` called before this one may have been waiting for the lock.
            self._forget(ceremony_id, listener)
            await self._unsubscribe_if_unused(ceremony_id)

    def _forget(self, ceremony_id: int, listener: VersionListener) -> None:
        listeners = self.listeners.get(ceremony_id)
        if listeners is not None:
            listeners.pop(listener, None)
            if not listeners:
                del self.listeners[ceremony_id]

    @staticmethod
    async def _attempt(attempted: asyncio.Event) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(attempted.wait(), SUBSCRIBE_WAIT_SECONDS)

    def _subscribe(self, ceremony_id: int) -> asyncio.Event:
        # Under self.lock, and without waiting: the layer is reached by the ceremony's
        # subscribing task, so a layer that cannot be reached holds up no one behind the lock.
        if not self.tasks:
            self.tasks = [asyncio.create_task(self._watch())]
        task = self._subscribing.get(ceremony_id)
        if task is None or task.done():
            self._attempted[ceremony_id] = asyncio.Event()
            self._subscribing[ceremony_id] = asyncio.create_task(
                self._keep_subscribing(ceremony_id, self._attempted[ceremony_id])
            )
        return self._attempted[ceremony_id]

    async def _keep_subscribing(self, ceremony_id: int, attempted: asyncio.Event) -> None:
        """Subscribe to the ceremony's group; while the layer cannot be reached, say so once
        and try again every SUBSCRIBE_RETRY_SECONDS (the periodic check serves the readers
        meanwhile), then resync once subscribed."""
        failures = 0
        while True:
            try:
                await self._group_add(ceremony_id)
            except Exception as exc:
                failures += 1
                if failures == 1:
                    log.warning(
                        "channel layer unreachable (%s: %s): ceremony %s served from the "
                        "database every %.0f s, subscription retried every %.0f s",
                        type(exc).__name__,
                        exc,
                        ceremony_id,
                        RESYNC_SECONDS,
                        SUBSCRIBE_RETRY_SECONDS,
                    )
                attempted.set()
                await asyncio.sleep(SUBSCRIBE_RETRY_SECONDS)
                continue
            self.subscribed.add(ceremony_id)
            attempted.set()
            if failures:
                log.warning("channel layer reached: ceremony %s subscribed, resyncing", ceremony_id)
                self._start_resync()
            return

    async def _group_add(self, ceremony_id: int) -> None:
        async with self._channel_lock:
            if self.channel is None:
                self.channel = await self._new_channel()
                self.tasks.append(asyncio.create_task(self._receive(self.channel)))
        # Every time, not only for the first reader or listener: it is a no-op for Redis pub/sub
        # once subscribed, and it renews the in-memory layer's group expiry.
        await self.layer.group_add(publish.group_name(ceremony_id), self.channel)
        self._watch_reconnects()

    async def _new_channel(self) -> str:
        # channels-redis 4.3 (pinned) registers the new channel before it subscribes to it: if
        # Redis cannot be reached, the channel is left registered. It serves all the same (the
        # groups' messages reach it in-process; nothing is sent to the channel itself), so it
        # is adopted rather than left behind at every retry.
        loop_layer = getattr(self.layer, "_get_layer", lambda: None)()
        before = set(getattr(loop_layer, "channels", ()))
        try:
            return await self.layer.new_channel()
        except Exception:
            left = set(getattr(loop_layer, "channels", ())) - before
            if len(left) == 1:
                return left.pop()
            raise

    async def _unsubscribe_if_unused(self, ceremony_id: int) -> None:
        # Under self.lock. The group is left once the ceremony has neither readers nor listeners;
        # the subscriber stops once no ceremony has any.
        if ceremony_id in self.readers or ceremony_id in self.listeners:
            return
        self.delivered.pop(ceremony_id, None)
        # Unsubscribed, this process may miss the next version: no longer known to be current.
        self.newest.pop(ceremony_id, None)
        task = self._subscribing.pop(ceremony_id, None)
        self._attempted.pop(ceremony_id, None)
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if ceremony_id in self.subscribed and self.channel is not None:
            self.subscribed.discard(ceremony_id)
            try:
                await self.layer.group_discard(publish.group_name(ceremony_id), self.channel)
            except Exception as exc:
                # A layer that cannot be reached has dropped the subscription anyway.
                log.warning("leaving ceremony %s's group failed (%s)", ceremony_id, exc)
        if not self.readers and not self.listeners:
            # Cancelling the receive makes channels-redis unsubscribe the channel too.
            for task in self.tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if self._resyncs:
                await asyncio.wait(self._resyncs)
            self.channel, self.tasks = None, []

    async def _receive(self, channel: str) -> None:
        while True:
            message = await self.layer.receive(channel)
            try:
                await self.deliver(message)
            except Exception:
                log.exception("fan-out failed for %r", {k: message.get(k) for k in ("ceremony",)})

    async def deliver(self, message: dict[str, Any]) -> None:
        """A published snapshot: tell the ceremony's listeners, then write it to every reader of
        the ceremony, once."""
        ceremony_id, version = message["ceremony"], message["version"]
        if version <= self.delivered.get(ceremony_id, -1):
            return
        snap = snapshots.cache.get(ceremony_id, version)
        if snap is None:
            # Another process built it: keep it, so pages and reconnects here need no build.
            snap = snapshots.Snapshot.from_text(message["snapshot"])
            snapshots.cache.put(ceremony_id, snap)
        self.learned(ceremony_id, version)
        self._tell_listeners(ceremony_id, version)
        # Readers showing the version before get only what changed (docs/protocol.md, *Deltas*).
        base = snapshots.cache.get(ceremony_id, version - 1)
        wanted = settings.WEBSOCKET_DELTAS and base and self.readers.get(ceremony_id)
        delta = deltas.between(base, snap) if wanted else None
        await self.broadcast(ceremony_id, snap, delta=delta)

    def learned(self, ceremony_id: int, version: int) -> None:
        """`version` of a ceremony this process is subscribed to was read from the database
        (after subscribing) or received: it, or a newer one, is current."""
        if ceremony_id in self.subscribed and (
            ceremony_id in self.readers or ceremony_id in self.listeners
        ):
            self.newest[ceremony_id] = max(version, self.newest.get(ceremony_id, -1))

    def known_snapshot(self, ceremony_id: int) -> snapshots.Snapshot | None:
        """The current snapshot of a ceremony, without a query: the newest version this process
        knows, while it is subscribed to the ceremony and has that snapshot cached. A newer
        version still on its way reaches every registered reader like any push; one lost on the
        way, like any lost push, within RESYNC_SECONDS (docs/protocol.md, *Connecting*)."""
        version = self.newest.get(ceremony_id)
        return None if version is None else snapshots.cache.get(ceremony_id, version)

    def _tell_listeners(self, ceremony_id: int, version: int) -> None:
        # Before the readers' loop, and after the snapshot is cached: a page or API request that
        # a reader's frame prompts finds the listeners (the page cache) already past the old
        # version, and the view that answers it needs no build.
        listeners = self.listeners.get(ceremony_id)
        if not listeners:
            return
        for listener, told in list(listeners.items()):
            if told >= version:
                continue
            listeners[listener] = version
            try:
                listener.version_changed(ceremony_id, version)
            except Exception:
                log.exception("listener failed: ceremony=%s version=%s", ceremony_id, version)

    async def broadcast(
        self, ceremony_id: int, snap: snapshots.Snapshot, readers=None, delta=None
    ) -> None:
        """Send `snap` to the readers (all of the ceremony's by default) not yet past it: as
        `delta` to those whose version is its base, whole to the others."""
        self.delivered[ceremony_id] = max(snap.version, self.delivered.get(ceremony_id, -1))
        frame = prepared.Frame(snap.message)
        delta_frame = delta and prepared.Frame(delta.message)
        if readers is None:
            readers = list(self.readers.get(ceremony_id, ()))
        started = time.perf_counter()
        self.pushing[ceremony_id] = max(snap.version, self.pushing.get(ceremony_id, -1))
        try:
            with full_collections_held:
                for n, reader in enumerate(readers, start=1):
                    # Checked at each reader, not once before the loop: while this push yields,
                    # a newer one (or the periodic check) may reach readers first. A late, older
                    # message must not move a reader back, nor repeat a frame.
                    if reader.known_version is None or reader.known_version < snap.version:
                        on_base = delta is not None and reader.known_version == delta.base
                        await self._send(
                            ceremony_id, reader, snap.version, delta_frame if on_base else frame
                        )
                    if n % YIELD_EVERY == 0:
                        await asyncio.sleep(0)
        finally:
            if self.pushing.get(ceremony_id) == snap.version:
                del self.pushing[ceremony_id]
        log.info(
            "push ceremony=%s version=%s readers=%s in %.1f ms",
            ceremony_id,
            snap.version,
            len(readers),
            (time.perf_counter() - started) * 1000,
        )

    @staticmethod
    async def _send(ceremony_id: int, reader, version: int, frame: prepared.Frame) -> None:
        try:
            reader.known_version = version
            # Straight to the server's send: no per-reader dispatch, no thread hop.
            await frame.send(reader.base_send)
        except Exception:
            # One reader's broken socket must never stop the others.
            log.debug("push failed for a reader of ceremony %s", ceremony_id, exc_info=True)

    async def _watch(self) -> None:
        # The safety net under the pub/sub: a version this process's readers and listeners have
        # not been sent (a message lost on a connection that hung without closing, a publish that
        # failed, or, on the in-memory layer, a write made by another process such as
        # `replay_ceremony`) reaches them within this interval, for one small query per ceremony.
        while True:
            await asyncio.sleep(RESYNC_SECONDS)
            await asyncio.shield(self._start_resync())

    def _start_resync(self) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(self.resync())
        self._resyncs.add(task)
        task.add_done_callback(self._resyncs.discard)
        return task

    async def resync(self) -> None:
        """Read each ceremony's current snapshot; tell its listeners of the version if it is new
        to them, and send it to those of its readers who have not had it."""
        ceremonies = [*self.readers, *(c for c in self.listeners if c not in self.readers)]
        for ceremony_id in ceremonies:
            try:
                snap = await database_sync_to_async(snapshots.current_snapshot_of)(ceremony_id)
            except Exception:
                log.exception("resync failed for ceremony %s", ceremony_id)
                continue
            self.learned(ceremony_id, snap.version)
            self._tell_listeners(ceremony_id, snap.version)
            if self.pushing.get(ceremony_id, -1) >= snap.version:
                continue
            # A reader whose connect snapshot is still on its way (known_version None) is not
            # behind: that snapshot is at least this one.
            behind = [
                reader
                for reader in self.readers.get(ceremony_id, ())
                if reader.known_version is not None and reader.known_version < snap.version
            ]
            if behind:
                log.info("resync ceremony=%s version=%s", ceremony_id, snap.version)
                await self.broadcast(ceremony_id, snap, behind)

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            try:
                await self.heartbeat()
            except Exception:
                log.exception("heartbeat failed")

    async def _stop_heartbeats(self) -> None:
        # Under self.lock, once the last reader has left: an idle process is never woken.
        task, self._heartbeats = self._heartbeats, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def heartbeat(self) -> None:
        """Send each reader the tiny frame that says its connection is alive, with the newest
        version of its ceremony this process knows: one frame per ceremony per tick, the same
        bytes to every reader of it, as a push's. Sent during a push too (a reader the push has
        yet to reach may be told of a version it lacks: the page waits a tick before it
        fetches)."""
        for ceremony_id, members in list(self.readers.items()):
            readers = [reader for reader in members if reader.known_version is not None]
            if not readers:
                continue
            version = max(
                self.delivered.get(ceremony_id, -1), *(reader.known_version for reader in readers)
            )
            text = json.dumps({"type": "heartbeat", "version": version}, separators=(",", ":"))
            frame = prepared.Frame(text)
            for n, reader in enumerate(readers, start=1):
                try:
                    await frame.send(reader.base_send)
                except Exception:
                    log.debug("heartbeat failed for a reader of %s", ceremony_id, exc_info=True)
                if n % YIELD_EVERY == 0:
                    await asyncio.sleep(0)

    def _watch_reconnects(self) -> None:
        # Private to channels-redis 4.3 (pinned): its loop layer's shards hold the pub/sub
        # connections. The in-memory layer has none, and never loses a message.
        loop_layer = getattr(self.layer, "_get_layer", lambda: None)()
        for shard in getattr(loop_layer, "_shards", ()):
            connection = getattr(getattr(shard, "_pubsub", None), "connection", None)
            if connection is not None:
                # Kept as a weak method by redis-py; registering twice is a no-op.
                connection.register_connect_callback(self._redis_connected)

    def _redis_connected(self, connection) -> None:
        log.warning("channel layer reconnected to Redis: resyncing readers")
        # A task of its own: the callback runs inside redis-py's reconnect.
        self._start_resync()


def per_loop(make: Callable[[], T]) -> Callable[[], T]:
    """A function returning this event loop's own instance (one per process under Daphne, one
    per test's loop), made on first use: what belongs to a loop's sockets and tasks dies with it."""
    instances: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = weakref.WeakKeyDictionary()

    def current() -> T:
        loop = asyncio.get_running_loop()
        instance = instances.get(loop)
        if instance is None:
            instance = instances[loop] = make()
        return instance

    return current


current = per_loop(lambda: Fanout(get_channel_layer()))
