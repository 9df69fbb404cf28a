"""Scripted readers: for the benchmarks (tests/perf), an async websocket handing each version's
frame to a callback, the version read from the frame's first bytes rather than by parsing tens of
kilobytes of JSON per reader; for the drills of several processes and hosts, a reader's websocket
as a thread that follows snapshots and deltas as live.js does, noting each connection's upstream
(nginx's X-Upstream header, where the test adds it) and the errors between them, and reconnecting
by itself when its socket drops."""

import asyncio
import json
import re
import ssl as ssl_module
import sys
import threading
import time
import traceback
from collections.abc import Callable

from websockets.exceptions import WebSocketException

from tests.support.deltas import followed

# The first "version" of a frame: a delta's own, or a snapshot's, after its ceremony summary.
VERSION = re.compile(r'"version":(\d+)')
HEARTBEAT = '{"type":"heartbeat",'
# How long a drill reader's attempt may take to open: longer than nginx needs to pass over the
# processes of a lost host (2 s each), short enough to try again within a drill's waits if an
# upgrade gets no answer at all (docs/reliability.md, *Seen, not yet explained*).
OPEN_TIMEOUT = 10


async def read_versions(
    url: str,
    origin: str,
    until: int,
    ready: asyncio.Event,
    arrived: Callable[[int, str], None],
    connected: Callable[[str], None] = lambda frame: None,
) -> None:
    """Connect, hand the connect snapshot to `connected`, set `ready`, then hand each later
    snapshot or delta frame to `arrived(version, frame)` until `until` has arrived."""
    from websockets.asyncio.client import connect

    async with connect(url, origin=origin, max_size=None, open_timeout=60) as ws:
        connected(await ws.recv())
        ready.set()
        while True:
            frame = await ws.recv()
            if frame.startswith(HEARTBEAT):
                continue
            version = int(VERSION.search(frame).group(1))
            arrived(version, frame)
            if version >= until:
                return


async def while_writing(
    readers: list, readies: list[asyncio.Event], write: Callable[[], None], timeout: float
) -> None:
    """Once every reader is connected, run `write` in a thread of its own (the services, as an
    editor's request would) and wait until every reader has had its last version."""
    await asyncio.gather(*(ready.wait() for ready in readies))
    writing = asyncio.create_task(asyncio.to_thread(write))
    await asyncio.wait_for(asyncio.gather(*readers), timeout)
    await writing


class Reader(threading.Thread):
    """Reads `url` with `origin` as a browser of that site would. With `only`, it keeps only a
    connection whose upstream is that one (nginx picks; others are closed and tried again)."""

    def __init__(
        self,
        url: str,
        origin: str,
        *,
        ssl: ssl_module.SSLContext | None = None,
        only: str | None = None,
        silence: float | None = None,
    ):
        super().__init__(daemon=True)
        self.url, self.origin, self.ssl, self.only = url, origin, ssl, only
        # As live.js: a connection silent this long (no snapshot, no heartbeat) is lost.
        self.silence = silence
        self.versions: list[int] = []
        # The upstream of each connection, in order.
        self.upstreams: list[str] = []
        self.errors: list[str] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        # asyncio in the thread, not websockets' sync client: that one, after its own handshake
        # timeout, joins its reading thread with no timeout, which can hang it for good; the
        # asyncio client gives an attempt up cleanly, and the reader tries again.
        asyncio.run(self._run())

    async def _run(self) -> None:
        from websockets.asyncio.client import connect

        while not self.stopping.is_set():
            try:
                async with connect(
                    self.url,
                    ssl=self.ssl,
                    origin=self.origin,
                    open_timeout=OPEN_TIMEOUT,
                    close_timeout=1,
                    max_size=None,
                ) as socket:
                    # nginx lists every upstream it tried; the last one answered.
                    upstream = socket.response.headers.get("X-Upstream", "?").split(", ")[-1]
                    if self.only and upstream != self.only:
                        self.errors.append(f"landed on {upstream}")
                        await asyncio.sleep(0.5)
                        continue
                    self.upstreams.append(upstream)
                    await self._read(socket)
            except (WebSocketException, OSError, TimeoutError) as exc:
                self.errors.append(repr(exc))
                await asyncio.sleep(0.2)

    async def _read(self, socket) -> None:
        heard, state = time.monotonic(), None
        while not self.stopping.is_set():
            try:
                # Cancelling the asyncio client's recv loses no frame.
                frame = json.loads(await asyncio.wait_for(socket.recv(), 0.2))
            except TimeoutError:
                if self.silence and time.monotonic() - heard > self.silence:
                    self.errors.append("silent")
                    return
                continue
            heard = time.monotonic()
            if frame["type"] != "heartbeat":
                # A delta onto any other version than the one shown raises: the server's mistake.
                state = followed(state, frame)
                self.versions.append(state["version"])

    @property
    def upstream(self) -> str:
        return self.upstreams[-1] if self.upstreams else ""

    def latest(self) -> int:
        return self.versions[-1] if self.versions else -1

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)


def describe(readers: list[Reader]) -> str:
    """Each reader's upstreams, versions and last errors, and where its thread is: what a
    failed wait prints."""
    frames = sys._current_frames()
    rows = []
    for r in readers:
        where = traceback.format_stack(frames[r.ident])[-3:] if r.ident in frames else []
        rows.append(f"{r.upstreams} got {r.versions}; errors {r.errors[-3:]}; at {''.join(where)}")
    return "\n".join(rows)
