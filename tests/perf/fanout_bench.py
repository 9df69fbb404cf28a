"""The fan-out benchmark: N readers' websockets, 20 announcements through the real write path,
and how long each took to reach the first and the last reader; against this machine's floor.

For each server set-up and each N it: flushes the benchmark database and loads the demo (the
97th Academy Awards live, no result yet), starts the server(s) as production runs them (DEBUG
off, collected static files, PostgreSQL, the Redis pub/sub layer, Daphne with the frame limit of
docs/protocol.md), opens N reader websockets from two client processes (`bench_clients.py`),
spread over the source addresses 127.0.0.2-127.0.0.9, then runs `bench_writer.py` (the
`replay_ceremony` command, in its own process, printing each commit's time) for 20 results and
reports, per announcement, commit to first and to last reader (p50, p99, max over the 20),
readers that missed it, the server's CPU (user and kernel), the readers' CPU while reading, RSS
per connection, the connect rate and full garbage collections. Set-ups:

  daphne     one Daphne process (production)
  uvicorn    one uvicorn process, same app (websockets protocol, permessage-deflate off)
  daphne2    two Daphne processes on the same Redis, each client process reading from one
  floor      a bare websockets.broadcast() server, same N, the message the app's snapshot size
             or --floor-size bytes (floor_server.py)
  echo       the same server sending the smallest frame that names the version (about 70
             bytes): what the readers cost alone, the server doing next to nothing
  edge       nginx's Nchan module with the shipped edge files (deploy/nginx/edge*.conf), one
             worker (--edge-workers, each listening with reuseport), the writer publishing to
             it (EDGE_PUBLISH_URLS) and `edge_heartbeat` running; server CPU and memory are the
             workers'
  edge-1ch   the same, the readers subscribed to the `live` channel alone (no heartbeats):
             what subscribing each reader to two channels costs
  pushpin    the Pushpin trial: Debian's pushpin with a bare origin (pushpin_floor.py) that
             subscribes each reader and publishes the floor's messages; CPU and memory are
             Pushpin's services' (condure, zurl, pushpin-proxy, pushpin-handler)
  daphne-plain, daphne-prepared  one Daphne process with WEBSOCKET_PREPARED_FRAMES false or
             true (each push's frame framed once for all readers, or through Daphne's ASGI send)
  daphne-direct  prepared frames written to each socket at once (WEBSOCKET_DIRECT_WRITES)
  daphne-no-yield  for comparison: one Daphne process whose push loop never gives the event
             loop a turn (`serve.py --push-without-yielding`)

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench \
    REDIS_URL=redis://127.0.0.1:6379/0 REDIS_PREFIX=bench \
    .venv/bin/python tests/perf/fanout_bench.py --readers 1000,5000,10000 \
        --setups daphne,floor,uvicorn,daphne2 --wrk

Prints figures and a Markdown table, and writes them as JSON (--json). Asserts nothing.
The database named is flushed: never point it at real data. Loopback only; every wait is bounded.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.support import stack
from tests.support.edge import PlainEdge

HERE = Path(__file__).resolve().parent
GC_LINE = re.compile(r"gc generation=(\d) pause_ms=([\d.]+) collected=\d+ at=([\d.]+)")
PUSH_LINE = re.compile(r"push ceremony=\d+ version=(\d+) readers=(\d+) in ([\d.]+) ms")
COMMIT_LINE = re.compile(r"committed version=(\d+) at=([\d.]+)")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


class Lines(threading.Thread):
    """Reads a child's stdout into a list, so nothing blocks on a full pipe."""

    def __init__(self, process: subprocess.Popen):
        super().__init__(daemon=True)
        self.process, self.lines = process, []
        self.start()

    def run(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, predicate, timeout: float):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines:
                if predicate(line):
                    return line
            if self.process.poll() is not None and not self.is_alive():
                break
            time.sleep(0.05)
        return None


