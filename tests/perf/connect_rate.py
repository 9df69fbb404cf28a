"""Connects per second to one Daphne process, and a reconnect storm after it restarts; with
--edge, to the edge tier (one nginx worker with Nchan and the shipped edge files, the heartbeat
running), killed (every nginx process) and started again for the storm.

Rate: one Daphne process whose readers watch the 97th Academy Awards (one reader connected first,
so the process knows the ceremony, as during a show); --readers more connect, --concurrency at a
time, each counted once its first snapshot has arrived. Median of --runs, each on a fresh process.

Storm (--storm): then the process is killed with every reader connected and started again; the
readers reconnect as live.js does (a failed attempt waits a random 0 to min(30 s, 1 s x 2^n); an
attempt not open within 20 s has failed), and the time from the kill until every reader has the
current version again is reported, with how many were back 5, 10 and 20 s after the kill, the
failed attempts by their error and the CPU time of the server and of this process (the readers).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_perf \
    REDIS_URL=redis://127.0.0.1:6379/0 REDIS_PREFIX=perf \
    .venv/bin/python tests/perf/connect_rate.py --readers 2000 --storm

The database named is flushed. Figures: docs/performance.md (*Connecting*).
"""

import argparse
import asyncio
import bisect
import collections
import contextlib
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from websockets.asyncio.client import connect

from tests.support import stack
from tests.support.edge import PlainEdge

# The snapshot's version is its first "version" field (after "ceremony", which has none): read
# from the frame's head rather than by parsing 45 KB, which would make this process, on the same
# cores, the storm's bottleneck instead of the server.
VERSION = re.compile(r'"version":(\d+)')


def version_of(frame: str) -> int:
    assert frame.startswith('{"type":"snapshot"'), frame[:80]
    return int(VERSION.search(frame, 0, 4096).group(1))


class Reader:
    def __init__(self, url: str, origin: str):
        self.url, self.origin = url, origin
        self.socket = None
        self.version = None
        # The storm's failed attempts, by the exception's name.
        self.failures: collections.Counter[str] = collections.Counter()
        self.back_at: float | None = None

    async def open(self) -> None:
        # As long as live.js gives an attempt to open (OPENING_MS).
        self.socket = await connect(self.url, origin=self.origin, max_size=None, open_timeout=20)
        self.version = version_of(await self.socket.recv())

    async def come_back(self, until: float) -> bool:
        """After the cut: wait for the close, then reconnect with live.js's backoff."""
        failures = 0
        with contextlib.suppress(Exception):
            await self.socket.wait_closed()
        while time.monotonic() < until:
            failures += 1
            await asyncio.sleep(random.uniform(0, min(30, 2**failures)))
            try:
                await self.open()
                self.back_at = time.monotonic()
                return True
            except Exception as error:
                self.failures[type(error).__name__] += 1
        return False

    async def drain(self) -> None:
        # Heartbeats: read them, as a browser does.
        with contextlib.suppress(Exception):
            async for _ in self.socket:
                pass


async def connect_all(readers: list[Reader], concurrency: int) -> float:
    """Connect every reader, `concurrency` at a time; one the server fails (Daphne drops a
    handshake it has not accepted within 5 s) is left unconnected and not counted."""
    gate = asyncio.Semaphore(concurrency)

    async def one(reader: Reader) -> None:
        async with gate:
            with contextlib.suppress(Exception):
                await reader.open()

    started = time.monotonic()
    await asyncio.gather(*(one(r) for r in readers))
    return time.monotonic() - started


