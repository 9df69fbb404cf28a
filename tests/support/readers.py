"""A reader's websocket as a thread: the versions of the snapshots it received, the upstream of
each connection (nginx's X-Upstream header, where the test adds it), and the errors between them.
It reconnects by itself when its socket drops, as live.js does."""

import json
import ssl as ssl_module
import sys
import threading
import time
import traceback

from websockets.exceptions import WebSocketException
from websockets.sync.client import connect


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
        while not self.stopping.is_set():
            try:
                # As long as a browser would wait: nginx may first try processes on a lost host
                # (2 s each). And websockets' sync client can hang for good after its own
                # handshake timeout (it joins its reading thread with no timeout).
                with connect(
                    self.url, ssl=self.ssl, origin=self.origin, open_timeout=20, close_timeout=1
                ) as socket:
                    # nginx lists every upstream it tried; the last one answered.
                    upstream = socket.response.headers.get("X-Upstream", "?").split(", ")[-1]
                    if self.only and upstream != self.only:
                        self.errors.append(f"landed on {upstream}")
                        time.sleep(0.5)
                        continue
                    self.upstreams.append(upstream)
                    self._read(socket)
            except (WebSocketException, OSError) as exc:
                self.errors.append(repr(exc))
                time.sleep(0.2)

    def _read(self, socket) -> None:
        heard = time.monotonic()
        while not self.stopping.is_set():
            try:
                frame = json.loads(socket.recv(timeout=0.2))
            except TimeoutError:
                if self.silence and time.monotonic() - heard > self.silence:
                    self.errors.append("silent")
                    return
                continue
            heard = time.monotonic()
            if frame["type"] == "snapshot":
                self.versions.append(frame["snapshot"]["version"])

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
