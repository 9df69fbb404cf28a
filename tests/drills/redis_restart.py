"""Drill 1: Redis restarted in the middle of a replay.

200 readers (live.js's policy, tests/drills/common.py) on one Daphne process; a writer process
makes 40 writes, one every 0.5 s; after 5 s Redis is shut down (`redis-cli shutdown nosave`) and,
DOWN seconds later, started again with this machine's command line (that of .ci/run). Measures
how long after Redis returns every reader shows the version the database had at that moment,
whether all end at the database's final version and state, and whether the process is
subscribed again (Redis's PUBSUB CHANNELS; the writes after the restart must arrive by pub/sub,
well under the fan-out's 2 s periodic check).

Redis is shared by everything on the machine: run this only when nothing else needs it. It is
started again at the end whatever happens.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_drill \
    REDIS_URL=redis://127.0.0.1:6379/0 REDIS_PREFIX=drill \
    .venv/bin/python tests/drills/redis_restart.py

The database named is flushed. Prints PASS or FAIL; exit status 0 or 1.
"""

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.drills import common
from tests.drills.common import COMMIT_LINE, Reader, http_get, result, writer, wrong_pages
from tests.support import stack
from tests.support.servers import poll_async


def redis_command(port: int) -> list[str]:
    # The machine's own command line (.ci/run), on the port of REDIS_URL.
    return [
        "redis-server",
        "--daemonize",
        "yes",
        "--bind",
        "127.0.0.1",
        "-::1",
        "--port",
        str(port),
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        "/var/lib/redis",
        "--logfile",
        "/var/log/redis/ci.log" if port == 6379 else f"/tmp/redis-{port}.log",
    ]


def ensure_redis(url: str, port: int) -> bool:
    for _ in range(50):
        if stack.redis_up(url):
            return True
        subprocess.run(redis_command(port), capture_output=True)
        time.sleep(0.2)
    return stack.redis_up(url)


async def drill(args) -> bool:
    env = stack.production_env()
    url = env["REDIS_URL"]
    port = int(url.split(":")[2].split("/")[0])
    stack.prepare(env)
    workdir = Path(tempfile.mkdtemp(prefix="drill-redis-"))
    server = stack.Server("daphne", args.port, env, workdir / "daphne.log", gc_log=False).start()
    readers = [Reader(i, "127.0.0.1", args.port) for i in range(args.readers)]
    until = time.monotonic() + args.deadline
    tasks = [asyncio.create_task(r.run(until)) for r in readers]
    try:
        await poll_async(lambda: all(r.connected and r.applied >= 0 for r in readers), 60)
        write = writer(env, args.writes, args.interval, workdir / "writer.log")
        await asyncio.sleep(args.restart_after)
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True)
        print(f"Redis shut down at {time.strftime('%H:%M:%S')}", flush=True)
        await asyncio.sleep(args.down)
        subprocess.run(redis_command(port), check=True, capture_output=True)
        while not stack.redis_up(url):
            await asyncio.sleep(0.05)
        back = time.time()
        version_back = stack.ceremony_version(env)
        print(f"Redis back after {args.down:.1f} s; the database is at version {version_back}")
        caught_up = await poll_async(lambda: all(r.applied >= version_back for r in readers), 30)
        caught_up_after = time.time() - back
        subscribed = subprocess.run(
            ["redis-cli", "-p", str(port), "pubsub", "channels", f"{env['REDIS_PREFIX']}*"],
            capture_output=True,
            text=True,
        ).stdout.split()
        await asyncio.to_thread(write.wait, 120)
        commits = {int(v): float(t) for v, t in COMMIT_LINE.findall(write.stdout.read())}
        final = stack.ceremony_version(env)
        converged = await poll_async(lambda: all(r.applied == final for r in readers), 30)
        _, body = await http_get("127.0.0.1", args.port, f"/api/ceremonies/{stack.SLUG}/")
        wrong = wrong_pages(readers, {final: body.decode()})
    finally:
        for r in readers:
            r.stopping = True
        await asyncio.gather(*tasks, return_exceptions=True)
        server.stop()
        if not ensure_redis(url, port):
            print("REDIS IS NOT RUNNING: start it with: " + " ".join(redis_command(port)))
    # Writes after Redis came back, per reader: how long from commit to the reader's page.
    after = [v for v, t in commits.items() if t > back + 1]
    delays = [(r.arrived[v] - commits[v]) * 1000 for r in readers for v in after if v in r.arrived]
    median = statistics.median(delays) if delays else None
    print(
        f"all readers at version {version_back} {caught_up_after:.2f} s after Redis returned; "
        f"final version {final}: {sum(r.applied == final for r in readers)} of {len(readers)}; "
        f"wrong pages {wrong}; subscriptions after the restart: {subscribed}; "
        f"writes after the restart, commit to reader: median "
        f"{median if median is None else round(median)} ms over {len(delays)} deliveries",
        flush=True,
    )
    return result(
        "drill 1 (Redis restarted mid-replay)",
        {
            "every reader at the database's version within 5 s of Redis returning": caught_up
            and caught_up_after <= 5,
            "every reader at the final version and state": converged and wrong == 0,
            "the process subscribed again": bool(subscribed),
            "later writes arrive by pub/sub (median < 1 s)": median is not None and median < 1000,
        },
    )


def main() -> None:
    parser = common.options(__doc__, readers=200, writes=40, interval=0.5, port=8610)
    parser.add_argument("--restart-after", type=float, default=5.0)
    parser.add_argument("--down", type=float, default=2.0, help="seconds Redis stays down")
    common.run_drill(drill, parser.parse_args())


if __name__ == "__main__":
    main()