def client_processes(
    urls: list[list[str]], n: int, final: int, deadline: float, count: int, cpus: set[int]
):
    """`count` client processes, the readers shared out; process k reads from urls[k % len];
    on the `cpus` alone if any are given."""
    processes = []
    for k in range(count):
        process_urls = urls[k % len(urls)]
        share = n // count + (n % count if k == 0 else 0)
        process = subprocess.Popen(
            [
                stack.PYTHON,
                str(HERE / "bench_clients.py"),
                "--urls",
                ",".join(process_urls),
                "--count",
                str(share),
                "--final",
                str(final),
                "--deadline",
                str(deadline),
            ],
            cwd=stack.PROJECT,
            stdout=subprocess.PIPE,
            text=True,
        )
        if cpus:
            os.sched_setaffinity(process.pid, cpus)
        processes.append((process, Lines(process)))
    return processes


def event(lines: Lines, name: str, timeout: float) -> dict | None:
    line = lines.wait_for(lambda s: s.startswith("{") and f'"event": "{name}"' in s, timeout)
    return json.loads(line) if line else None


def writer_command(interval: float, count: int) -> list[str]:
    """`bench_writer.py`: the 97th's first `count` results, one every `interval` seconds."""
    return [
        stack.PYTHON,
        str(HERE / "bench_writer.py"),
        stack.SLUG,
        str(stack.RESULTS),
        "--interval",
        str(interval),
        "--count",
        str(count),
    ]


