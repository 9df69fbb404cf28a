"""Drill 3: a reader that never reads while 50 announcements go out.

One Daphne process, 50 ordinary readers (live.js's policy) and one socket that completes the
websocket handshake and then never reads again (its receive buffer shrunk to 4 KB, so the
backlog stays in the server). A writer process makes 50 writes, one every 0.3 s. Samples the
server's RSS and, with `ss`, what the kernel holds queued for the slow socket; then waits for the
server to drop it (closed as too slow once its queue passes WEBSOCKET_MAX_QUEUED_BYTES for 2 s,
docs/protocol.md; failing that, Daphne pings every 20 s and drops a socket that has not answered
30 s later), and lets it reconnect like live.js does, which fetches the API and is up to date
again. Memory with 100 such readers and a large ceremony: tests/perf/slow_readers_memory.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_drill \
    REDIS_URL=redis://127.0.0.1:6379/0 REDIS_PREFIX=drill \
    .venv/bin/python tests/drills/slow_reader.py

The database named is flushed. Prints PASS or FAIL; exit status 0 or 1.
"""

import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.drills import common
from tests.drills.common import COMMIT_LINE, Reader, result, writer
from tests.support import stack
from tests.support.rawsocket import never_reading_socket
from tests.support.servers import poll_async

DROP_TIMEOUT = 90


def still_open(local_port: int, server_port: int) -> bool:
    """Whether the server's end of the slow reader's connection is still established."""
    out = subprocess.run(
        ["ss", "-tnH", "state", "established", f"( sport = :{server_port} )"],
        capture_output=True,
        text=True,
    ).stdout
    return f":{local_port} " in out + " "


async def drill(args) -> bool:
    env = stack.production_env()
    stack.prepare(env)
    workdir = Path(tempfile.mkdtemp(prefix="drill-slow-"))
    server = stack.Server(args.server, args.port, env, workdir / "server.log", gc_log=False)
    server.start()
    readers = [Reader(i, "127.0.0.1", args.port) for i in range(args.readers)]
    until = time.monotonic() + args.deadline
    tasks = [asyncio.create_task(r.run(until)) for r in readers]
    samples: list[int] = []
    try:
        await poll_async(lambda: all(r.connected and r.applied >= 0 for r in readers), 60)
        # --control: the same run without the slow reader, to tell its share of the growth.
        slow = None if args.control else never_reading_socket(args.port, stack.SLUG)
        slow_port = slow.getsockname()[1] if slow else None
        await asyncio.sleep(1)
        baseline = server.rss_bytes()
        start_version = stack.ceremony_version(env)
        write = writer(env, args.writes, args.interval, workdir / "writer.log")
        started = time.monotonic()
        while write.poll() is None and time.monotonic() - started < 120:
            samples.append(server.rss_bytes())
            await asyncio.sleep(0.5)
        commits = {int(v): float(t) for v, t in COMMIT_LINE.findall(write.stdout.read())}
        final = stack.ceremony_version(env)
        others_ok = await poll_async(lambda: all(r.applied == final for r in readers), 10)
        # Every ordinary reader saw every version, in order, none twice.
        gapless = all(
            sorted(v for v in r.pages if v > start_version)
            == list(range(start_version + 1, final + 1))
            for r in readers
        )
        waited = time.monotonic()
        dropped = False
        while slow and time.monotonic() - waited < DROP_TIMEOUT:
            samples.append(server.rss_bytes())
            if not still_open(slow_port, args.port):
                dropped = True
                break
            await asyncio.sleep(0.5)
        dropped_after = time.monotonic() - started
        after_drop = server.rss_bytes()
        if slow:
            slow.close()
        # Like live.js after its socket closes: reconnect (a re-open fetches the API first).
        comeback = Reader(args.readers, "127.0.0.1", args.port)
        comeback.opened = True
        task = asyncio.create_task(comeback.run(time.monotonic() + 30))
        resynced = await poll_async(lambda: comeback.applied == final, 20)
        comeback.stopping = True
        await task
    finally:
        for r in readers:
            r.stopping = True
        await asyncio.gather(*tasks, return_exceptions=True)
        server.stop()
    delays = sorted(
        (r.arrived[v] - t) * 1000 for r in readers for v, t in commits.items() if v in r.arrived
    )
    slowest = delays[-1] if delays else float("inf")
    peak = max(samples, default=baseline)
    growth = (peak - baseline) / 2**20
    print(
        f"{args.writes} writes (versions {start_version + 1}-{final}) to {args.readers} readers "
        f"and one that never reads; server RSS {baseline / 2**20:.1f} MB before, peak "
        f"{peak / 2**20:.1f} MB (+{growth:.1f} MB), {after_drop / 2**20:.1f} MB after the drop; "
        f"slow reader {'dropped' if dropped else 'NOT dropped'} {dropped_after:.0f} s after the "
        f"first write; on reconnecting it showed version {comeback.applied}; the other readers: "
        f"commit to page median {delays[len(delays) // 2]:.0f} ms, max {slowest:.0f} ms",
        flush=True,
    )
    checks = {
        "the other readers got every version in order, none missing": others_ok and gapless,
        "the other readers were not held up (every delivery within 1 s)": slowest < 1000,
        f"server memory bounded (grew {growth:.1f} MB < {args.max_growth_mb} MB)": growth
        < args.max_growth_mb,
        "the slow reader was dropped by the server": dropped,
        "once reconnected it shows the final version": resynced,
    }
    if args.control:
        checks.pop("the slow reader was dropped by the server")
    return result(
        "drill 3 (a reader that never reads)" + (" control" if args.control else ""), checks
    )


def main() -> None:
    parser = common.options(__doc__, readers=50, writes=50, interval=0.3, port=8620)
    parser.add_argument("--server", choices=["daphne", "uvicorn"], default="daphne")
    parser.add_argument("--max-growth-mb", type=float, default=20)
    parser.add_argument("--control", action="store_true", help="no slow reader (a baseline)")
    common.run_drill(drill, parser.parse_args())


if __name__ == "__main__":
    main()
