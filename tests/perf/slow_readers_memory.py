"""Memory of one Daphne process while readers that never read are sent writes of a large
ceremony, and after they are dropped: RSS at the baseline (the readers connected), the peak and
after, median of --runs runs.

One Daphne process, --readers sockets that complete the handshake and never read again, a
generated ceremony whose snapshot is about 760 KB (--categories; under Daphne's 1 MiB message
limit), and --writes writes to it from another process. Every write goes to every reader as a
whole snapshot (WEBSOCKET_DELTAS=false), the worst case: what a resync sends, or the night with
deltas switched off; --deltas measures the default, where such a reader is sent a few KB a write
and Daphne's ping timeout drops it instead. Then it waits for the server to
drop the sockets (with the bound, it closes them as too slow; --unbounded sets the bound out of
reach, today's behaviour, where Daphne's ping timeout drops them after about 50 s), closes the
client ends and samples RSS again after --settle seconds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_perf \
    REDIS_URL=redis://127.0.0.1:6379/0 REDIS_PREFIX=perf \
    .venv/bin/python tests/perf/slow_readers_memory.py [--unbounded]

The database named is flushed. Figures: docs/performance.md (*Readers that do not read*).
"""

import argparse
import contextlib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.support import stack
from tests.support.rawsocket import never_reading_socket

SLUG = "1st-test-awards"

LARGE = """
from ceremony import services
from ceremony.importers.json_file import ceremony_spec
from ceremony.realtime import snapshots
from tests.support.builders import ceremony_data
categories = {{
    f"Category {{c:03d}} for achievement in a field with a long name": [
        (f"A film with a long and descriptive title number {{c:03d}}-{{n}}",
         f"Somebody Withalongname {{c:03d}}-{{n}}, Another Person {{n}}")
        for n in range(10)
    ]
    for c in range({categories})
}}
ceremony = services.ceremony_import(
    spec=ceremony_spec(ceremony_data(categories), source="perf", with_results=False)
).ceremony
services.ceremony_set_status(ceremony_id=ceremony.pk, status="live", editor=None)
print(len(snapshots.current_snapshot(ceremony).message.encode()))
"""


def server_dropped(port: int) -> bool:
    """Whether the server has no established connection from the never-reading sockets left."""
    out = subprocess.run(
        ["ss", "-tnH", "state", "established", f"( sport = :{port} and dst 127.0.0.9 )"],
        capture_output=True,
        text=True,
    ).stdout
    return not out.strip()


def writes(env: dict, count: int, workdir: Path) -> None:
    """`count` writes to the generated ceremony from another process, 0.5 s apart."""
    subprocess.run(
        [
            stack.PYTHON,
            str(stack.PROJECT / "tests" / "drills" / "writer.py"),
            *("--count", str(count), "--interval", "0.5", "--slug", SLUG),
        ],
        cwd=stack.PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "writer.log").open("a"),
        check=True,
    )


class Watcher(threading.Thread):
    """An ordinary reader (it reads everything), so the process holds the ceremony's snapshots
    from the warm-up on, whether or not the never-reading sockets are there."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.socket = connect(
            f"ws://127.0.0.1:{port}/ws/ceremonies/{SLUG}/",
            origin=f"http://127.0.0.1:{port}",
            max_size=None,
        )

    def run(self) -> None:
        with contextlib.suppress(ConnectionClosed):
            for _ in self.socket:
                pass


def one_run(args, env: dict, workdir: Path, run: int, readers: int) -> dict:
    """Warm up with --writes writes (the snapshot cache and the allocator take their share),
    then the baseline, `readers` never-reading sockets, --writes more writes, the drop, after."""
    server = stack.Server("daphne", args.port, env, workdir / f"server-{run}.log", gc_log=False)
    server.start()
    try:
        watcher = Watcher(args.port)
        watcher.start()
        writes(env, args.writes, workdir)
        socks = [never_reading_socket(args.port, SLUG) for _ in range(readers)]
        time.sleep(2)
        baseline = server.rss_bytes()
        samples = [baseline]
        started = time.monotonic()
        write = threading.Thread(target=writes, args=(env, args.writes, workdir))
        write.start()
        while write.is_alive() or time.monotonic() - started < args.writes * 0.5 + 3:
            samples.append(server.rss_bytes())
            time.sleep(0.2)
        while not server_dropped(args.port) and time.monotonic() - started < args.drop_timeout:
            samples.append(server.rss_bytes())
            time.sleep(0.5)
        dropped_after = time.monotonic() - started
        dropped = server_dropped(args.port)
        for sock in socks:
            sock.close()
        time.sleep(args.settle)
        after = server.rss_bytes()
        watcher.socket.close()
    finally:
        server.stop()
    return {
        "baseline": baseline / 2**20,
        "peak": max(samples) / 2**20,
        "after": after / 2**20,
        "dropped": dropped,
        "dropped_after": dropped_after,
    }


def report(name: str, runs: list[dict]) -> None:
    for r in runs:
        print(
            f"  {name}: RSS {r['baseline']:.0f} MB baseline, {r['peak']:.0f} MB peak, "
            f"{r['after']:.0f} MB after; never-reading readers "
            f"{'dropped' if r['dropped'] else 'NOT dropped'} {r['dropped_after']:.0f} s after "
            "the first write"
        )
    base, peak, after = (
        statistics.median(r[k] for r in runs) for k in ("baseline", "peak", "after")
    )
    print(
        f"{name}, median of {len(runs)}: RSS baseline {base:.0f} MB, peak {peak:.0f} MB "
        f"(+{peak - base:.0f} MB), after the drop {after:.0f} MB ({after / base:.2f}x the "
        "baseline)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=100)
    parser.add_argument("--writes", type=int, default=6)
    parser.add_argument("--categories", type=int, default=160, help="sizes the snapshot")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8640)
    parser.add_argument("--settle", type=float, default=5)
    parser.add_argument("--drop-timeout", type=float, default=120)
    parser.add_argument("--unbounded", action="store_true", help="the bound out of reach")
    parser.add_argument("--deltas", action="store_true", help="deltas on (the default setting)")
    args = parser.parse_args()
    stack.raise_open_files()
    extra = {"WEBSOCKET_DELTAS": "true" if args.deltas else "false"}
    if args.unbounded:
        extra["WEBSOCKET_MAX_QUEUED_BYTES"] = str(10**12)
    env = stack.production_env(**extra)
    stack.prepare(env, static=False)
    made = stack.manage("shell", "--command", LARGE.format(categories=args.categories), env=env)
    size = int(made.split()[-1])
    workdir = Path(tempfile.mkdtemp(prefix="perf-slow-readers-"))
    print(
        f"{args.writes} writes of a {size / 1000:.0f} KB snapshot after {args.writes} to warm up, "
        f"{'deltas' if args.deltas else 'whole snapshots'}; "
        f"bound {'out of reach' if args.unbounded else 'on'}",
        flush=True,
    )
    control = [one_run(args, env, workdir, n, readers=0) for n in range(args.runs)]
    report("no never-reading reader (control)", control)
    slow = [one_run(args, env, workdir, n, readers=args.readers) for n in range(args.runs)]
    report(f"{args.readers} never-reading readers", slow)


if __name__ == "__main__":
    main()
