"""Connects per second to one Daphne process, and a reconnect storm after it restarts; with
--edge, to the edge tier (one nginx worker with Nchan and the shipped edge files, the heartbeat
running), killed (every nginx process) and started again for the storm.

Rate: one Daphne process whose readers watch the 97th Academy Awards (one reader connected first,
so the process knows the ceremony, as during a show); --readers more connect, --concurrency at a
time from --clients processes (storm_clients.py), each counted once its first snapshot has
arrived. Median of --runs, each on a fresh process.

Storm (--storm): then the process is killed with every reader connected and started again; the
readers reconnect as live.js does (a failed attempt waits a random 0 to min(30 s, 1 s x 2^n); an
attempt not open within 20 s has failed), and the time from the kill until every reader has the
current version again is reported, with how many were back 5, 10 and 20 s after the kill, the
failed attempts by their error and the CPU time of the server and of the client processes (the
readers).

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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.support import leanreader, stack
from tests.support.edge import PlainEdge

HERE = Path(__file__).resolve().parent


class Clients:
    """The readers, shared out over --clients client processes (storm_clients.py)."""

    def __init__(self, args, url: str):
        shares = [
            args.readers // args.clients + (i < args.readers % args.clients)
            for i in range(args.clients)
        ]
        self.processes = [
            subprocess.Popen(
                [
                    *(sys.executable, HERE / "storm_clients.py", "--url", url),
                    *("--count", str(share), "--storm-deadline", str(args.storm_deadline)),
                    *("--concurrency", str(max(1, args.concurrency // args.clients))),
                    *(["--storm"] if args.storm else []),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for share in shares
        ]

    def events(self, name: str) -> list[dict]:
        """Each process's next line, which must be the event `name`."""
        lines = [json.loads(p.stdout.readline() or "{}") for p in self.processes]
        assert all(line.get("event") == name for line in lines), lines
        return lines

    def stop(self) -> None:
        for process in self.processes:
            with contextlib.suppress(OSError):
                process.stdin.close()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def run(args, env: dict, workdir: Path, number: int) -> dict:
    if args.edge:
        server = PlainEdge(env, args.port, workdir / f"edge-{number}")
    else:
        server = stack.Server(
            "daphne", args.port, env, workdir / f"server-{number}.log", gc_log=False
        )
    server.start()
    url = f"ws://127.0.0.1:{args.port}/ws/ceremonies/{stack.SLUG}/"
    first, clients = None, None
    try:
        # One reader before the others, so that the process knows the ceremony, as in a show.
        first, _ = await leanreader.connect(url, "127.0.0.1")
        clients = Clients(args, url)
        connected = await asyncio.to_thread(clients.events, "connected")
        # From each process's first attempt to its last reader (not its start-up).
        elapsed = max(c["seconds"] for c in connected)
        ok = sum(c["ok"] for c in connected)
        figures = {"rate": ok / elapsed, "seconds": elapsed, "ok": ok}
        if args.storm:
            version = stack.ceremony_version(env)
            await asyncio.sleep(1)
            cut = time.monotonic()
            server.kill()
            # The readers' attempts go on (and fail) while it starts.
            await asyncio.to_thread(server.start)
            ready = time.monotonic()
            done = await asyncio.to_thread(clients.events, "done")
            back_at = sorted(t - cut for c in done for t in c["back_at"])
            everyone = len(back_at) == ok
            figures["storm_seconds"] = back_at[-1] if everyone else args.storm_deadline
            figures["cpu"] = (server.cpu_seconds(), sum(c["cpu"] for c in done))
            figures["restart_seconds"] = ready - cut
            figures["back"] = len(back_at)
            figures["current"] = sum(c["versions"].get(str(version), 0) for c in done)
            figures["failures"] = sum(
                (collections.Counter(c["failures"]) for c in done), collections.Counter()
            )
            figures["back_at"] = back_at
    finally:
        if clients is not None:
            await asyncio.to_thread(clients.stop)
        if first is not None:
            first.close()
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
        f"{args.readers} readers in {args.clients} client processes, "
        f"{args.concurrency} connecting at a time, "
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
    parser.add_argument(
        "--clients", type=int, default=1, help="client processes sharing the readers out"
    )
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
