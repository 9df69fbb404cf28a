"""One client process of the fan-out benchmark: COUNT reader websockets, spread round-robin over
the given server URLs and local source addresses, each reading every frame until FINAL.

Prints JSON lines on stdout: `{"event": "connected", ...}` once every connection has been tried,
then `{"event": "done", ...}` with, per version, the first and last arrival time and how many
readers had it. Stops by itself at the deadline (one for connecting, one for reading) whatever
happens.

Readers behave like a browser's socket minus the parts that cost the client CPU but change
nothing on the server (tests/support/leanreader.py): no permessage-deflate (Daphne does not
negotiate it; uvicorn is run with it off too), no client pings (browsers send none; server pings
are answered), frames kept as bytes (the version is read from the first bytes, not by parsing
31 KB of JSON).
"""

import argparse
import asyncio
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.support import leanreader
from tests.support.stack import cpu_seconds, raise_open_files

VERSION = re.compile(rb'"version":(\d+)')
# The server's heartbeat names a version too (the newest it knows, possibly still on its way to
# this reader): it is not a snapshot, and counting it would time arrivals that have not happened.
HEARTBEAT = b'{"type":"heartbeat"'
# The version is in the ceremony summary near the start of the snapshot.
HEAD = 2000


def version_of(frame: bytes) -> int:
    return int(VERSION.search(frame, 0, HEAD).group(1))


class Stats:
    def __init__(self):
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.count: Counter = Counter()
        self.duplicates = 0
        self.out_of_order = 0
        self.complete = 0
        self.closed_early = 0
        self.errors: Counter = Counter()

    def arrived(self, version: int, at: float) -> None:
        if version not in self.first:
            self.first[version] = at
        self.last[version] = at
        self.count[version] += 1


class Reading:
    """One reader's frames after its first: each new version timed, until FINAL."""

    def __init__(self, seen: int, stats: Stats, final: int):
        self.seen, self.stats, self.final = seen, stats, final
        self.done = asyncio.get_running_loop().create_future()

    def frame(self, frame: bytes) -> None:
        at = time.time()
        if frame.startswith(HEARTBEAT) or self.done.done():
            return
        version = version_of(frame)
        if version <= self.seen:
            self.stats.duplicates += 1
            return
        if version != self.seen + 1:
            self.stats.out_of_order += 1
        self.stats.arrived(version, at)
        self.seen = version
        if version >= self.final:
            self.stats.complete += 1
            self.done.set_result(None)


async def main_async(args) -> None:
    urls = args.urls.split(",")
    sources = args.sources.split(",")
    stats = Stats()
    gate = asyncio.Semaphore(args.concurrency)
    sockets = []
    # One for connecting, then a new one for reading: a slow connect must not eat the readings.
    deadline = [time.monotonic() + args.deadline]
    connected_at: list[float] = []

    async def one(i: int):
        reading = None

        def frame(payload: bytes) -> None:
            # Frames after the first, once the reader is counted (none arrive before then but
            # Nchan's kept ones, which are not announcements).
            if reading is not None:
                reading.frame(payload)

        async with gate:
            try:
                socket, first = await leanreader.connect(
                    urls[i % len(urls)], sources[i % len(sources)], frame, timeout=60
                )
                # Connected once the first frame (the snapshot, or Nchan's kept frames) is read:
                # reading it must not overlap the announcements.
                seen = version_of(first)
            except Exception as exc:
                stats.errors[f"{type(exc).__name__}: {exc}"[:120]] += 1
                return
        connected_at.append(time.time())
        sockets.append(socket)
        reading = Reading(seen, stats, args.final)
        if seen >= args.final:
            reading.done.set_result(None)
        lost = asyncio.ensure_future(socket.closed)
        # No timeout of its own (a timer per reader would cost this process more than its
        # frames): past the reading deadline the process reports and exits.
        await asyncio.wait([reading.done, lost], return_when=asyncio.FIRST_COMPLETED)
        if not reading.done.done() and lost.done():
            stats.closed_early += 1
            stats.errors["closed"] += 1

    started = time.time()
    tasks = [asyncio.create_task(one(i)) for i in range(args.count)]
    while len(connected_at) + sum(stats.errors.values()) < args.count:
        if time.monotonic() > deadline[0]:
            break
        await asyncio.sleep(0.05)
    deadline[0] = time.monotonic() + args.deadline
    print(
        json.dumps(
            {
                "event": "connected",
                "ok": len(connected_at),
                "failed": args.count - len(connected_at),
                "started": started,
                "last_connected": max(connected_at, default=started),
                "errors": dict(stats.errors.most_common(5)),
                "client_cpu_s": cpu_seconds(os.getpid()),
            }
        ),
        flush=True,
    )
    await asyncio.wait(tasks, timeout=max(0.0, deadline[0] - time.monotonic()))
    print(
        json.dumps(
            {
                "event": "done",
                "readers": len(connected_at),
                "versions": {
                    v: [stats.first[v], stats.last[v], stats.count[v]] for v in sorted(stats.first)
                },
                "complete": stats.complete,
                "duplicates": stats.duplicates,
                "out_of_order": stats.out_of_order,
                "closed_early": stats.closed_early,
                "errors": dict(stats.errors.most_common(5)),
                "client_cpu_s": cpu_seconds(os.getpid()),
            }
        ),
        flush=True,
    )
    # Thousands of sockets: let the process's exit close them, not a close handshake each.
    os._exit(0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--urls", required=True, help="comma-separated ws:// URLs")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--final", type=int, required=True, help="the last version to wait for")
    parser.add_argument("--sources", default=",".join(f"127.0.0.{i}" for i in range(2, 10)))
    parser.add_argument("--concurrency", type=int, default=50, help="handshakes in flight")
    parser.add_argument("--deadline", type=float, default=600, help="seconds, then stop")
    args = parser.parse_args()
    raise_open_files()
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