async def run(args, env: dict, workdir: Path, number: int) -> dict:
    if args.edge:
        server = PlainEdge(env, args.port, workdir / f"edge-{number}")
    else:
        server = stack.Server(
            "daphne", args.port, env, workdir / f"server-{number}.log", gc_log=False
        )
    server.start()
    url = f"ws://127.0.0.1:{args.port}/ws/ceremonies/{stack.SLUG}/"
    origin = f"http://127.0.0.1:{args.port}"
    first = Reader(url, origin)
    readers = [Reader(url, origin) for _ in range(args.readers)]
    drains = []
    try:
        await first.open()
        elapsed = await connect_all(readers, args.concurrency)
        readers = [r for r in readers if r.version is not None]
        drains = [asyncio.create_task(r.drain()) for r in [first, *readers]]
        figures = {"rate": len(readers) / elapsed, "seconds": elapsed, "ok": len(readers)}
        if args.storm:
            version = stack.ceremony_version(env)
            await asyncio.sleep(1)
            cut, client_cpu = time.monotonic(), time.process_time()
            server.kill()
            for task in drains:
                task.cancel()
            until = cut + args.storm_deadline
            comebacks = [asyncio.create_task(r.come_back(until)) for r in readers]
            # In a thread: the readers' attempts go on (and fail) while it starts.
            await asyncio.to_thread(server.start)
            ready = time.monotonic()
            back = await asyncio.gather(*comebacks)
            figures["storm_seconds"] = time.monotonic() - cut
            figures["cpu"] = (server.cpu_seconds(), time.process_time() - client_cpu)
            figures["restart_seconds"] = ready - cut
            figures["back"] = sum(back)
            figures["current"] = sum(
                ok and r.version == version for ok, r in zip(back, readers, strict=True)
            )
            figures["failures"] = sum((r.failures for r in readers), collections.Counter())
            figures["back_at"] = sorted(r.back_at - cut for r in readers if r.back_at)
    finally:
        for task in drains:
            task.cancel()
        await asyncio.gather(
            *(r.socket.close() for r in [first, *readers] if r.socket), return_exceptions=True
        )
        server.stop()
    return figures


def back_by(times: list[float]) -> list[str]:
    """How many readers of the storm were back 5, 10 and 20 s after the kill."""
    return [str(bisect.bisect(times, seconds)) for seconds in (5, 10, 20)]


async def main_async(args) -> None:
    env = stack.production_env()
    stack.prepare(env, static=False)
    workdir = Path(tempfile.mkdtemp(prefix="perf-connect-"))
    results = []
    for n in range(args.runs):
        figures = await run(args, env, workdir, n)
        results.append(figures)
        line = (
            f"  run {n + 1}: {figures['ok']} of {args.readers} connected, "
            f"{figures['rate']:.0f} connects/s ({figures['seconds']:.1f} s)"
        )
        if args.storm:
            line += (
                f"; storm: {figures['back']} of {figures['ok']} back within "
                f"{args.storm_deadline:.0f} s, {figures['current']} of them on the current "
                "version; the last "
                f"{figures['storm_seconds']:.1f} s after the kill (the "
                f"restarted process answered after {figures['restart_seconds']:.1f} s); "
                f"back by 5/10/20 s: {', '.join(back_by(figures['back_at']))}; "
                f"failed attempts: {dict(figures['failures']) or 'none'}; CPU seconds: "
                f"server {figures['cpu'][0]:.1f}, readers {figures['cpu'][1]:.1f}"
            )
        print(line, flush=True)
    print(
        f"{args.readers} readers, {args.concurrency} connecting at a time, "
        f"{'the edge (one nginx worker)' if args.edge else 'one Daphne process'}: "
        f"median {statistics.median(r['rate'] for r in results):.0f} connects/s over "
        f"{args.runs} runs"
        + (
            f"; storm median {statistics.median(r['storm_seconds'] for r in results):.1f} s"
            if args.storm
            else ""
        ),
        flush=True,
    )
    if args.json:
        for r in results:
            r["back_by_5_10_20"] = back_by(r.pop("back_at", []))
            r["failures"] = dict(r.get("failures", {}))
        args.json.write_text(json.dumps({"readers": args.readers, "runs": results}, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8650)
    parser.add_argument("--storm", action="store_true")
    parser.add_argument("--storm-deadline", type=float, default=120)
    parser.add_argument(
        "--edge",
        action="store_true",
        help="the edge tier (nginx's Nchan, tests/support/edge.py) instead of a Daphne process",
    )
    parser.add_argument("--json", type=Path, help="write the runs' figures here")
    args = parser.parse_args()
    stack.raise_open_files()
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
