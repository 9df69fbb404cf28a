"""Scripted readers: for the benchmarks (tests/perf), an async websocket handing each version's
frame to a callback, the version read from the frame's first bytes rather than by parsing tens of
kilobytes of JSON per reader; for the drills of several processes and hosts, a reader's websocket
as a thread that follows snapshots and deltas as live.js does, noting each connection's upstream
(nginx's X-Upstream header, where the test adds it) and the errors between them, and reconnecting
by itself when its socket drops: to the site's next address when it has several (a name with an
address per edge host), and, through the edge tier, fetching the API as live.js does."""

import asyncio
import json
import re
import ssl as ssl_module
import sys
import threading
import time
import traceback
import urllib.parse
import urllib.request
from collections.abc import Callable

from websockets.exceptions import WebSocketException

from tests.support.deltas import followed, frame_version, patched

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
    connection whose upstream is that one (nginx picks; others are closed and tried again).

    `url` may be a list: the addresses of the site's name in the order the reader's resolver
    gives them; each attempt tries them in turn, the next when one fails to open.

    With `api` (the ceremony's API path), it follows the socket as live.js does through the edge
    tier (docs/protocol.md, *The client*): it starts from the API's snapshot (the page's), fetches
    the API after every reconnect, on a gap and on two heartbeats ahead of it, and ignores what
    it already shows; `versions` is then every version it showed, in order. Without, each
    connection starts from the socket's snapshot and a delta onto another version raises."""

    def __init__(
        self,
        url: str | list[str],
        origin: str,
        *,
        ssl: ssl_module.SSLContext | None = None,
        only: str | None = None,
        silence: float | None = None,
        api: str | None = None,
    ):
        super().__init__(daemon=True)
        self.urls = [url] if isinstance(url, str) else list(url)
        self.url, self.origin, self.ssl, self.only, self.api = self.urls[0], origin, ssl, only, api
        # As live.js: a connection silent this long (no snapshot, no heartbeat) is lost.
        self.silence = silence
        self.versions: list[int] = []
        # The upstream of each connection, in order (nginx's header, else the address reached).
        self.upstreams: list[str] = []
        self.errors: list[str] = []
        self.stopping = threading.Event()
        # With `api`: the snapshot shown, and whether the last heartbeat was ahead of it.
        self.state: dict | None = None
        self.behind = False
        # Why it fetched the API, each time: "page", "reconnect", "gap" or "heartbeat".
        self.fetches: list[str] = []

    def run(self) -> None:
        # asyncio in the thread, not websockets' sync client: that one, after its own handshake
        # timeout, joins its reading thread with no timeout, which can hang it for good; the
        # asyncio client gives an attempt up cleanly, and the reader tries again.
        asyncio.run(self._run())

    async def _run(self) -> None:
        if self.api:
            while self.state is None and not self.stopping.is_set():
                if not await self._fetch(self.urls[0], "page"):
                    await asyncio.sleep(0.2)
        while not self.stopping.is_set():
            opened = await self._open()
            if opened is not None:
                socket, url = opened
                try:
                    async with socket:
                        if self.api and len(self.upstreams) > 1:
                            # live.js: after any reconnect, the API before anything else.
                            await self._fetch(url, "reconnect")
                        await self._read(socket, url)
                except (WebSocketException, OSError, TimeoutError) as exc:
                    self.errors.append(repr(exc))
            await asyncio.sleep(0.2)

    async def _open(self):
        """A socket open on the first of the site's addresses that opens one, and its URL; None
        if none did."""
        from websockets.asyncio.client import connect

        for url in self.urls:
            if self.stopping.is_set():
                return None
            try:
                socket = await connect(
                    url,
                    ssl=self.ssl,
                    origin=self.origin,
                    open_timeout=OPEN_TIMEOUT,
                    close_timeout=1,
                    max_size=None,
                )
            except (WebSocketException, OSError, TimeoutError) as exc:
                self.errors.append(f"{url}: {exc!r}")
                continue
            # nginx lists every upstream it tried; the last one answered.
            upstream = socket.response.headers.get("X-Upstream", "").split(", ")[-1]
            host, port = socket.remote_address[:2]
            upstream = upstream or f"{host}:{port}"
            if self.only and upstream != self.only:
                self.errors.append(f"landed on {upstream}")
                await socket.close()
                await asyncio.sleep(0.5)
                return None
            self.upstreams.append(upstream)
            return socket, url
        return None

    async def _read(self, socket, url: str) -> None:
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
            if self.api:
                await self._receive(frame, url)
            elif frame["type"] != "heartbeat":
                # A delta onto any other version than the one shown raises: the server's mistake.
                state = followed(state, frame)
                self.versions.append(state["version"])

    # --- as live.js's receive, resync and heartbeat -------------------------------------------

    def _shown(self) -> int:
        return self.state["version"]

    def _follows(self, frame: dict) -> bool:
        if frame["type"] == "delta":
            return frame["base"] == self._shown()
        return frame["snapshot"]["version"] == self._shown() + 1

    def _apply(self, state: dict) -> None:
        self.state = state
        self.versions.append(state["version"])

    def _apply_frame(self, frame: dict) -> None:
        if frame["type"] == "delta":
            self._apply(patched(self.state, frame["changes"]))
        else:
            self._apply(frame["snapshot"])

    async def _receive(self, frame: dict, url: str) -> None:
        if frame["type"] == "heartbeat":
            if not frame["version"] > self._shown():
                self.behind = False
            elif self.behind:
                self.behind = False
                await self._fetch(url, "heartbeat")
            else:
                self.behind = True
        elif frame_version(frame) <= self._shown():
            return
        elif self._follows(frame):
            self._apply_frame(frame)
        else:
            fetched = await self._fetch(url, "gap")
            # What follows the version now shown; a whole snapshot is complete, should the
            # fetch have failed. Anything else is dropped: the heartbeats say so.
            if frame_version(frame) > self._shown() and (
                self._follows(frame) or (frame["type"] == "snapshot" and not fetched)
            ):
                self._apply_frame(frame)

    async def _fetch(self, url: str, why: str) -> bool:
        """GET the API from the site's address the socket is on, with `Cache-Control: no-cache`
        (live.js's fetch); apply it if newer. Whether it answered."""
        parts = urllib.parse.urlsplit(url)
        scheme = {"wss": "https", "ws": "http"}[parts.scheme]
        request = urllib.request.Request(
            f"{scheme}://{parts.netloc}{self.api}",
            headers={"Accept": "application/json", "Cache-Control": "no-cache"},
        )

        def get() -> dict:
            opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=self.ssl))
            with opener.open(request, timeout=OPEN_TIMEOUT) as response:
                return json.loads(response.read())

        self.fetches.append(why)
        try:
            fresh = await asyncio.to_thread(get)
        except (OSError, ValueError) as exc:
            self.errors.append(f"API: {exc!r}")
            return False
        if self.state is None or fresh["version"] > self._shown():
            self._apply(fresh)
        return True

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