def run_case(setup: str, n: int, env: dict, args, workdir: Path, message_size: int) -> dict:
    print(f"\n=== {setup}, {n} readers ({time.strftime('%H:%M:%S')}) ===", flush=True)
    servers: list[stack.Server] = []
    floor = edge = pushpin = None
    writer_env = env
    clients = []
    writer = None
    result: dict = {"setup": setup, "readers": n}
    try:
        if setup in ("floor", "echo"):
            port = args.port
            floor = subprocess.Popen(
                [
                    stack.PYTHON,
                    str(HERE / "floor_server.py"),
                    "--port",
                    str(port),
                    "--expect",
                    str(n),
                    "--size",
                    str(0 if setup == "echo" else message_size),
                    "--announcements",
                    str(args.announcements),
                    "--interval",
                    str(args.interval),
                ],
                cwd=stack.PROJECT,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            floor_lines = Lines(floor)
            if not floor_lines.wait_for(lambda s: s.startswith("listening"), 30):
                raise RuntimeError("the floor server did not start")
            pids = [floor.pid]
            start_version = 0
            url = f"ws://127.0.0.1:{port}/ws/ceremonies/{stack.SLUG}/"
            urls = [[url], [url]]
        elif setup == "pushpin":
            pushpin, floor, floor_lines, pids = start_pushpin(
                args, n, message_size, workdir / f"pushpin-{n}"
            )
            start_version = 0
            url = f"ws://127.0.0.1:{args.port}/ws/ceremonies/{stack.SLUG}/"
            urls = [[url], [url]]
        elif setup in ("edge", "edge-1ch"):
            stack.prepare(env, static=False)
            folder = workdir / f"{setup}-{n}"
            edge = PlainEdge(
                env, args.port, folder, args.edge_workers, one_channel=setup == "edge-1ch"
            ).start()
            writer_env = edge.env
            pids = edge.workers()
            start_version = stack.ceremony_version(env)
            url = f"ws://127.0.0.1:{args.port}/ws/ceremonies/{stack.SLUG}/"
            urls = [[url], [url]]
        else:
            stack.prepare(env, static=False)
            variants = ("daphne2", "daphne-plain", "daphne-prepared", "daphne-direct")
            kind = "daphne" if setup in variants else setup
            count = 2 if setup == "daphne2" else 1
            # Each push's frames framed once (ceremony/realtime/prepared.py), or not.
            server_env = {
                **env,
                **{"daphne-plain": {"WEBSOCKET_PREPARED_FRAMES": "false"}}.get(setup, {}),
                **{"daphne-prepared": {"WEBSOCKET_PREPARED_FRAMES": "true"}}.get(setup, {}),
                **{
                    "daphne-direct": {
                        "WEBSOCKET_PREPARED_FRAMES": "true",
                        "WEBSOCKET_DIRECT_WRITES": "true",
                    }
                }.get(setup, {}),
            }
            for i in range(count):
                log = workdir / f"{setup}-{n}-{i}.log"
                log.unlink(missing_ok=True)
                servers.append(stack.Server(kind, args.port + i, server_env, log).start())
            pids = [s.pid for s in servers]
            start_version = stack.ceremony_version(env)
            socket_urls = [f"ws://127.0.0.1:{s.port}/ws/ceremonies/{stack.SLUG}/" for s in servers]
            urls = [[socket_urls[0]], [socket_urls[-1]]]
        final = start_version + args.announcements
        rss_before = sum(stack.rss_bytes(p) for p in pids)

        clients = client_processes(urls, n, final, args.deadline, args.clients, args.reader_cpus)
        connected = [event(lines, "connected", args.deadline) for _, lines in clients]
        if None in connected:
            raise RuntimeError("a client process did not report its connections")
        ok = sum(c["ok"] for c in connected)
        span = max(c["last_connected"] for c in connected) - min(c["started"] for c in connected)
        result.update(
            connected=ok,
            connect_failed=sum(c["failed"] for c in connected),
            connect_errors=[c["errors"] for c in connected if c["errors"]],
            connect_rate=ok / span if span > 0 else None,
            connect_seconds=span,
        )
        print(f"connected {ok}/{n} in {span:.1f} s ({result['connect_rate']:.0f}/s)", flush=True)
        time.sleep(2)
        rss_after = sum(stack.rss_bytes(p) for p in pids)
        result["rss_mb"] = rss_after / 2**20
        result["rss_per_connection_kb"] = (rss_after - rss_before) / max(ok, 1) / 1024
        cpu_before = [stack.cpu_times(p) for p in pids]
        phase_started = time.time()

        if floor is not None:
            commit_source = floor_lines
        else:
            writer = subprocess.Popen(
                writer_command(args.interval, args.announcements),
                cwd=stack.PROJECT,
                env=writer_env,
                stdout=subprocess.PIPE,
                stderr=(workdir / f"writer-{setup}-{n}.log").open("w"),
                text=True,
            )
            commit_source = Lines(writer)
        done = [event(lines, "done", args.deadline) for _, lines in clients]
        cpu_after = [stack.cpu_times(p) for p in pids]
        phase_ended = time.time()
        if writer is not None:
            writer.wait(timeout=60)
        commits = {
            int(m.group(1)): float(m.group(2))
            for line in commit_source.lines
            if (m := COMMIT_LINE.match(line))
        }
        if None in done:
            raise RuntimeError("a client process did not report its readings")
        first, last, missed, paths = [], [], [], []
        for version in range(start_version + 1, final + 1):
            arrivals = [d["versions"].get(str(version)) for d in done]
            got = [a for a in arrivals if a]
            missed.append(ok - sum(a[2] for a in got))
            if version in commits and got:
                first.append((min(a[0] for a in got) - commits[version]) * 1000)
                last.append((max(a[1] for a in got) - commits[version]) * 1000)
                # The announcement's path: from its commit to its last reader.
                paths.append((commits[version], max(a[1] for a in got)))
        user = sum(a[0] - b[0] for a, b in zip(cpu_after, cpu_before, strict=True))
        system = sum(a[1] - b[1] for a, b in zip(cpu_after, cpu_before, strict=True))
        cpu = user + system
        reading = sum(d["client_cpu_s"] for d in done) - sum(c["client_cpu_s"] for c in connected)
        result.update(
            announcements=len(commits),
            first_ms={"p50": percentile(first, 0.5), "p99": percentile(first, 0.99)}
            | {"max": max(first)}
            if first
            else None,
            last_ms={"p50": percentile(last, 0.5), "p99": percentile(last, 0.99)}
            | {"max": max(last)}
            if last
            else None,
            # Each announcement's, in order: whether the readers fall behind as a run goes on.
            first_each_ms=[round(x) for x in first],
            last_each_ms=[round(x) for x in last],
            # Readers that never reached the last version: what the goal calls lost.
            lost=ok - sum(d["complete"] for d in done),
            # Versions a reader never got because a newer whole snapshot reached it first (the
            # periodic check overtaking a push under way): nothing lost, one announcement merged.
            missed_total=sum(missed),
            readers_missing_any=max(missed) if missed else None,
            duplicates=sum(d["duplicates"] for d in done),
            out_of_order=sum(d["out_of_order"] for d in done),
            complete=sum(d["complete"] for d in done),
            closed_early=sum(d["closed_early"] for d in done),
            server_cpu_s=cpu,
            server_cpu_per_announcement_ms=cpu / max(len(commits), 1) * 1000,
            server_cpu_percent=cpu / (phase_ended - phase_started) * 100,
            # The kernel's share: on loopback a send also runs the receiving side's TCP.
            server_sys_cpu_per_announcement_ms=system / max(len(commits), 1) * 1000,
            client_cpu_s=sum(d["client_cpu_s"] for d in done),
            # The readers' CPU from connected to done: what reading the announcements cost them.
            client_read_cpu_per_announcement_ms=reading / max(len(commits), 1) * 1000,
        )
        if servers:
            result.update(server_logs(servers, phase_started, phase_ended, paths))
        report(result)
        return result
    finally:
        for process, _ in clients:
            if process.poll() is None:
                process.kill()
            process.wait()
        if writer is not None and writer.poll() is None:
            writer.kill()
            writer.wait()
        for server in servers:
            server.stop()
        if floor is not None:
            floor.kill()
            floor.wait()
        if edge is not None:
            edge.stop()
        if pushpin is not None:
            pushpin.terminate()
            pushpin.wait(timeout=30)


def start_pushpin(args, n: int, size: int, folder: Path):
    """Pushpin (Debian's, its runner and services) readers at args.port, and pushpin_floor.py
    as its origin and publisher. Returns Pushpin's runner, the origin, its output and the pids
    of Pushpin's services (what the server CPU and memory are read from)."""
    from tests.perf.pushpin_floor import config

    main = config(folder, args.port, args.port + 50, args.port + 51)
    pushpin = subprocess.Popen(
        ["pushpin", "--config", str(main)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    floor = subprocess.Popen(
        [
            *(stack.PYTHON, HERE / "pushpin_floor.py", "--port", str(args.port + 51)),
            *("--publish", f"http://127.0.0.1:{args.port + 50}/publish/", "--expect", str(n)),
            *("--size", str(size), "--announcements", str(args.announcements)),
            *("--interval", str(args.interval)),
        ],
        cwd=stack.PROJECT,
        stdout=subprocess.PIPE,
        text=True,
    )
    floor_lines = Lines(floor)
    if not floor_lines.wait_for(lambda s: s.startswith("listening"), 30):
        raise RuntimeError("the Pushpin origin did not start")
    time.sleep(3)
    children = Path(f"/proc/{pushpin.pid}/task/{pushpin.pid}/children").read_text().split()
    return pushpin, floor, floor_lines, [int(pid) for pid in children]


def server_logs(
    servers: list[stack.Server], started: float, ended: float, paths: list[tuple[float, float]]
) -> dict:
    """Full collections before and during the announcements, and those of them that paused the
    process inside an announcement's path (between its commit and its last reader)."""
    full_before, full_during, in_path, loops = [], [], [], []
    for server in servers:
        text = server.log_path.read_text(errors="replace")
        for m in GC_LINE.finditer(text):
            generation, pause, at = int(m.group(1)), float(m.group(2)), float(m.group(3))
            if generation == 2:
                (full_during if started <= at <= ended else full_before).append(pause)
                # `at` is when it ended.
                if any(at - pause / 1000 <= end and at >= commit for commit, end in paths):
                    in_path.append(pause)
        loops += [float(m.group(3)) for m in PUSH_LINE.finditer(text)]
    return {
        "gc_full_before": len(full_before),
        "gc_full_before_max_ms": max(full_before, default=0),
        "gc_full_during": len(full_during),
        "gc_full_during_max_ms": max(full_during, default=0),
        "gc_full_in_path": len(in_path),
        "gc_full_in_path_max_ms": max(in_path, default=0),
        "push_loop_ms_median": statistics.median(loops) if loops else None,
        "push_loop_ms_max": max(loops, default=None),
    }


def report(r: dict) -> None:
    last, first = r.get("last_ms") or {}, r.get("first_ms") or {}
    print(
        f"{r['setup']} N={r['readers']}: connected {r['connected']} "
        f"({r['connect_rate']:.0f}/s); first reader p50 {first.get('p50', 0):.0f} ms; "
        f"last reader p50 {last.get('p50', 0):.0f} / p99 {last.get('p99', 0):.0f} / "
        f"max {last.get('max', 0):.0f} ms; lost {r['lost']}; skipped {r['missed_total']}; "
        f"dup {r['duplicates']}; server CPU {r['server_cpu_per_announcement_ms']:.0f} ms per "
        f"announcement ({r['server_cpu_percent']:.0f}%, kernel "
        f"{r['server_sys_cpu_per_announcement_ms']:.0f} ms); readers' CPU "
        f"{r['client_read_cpu_per_announcement_ms']:.0f} ms per announcement; "
        f"RSS {r['rss_mb']:.0f} MB, "
        f"{r['rss_per_connection_kb']:.1f} KB per connection",
        flush=True,
    )
    if "gc_full_before" in r:
        print(
            f"  full gc: {r['gc_full_before']} while connecting (max "
            f"{r['gc_full_before_max_ms']:.0f} ms), {r['gc_full_during']} during the "
            f"announcements (max {r['gc_full_during_max_ms']:.0f} ms), {r['gc_full_in_path']} of "
            f"them in an announcement's path (max {r['gc_full_in_path_max_ms']:.0f} ms); "
            "server push loop median "
            f"{r['push_loop_ms_median'] or 0:.0f} ms",
            flush=True,
        )


def wrk(env: dict, args, workdir: Path) -> list[dict]:
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): page load not measured")
        return []
    stack.prepare(env, static=False)
    server = stack.Server("daphne", args.port, env, workdir / "wrk-daphne.log").start()
    results = []
    try:
        for name, path, writing in (
            ("ceremony page", f"/ceremonies/{stack.SLUG}/", False),
            ("snapshot API", f"/api/ceremonies/{stack.SLUG}/", False),
            # Each result makes the cached page stale: one request per version goes to Django.
            ("ceremony page, a result recorded every second", f"/ceremonies/{stack.SLUG}/", True),
        ):
            url = server.url + path
            with urllib.request.urlopen(url) as response:
                size = len(response.read())
            writer = None
            if writing:
                writer = subprocess.Popen(
                    writer_command(1, args.wrk_seconds),
                    cwd=stack.PROJECT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=(workdir / "wrk-writer.log").open("w"),
                )
            measured = stack.wrk(url, args.wrk_seconds)
            if writer is not None:
                writer.wait(timeout=120)
                with urllib.request.urlopen(url.replace("/ceremonies/", "/api/ceremonies/")) as r:
                    version = json.loads(r.read())["version"]
                print(f"  version at the end: {version} (writes during the run)", flush=True)
            rate = measured["requests_per_s"]
            p99 = measured["p99"]
            row = {
                "what": name,
                "bytes": size,
                "requests_per_s": rate,
                "p99": p99,
                "non_2xx": measured["non_2xx"],
            }
            print(
                f"wrk {name} ({size} bytes): {rate:.0f} requests/s, p99 {p99}, "
                f"{row['non_2xx']} errors",
                flush=True,
            )
            results.append(row)
    finally:
        server.stop()
    return results


def table(results: list[dict]) -> str:
    floors = {r["readers"]: r for r in results if r["setup"] == "floor" and r.get("last_ms")}
    singles = {r["readers"]: r for r in results if r["setup"] == "daphne" and r.get("last_ms")}
    rows = [
        "| N | server | connected | connect/s | first p50 | last p50 | last p99 | last max "
        "| x floor (p50) | lost | skipped | CPU/announcement | kernel | readers' CPU "
        "| KB/conn | full gc during | full gc in path |",
        "|" + " --- |" * 17,
    ]
    for r in results:
        last, first = r.get("last_ms") or {}, r.get("first_ms") or {}
        floor = floors.get(r["readers"])
        ratio = (
            f"{last['p50'] / floor['last_ms']['p50']:.2f}"
            if floor and last and r is not floor
            else ""
        )
        rows.append(
            f"| {r['readers']} | {r['setup']} | {r['connected']} | {r['connect_rate']:.0f} "
            f"| {first.get('p50', 0):.0f} ms | {last.get('p50', 0):.0f} ms "
            f"| {last.get('p99', 0):.0f} ms | {last.get('max', 0):.0f} ms | {ratio} "
            f"| {r['lost']} | {r['missed_total']} | {r['server_cpu_per_announcement_ms']:.0f} ms "
            f"| {r['server_sys_cpu_per_announcement_ms']:.0f} ms "
            f"| {r['client_read_cpu_per_announcement_ms']:.0f} ms "
            f"| {r['rss_per_connection_kb']:.1f} "
            f"| {r.get('gc_full_during', '')} | {r.get('gc_full_in_path', '')} |"
        )
    for r in results:
        single = singles.get(r["readers"])
        if r["setup"] == "daphne2" and single and r.get("last_ms"):
            print(
                f"two processes vs one at N={r['readers']}: last-reader p50 "
                f"{single['last_ms']['p50']:.0f} -> {r['last_ms']['p50']:.0f} ms, throughput "
                f"x{single['last_ms']['p50'] / r['last_ms']['p50']:.2f}"
            )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", default="1000,5000,10000")
    parser.add_argument("--setups", default="daphne,floor,uvicorn,daphne2")
    parser.add_argument(
        "--interval", type=float, default=5.0, help="seconds between results (docs/performance.md)"
    )
    parser.add_argument(
        "--floor-size",
        type=int,
        help="the floor's message in bytes (issue 16's goal: 2048); default: the app's snapshot",
    )
    parser.add_argument(
        "--announcements", type=int, default=20, help="results per run (23: the whole 97th)"
    )
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument(
        "--reader-cpus",
        type=lambda text: {int(cpu) for cpu in text.split(",")},
        default=set(),
        help="run the readers' processes on these CPUs only (e.g. 1); the servers are not pinned",
    )
    parser.add_argument("--edge-workers", type=int, default=1, help="nginx worker processes")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--deadline", type=float, default=300, help="per phase, seconds")
    parser.add_argument("--wrk", action="store_true", help="also measure page load with wrk")
    parser.add_argument("--wrk-only", action="store_true")
    parser.add_argument("--wrk-seconds", type=int, default=30)
    parser.add_argument("--json", type=Path, default=Path(tempfile.gettempdir()) / "fanout.json")
    args = parser.parse_args()

    hard = stack.raise_open_files()
    env = stack.production_env()
    print(
        f"open files limit {hard}; {time.strftime('%Y-%m-%d %H:%M:%S %Z')}; load "
        f"{Path('/proc/loadavg').read_text().split()[:3]}",
        flush=True,
    )
    workdir = Path(tempfile.mkdtemp(prefix="fanout-"))
    stack.prepare(env, static=True)
    results, pages = [], []
    message_size = 0
    if args.wrk or args.wrk_only:
        pages = wrk(env, args, workdir)
    if not args.wrk_only:
        # The floor sends messages the size of the app's snapshot with 20 results recorded,
        # unless told a size.
        message_size = args.floor_size or 0
        for n in [int(x) for x in args.readers.split(",")]:
            for setup in args.setups.split(","):
                if setup in ("floor", "pushpin") and not message_size:
                    message_size = snapshot_size(env, workdir)
                try:
                    results.append(run_case(setup, n, env, args, workdir, message_size))
                except Exception as exc:
                    print(f"{setup} N={n} failed: {exc}", flush=True)
        print("\n" + table(results))
    # What one result sends each reader: scaling_plan.py's bytes per result.
    frame = {"frame_bytes": message_size} if message_size else {}
    args.json.write_text(json.dumps({"fanout": results, "pages": pages, **frame}, indent=1))
    print(f"\nfigures: {args.json}; server logs: {workdir}")


def snapshot_size(env: dict, workdir: Path) -> int:
    """The websocket frame's size after 20 results (the floor's message size)."""
    stack.prepare(env, static=False)
    subprocess.run(
        writer_command(0, 20),
        cwd=stack.PROJECT,
        env=env,
        capture_output=True,
        check=True,
        timeout=120,
    )
    server = stack.Server("daphne", 9099, env, workdir / "size.log", gc_log=False).start()
    try:
        with urllib.request.urlopen(f"{server.url}/api/ceremonies/{stack.SLUG}/") as response:
            text = response.read()
    finally:
        server.stop()
    return len(b'{"type":"snapshot","snapshot":}') + len(text)


if __name__ == "__main__":
    main()
