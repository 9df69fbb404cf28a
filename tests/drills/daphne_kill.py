"""Drill 2: Daphne killed with SIGKILL in the middle of a replay, and restarted.

200 readers (live.js's policy, tests/drills/common.py) on one Daphne process; a writer process
makes 40 writes, one every 0.5 s; after 5 s Daphne gets SIGKILL and is started again on the same
port at once (what systemd's Restart=always does, without its 2 s pause). Measures how long until
every reader is connected again, the most reconnects in one second (the jitter must spread them),
whether every reader converges on the database's final version and state, pages that differ from
the server's snapshot of their version, and snapshot builds per version per process (from the
server's log: tests/perf/serve.py --log-builds).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_drill \
    REDIS_URL=redis://127.0.0.1:6379/0 REDIS_PREFIX=drill \
    .venv/bin/python tests/drills/daphne_kill.py

The database named is flushed. Prints PASS or FAIL; exit status 0 or 1.
"""

import asyncio
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.drills import common
from tests.drills.common import (
    COMMIT_LINE,
    Reader,
    http_get,
    reconnect_rate,
    result,
    writer,
    wrong_pages,
)
from tests.support import stack
from tests.support.servers import poll_async

BUILD = re.compile(r"pid=(\d+) snapshot build ceremony=\d+ version=(\d+)")


async def drill(args) -> bool:
    env = stack.production_env()
    stack.prepare(env)
    workdir = Path(tempfile.mkdtemp(prefix="drill-kill-"))
    log = workdir / "daphne.log"
    server = stack.Server("daphne", args.port, env, log, gc_log=False, log_builds=True).start()
    readers = [Reader(i, "127.0.0.1", args.port) for i in range(args.readers)]
    until = time.monotonic() + args.deadline
    tasks = [asyncio.create_task(r.run(until)) for r in readers]
    restarted = killed = time.time()
    try:
        await poll_async(lambda: all(r.connected for r in readers), 60)
        print(f"{sum(r.connected for r in readers)} readers connected", flush=True)
        write = writer(env, args.writes, args.interval, workdir / "writer.log")
        await asyncio.sleep(args.kill_after)
        server.kill()
        killed = time.time()
        print(f"Daphne (pid {server.pid}) killed with SIGKILL at {time.strftime('%H:%M:%S')}")
        server = stack.Server("daphne", args.port, env, log, gc_log=False, log_builds=True)
        server.start()
        restarted = time.time()
        print(f"Daphne restarted (pid {server.pid}) {restarted - killed:.1f} s later", flush=True)
        await asyncio.to_thread(write.wait, 120)
        commits = dict(COMMIT_LINE.findall(write.stdout.read()))
        final = stack.ceremony_version(env)
        all_back = await poll_async(lambda: all(r.connected for r in readers), 90)
        back_at = max(r.opens[-1] for r in readers) if all_back else None
        converged = await poll_async(lambda: all(r.applied == final for r in readers), 30)
        status, body = await http_get("127.0.0.1", args.port, f"/api/ceremonies/{stack.SLUG}/")
        truth = {final: body.decode()}
    finally:
        for r in readers:
            r.stopping = True
        await asyncio.gather(*tasks, return_exceptions=True)
        server.stop()
    reconnects, peak, _ = reconnect_rate(readers, killed)
    wrong = wrong_pages(readers, truth)
    builds = Counter(BUILD.findall(log.read_text(errors="replace")))
    most_builds = max(builds.values(), default=0)
    spread = (back_at - restarted) if back_at else None
    print(
        f"writes committed: {len(commits)} (final version {final}); reconnects: {reconnects}, "
        f"peak {peak} per second; all {len(readers)} back {spread:.1f} s after the restart"
        if spread is not None
        else f"not all readers came back; reconnects {reconnects}",
        flush=True,
    )
    print(
        f"readers at the final version: {sum(r.applied == final for r in readers)}; "
        f"API fetches after reconnects/gaps: {sum(r.fetches for r in readers)}; "
        f"wrong pages: {wrong}; snapshot builds: {sum(builds.values())} over "
        f"{len(builds)} (process, version) pairs, at most {most_builds} per pair"
    )
    return result(
        "drill 2 (Daphne SIGKILLed and restarted)",
        {
            "every reader reconnected": all_back,
            "the jitter spread the reconnects (peak < half the readers in one second)": peak
            < len(readers) / 2,
            "every reader converged on the database's final version": converged,
            "the final page equals the API's": status == 200 and wrong == 0,
            "0 wrong pages": wrong == 0,
            "one snapshot build per version per process": most_builds <= 1,
        },
    )


def main() -> None:
    parser = common.options(__doc__, readers=200, writes=40, interval=0.5, port=8600)
    parser.add_argument("--kill-after", type=float, default=5.0)
    common.run_drill(drill, parser.parse_args())


if __name__ == "__main__":
    main()
