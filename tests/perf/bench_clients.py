"""One client process of the fan-out benchmark: COUNT reader websockets, spread round-robin over
the given server URLs and local source addresses, each reading every frame until FINAL.

Prints JSON lines on stdout: `{"event": "connected", ...}` once every connection has been tried,
then `{"event": "done", ...}` with, per version, the first and last arrival time and how many
readers had it. Stops by itself at the deadline (one for connecting, one for reading) whatever
happens.

Readers behave like a browser's socket minus the parts that cost the client CPU but change
nothing on the server: no permessage-deflate (Daphne does not negotiate it; uvicorn is run with
it off too), no client pings (browsers send none; server pings are still answered), frames kept
as bytes (the version is read from the first bytes, not by parsing 31 KB of JSON).
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


async def read(ws, seen: int, stats: Stats, final: int, deadline: list[float]) -> None:
    while seen < final:
        remaining = deadline[0] - time.monotonic()
        if remaining <= 0:
            return
        frame = await asyncio.wait_for(ws.recv(decode=False), remaining)
        at = time.time()
        if frame.startswith(HEARTBEAT):
            continue
        version = version_of(frame)
        if version <= seen:
            stats.duplicates += 1
            continue
        if version != seen + 1:
            stats.out_of_order += 1
        stats.arrived(version, at)
        seen = version
    stats.complete += 1


async def main_async(args) -> None:
    from websockets.asyncio.client import connect

    urls = args.urls.split(",")
    sources = args.sources.split(",")
    stats = Stats()
    gate = asyncio.Semaphore(args.concurrency)
    sockets = []
    # One for connecting, then a new one for reading: a slow connect must not eat the readings.
    deadline = [time.monotonic() + args.deadline]
    connected_at: list[float] = []

    async def open_one(i: int):
        url = urls[i % len(urls)]
        origin = url.replace("ws://", "http://").split("/ws/")[0]
        async with gate:
            try:
                ws = await connect(
                    url,
                    origin=origin,
                    max_size=2**22,
                    open_timeout=60,
                    ping_interval=None,
                    compression=None,
                    local_addr=(sources[i % len(sources)], 0),
                )
                # Connected once the first frame (the snapshot, or Nchan's kept frames) is read:
                # reading it must not overlap the announcements.
                seen = version_of(await asyncio.wait_for(ws.recv(decode=False), 60))
            except Exception as exc:
                stats.errors[f"{type(exc).__name__}: {exc}"[:120]] += 1
                return None
        connected_at.append(time.time())
        sockets.append(ws)
        return ws, seen

    async def one(i: int):
        opened = await open_one(i)
        if opened is None:
            return
        try:
            await read(*opened, stats, args.final, deadline)
        except TimeoutError:
            pass
        except Exception as exc:
            stats.closed_early += 1
            stats.errors[f"{type(exc).__name__}"[:120]] += 1

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
