"""One client process of connect_rate.py: COUNT readers of one websocket URL, CONCURRENCY
connecting at a time, each counted once its first frame (the snapshot) has arrived; with
--storm, each reader whose socket closes reconnects as live.js does (a failed attempt waits a
random 0 to min(30 s, 1 s x 2^n); an attempt not open within 20 s has failed) until it is back
or the deadline passes.

JSON lines on stdout: `{"event": "connected", ...}` once every reader has been tried; then, with
--storm, `{"event": "done", ...}` once every reader is back or given up (back times on the
system's monotonic clock, which the parent shares, and each reader's version once back); without,
it waits for stdin to close. The readers send no pings (browsers send none) and offer no
compression; each is tests/support/leanreader.py's, not the websockets library's, so that the
storm measures the server rather than this process.
"""

import argparse
import asyncio
import collections
import contextlib
import json
import os
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.support import leanreader
from tests.support.stack import raise_open_files

# The snapshot's version is its first "version" field (after "ceremony", which has none): read
# from the frame's head rather than by parsing 45 KB.
VERSION = re.compile(rb'"version":(\d+)')


def version_of(frame: bytes) -> int:
    assert frame.startswith(b'{"type":"snapshot"'), frame[:80]
    return int(VERSION.search(frame, 0, 4096).group(1))


class Reader:
    def __init__(self, url: str, source: str):
        self.url, self.source = url, source
        self.socket: leanreader.Socket | None = None
        self.version: int | None = None
        # The storm's failed attempts, by the exception's name.
        self.failures: collections.Counter[str] = collections.Counter()
        self.back_at: float | None = None

    async def open(self) -> None:
        # As long as live.js gives an attempt to open (OPENING_MS).
        self.socket, first = await leanreader.connect(self.url, self.source, timeout=20)
        self.version = version_of(first)

    async def come_back(self, cut: list, deadline: float) -> bool:
        """Read the heartbeats until the socket closes, then reconnect with live.js's backoff."""
        await self.socket.closed
        if not cut:
            # The first close this process saw: its CPU from here is the storm's.
            cut.append(time.process_time())
        until = time.monotonic() + deadline
        failures = 0
        while time.monotonic() < until:
            failures += 1
            ceiling = min(30, 2**failures)
            await asyncio.sleep(random.uniform(ceiling / 4, ceiling))
            try:
                await self.open()
                self.back_at = time.monotonic()
                return True
            except Exception as error:
                self.failures[type(error).__name__] += 1
        return False


def emit(event: str, **figures) -> None:
    print(json.dumps({"event": event, **figures}), flush=True)


async def main_async(args) -> None:
    sources = args.sources.split(",")
    readers = [Reader(args.url, sources[i % len(sources)]) for i in range(args.count)]
    gate = asyncio.Semaphore(args.concurrency)

    async def one(reader: Reader) -> None:
        async with gate:
            # One the server fails (Daphne drops a handshake it has not accepted within 5 s) is
            # left unconnected and not counted.
            with contextlib.suppress(Exception):
                await reader.open()

    started = time.monotonic()
    await asyncio.gather(*(one(r) for r in readers))
    readers = [r for r in readers if r.version is not None]
    emit("connected", ok=len(readers), seconds=time.monotonic() - started)
    if args.storm:
        cut: list[float] = []
        back = await asyncio.gather(*(r.come_back(cut, args.storm_deadline) for r in readers))
        emit(
            "done",
            back_at=[r.back_at for r in readers if r.back_at],
            versions=collections.Counter(
                r.version for ok, r in zip(back, readers, strict=True) if ok
            ),
            failures=sum((r.failures for r in readers), collections.Counter()),
            cpu=time.process_time() - (cut[0] if cut else time.process_time()),
        )
    else:
        # Held until the parent closes stdin: its readers stay connected meanwhile.
        await asyncio.to_thread(sys.stdin.read)
    # Thousands of sockets: let the process's exit close them, not a close handshake each.
    os._exit(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--sources", default=",".join(f"127.0.0.{i}" for i in range(2, 10)))
    parser.add_argument("--storm", action="store_true")
    parser.add_argument("--storm-deadline", type=float, default=120)
    args = parser.parse_args()
    raise_open_files()
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
