"""What a night with a given audience (1,000,000 concurrent readers by default) needs, computed
from this project's measured figures: the JSON of tests/perf/fanout_bench.py (readers per
process, server CPU and last-reader time per announcement, connect rate, page rate; and, from its
`edge` set-up, the same for one Nchan worker and its memory per connection) and of
tests/perf/edge_bench.py (what the edge cache lets through to the processes). Any figure can be
overridden (e.g. --bytes-per-result 1500 once results are sent as deltas), so the plan is redone
whenever a figure changes.

    .venv/bin/python tests/perf/scaling_plan.py --fanout /tmp/fanout.json --edge /tmp/edge.json

Prints the figures used and two plans as Markdown tables, readers on Daphne and readers on the
edge tier (when the fan-out JSON has an `edge` run); docs/scaling.md explains each row.
"""

import argparse
import json
import math
from dataclasses import dataclass, fields, replace
from pathlib import Path

GB = 10**9


@dataclass(frozen=True)
class Figures:
    """Measured per process (or per edge host), on one machine."""

    readers_per_process: int  # the most readers one Daphne process served with none lost
    cpu_ms_per_push: float  # its CPU per announcement at that many readers
    last_reader_ms: float  # commit to its last reader's frame, p50, at that many
    connects_per_s: float  # websocket handshakes one process accepts per second
    origin_requests_per_s: float  # page or API requests one process answers per second
    bytes_per_result: int  # what one result sends each reader (a whole snapshot, or a delta)
    edge_origin_per_url_s: float  # requests per URL per second one edge host lets through


@dataclass(frozen=True)
class Night:
    """The night's shape and the machines it runs on."""

    audience: int = 1_000_000
    cores_per_app_host: int = 16  # one Daphne process per core
    cores_per_edge_host: int = 16  # one nginx worker per core
    worker_connections: int = 32768  # deploy/nginx/nginx.conf
    urls: int = 2  # the ceremony page and the snapshot API
    page_load_window_s: float = 600  # the audience opens the page over the first ten minutes
    resync_s: float = 2.0  # the fan-out's periodic check (fanout.RESYNC_SECONDS)
    heartbeat_s: float = 4.0  # fanout.HEARTBEAT_SECONDS
    heartbeat_bytes: int = 40  # {"type":"heartbeat","version":N} and its websocket header
    # The edge tier (docs/deploy.md, "The edge tier"): one Nchan worker per core.
    worker_rlimit_nofile: int = 65536  # deploy/nginx/nginx.conf: each reader's socket is a file
    results_apart_s: float = 5.0  # the pace of the run the edge figures come from (its --interval)
    edge_cpu_share: float = 0.5  # the most of its core a worker spends on results at that pace
    edge_host_memory_gb: float = 32  # of which at most half for readers' connections
    edge_app_processes: int = 32  # Daphne processes behind the edge tier (two app hosts)


@dataclass(frozen=True)
class EdgeFigures:
    """Measured for one Nchan worker (fanout_bench.py's `edge` set-up), on one machine."""

    readers: int  # the most readers one worker held with none lost
    cpu_ms_per_push: float  # the worker's CPU per announcement at that many
    kb_per_connection: float  # the worker's memory growth per reader held
    last_reader_ms: float  # commit to its last reader's frame, p50, at that many
    last_reader_p99_ms: float
    connects_per_s: float  # websocket handshakes it accepted per second
    floor_last_reader_ms: float | None = None  # a bare websockets server's, in the same run


def plan(f: Figures, n: Night) -> list[tuple[str, str, str]]:
    """Rows of (what, how much, from what)."""
    processes = math.ceil(n.audience / f.readers_per_process)
    app_hosts = math.ceil(processes / n.cores_per_app_host)
    # One host may be lost: the others must hold its readers.
    app_hosts_spare = math.ceil(processes / n.cores_per_app_host) + 1
    per_process = n.audience / processes
    per_host = per_process * n.cores_per_app_host
    # A reader is two connections in an edge worker: its own and the one to Daphne.
    readers_per_edge = n.worker_connections // 2 * n.cores_per_edge_host
    edge_hosts = math.ceil(n.audience / readers_per_edge) + 1
    egress = n.audience * f.bytes_per_result
    page_loads_per_s = n.audience / n.page_load_window_s
    origin_page_per_s = edge_hosts * n.urls * f.edge_origin_per_url_s
    hit_rate = max(0.0, 1 - origin_page_per_s / page_loads_per_s)
    redis_bytes = f.bytes_per_result * (1 + processes)
    rolling_s = f.readers_per_process / ((processes - 1) * f.connects_per_s)
    host_lost_s = per_host / ((processes - n.cores_per_app_host) * f.connects_per_s)
    everyone_s = n.audience / (processes * f.connects_per_s)
    resync_everyone_s = n.audience / (processes * f.origin_requests_per_s)
    return [
        (
            "Daphne processes",
            f"{processes:,}",
            f"{n.audience:,} readers / {f.readers_per_process:,} per process",
        ),
        (
            "app hosts",
            f"{app_hosts:,} ({app_hosts_spare:,} to survive losing one)",
            f"{n.cores_per_app_host} processes per host (one per core), {per_host:,.0f} readers"
            " per host",
        ),
        (
            "last reader after a result",
            f"{f.last_reader_ms / 1000:.1f} s",
            "each process pushes to its own readers in parallel: the one-process figure",
        ),
        (
            "app CPU per result",
            f"{f.cpu_ms_per_push * per_process / f.readers_per_process * processes / 1000:,.0f}"
            " CPU-seconds",
            f"{f.cpu_ms_per_push:,.0f} ms per process at {f.readers_per_process:,} readers",
        ),
        (
            "Redis per result",
            f"1 publish, {processes:,} deliveries, {redis_bytes / 10**6:,.1f} MB",
            f"one subscriber per process; {f.bytes_per_result:,} bytes per message",
        ),
        (
            "Redis between results",
            "0 messages",
            "heartbeats and the periodic check are local to each process",
        ),
        (
            "PostgreSQL, steady",
            f"{processes / n.resync_s:,.0f} queries/s",
            f"one version query per ceremony per process every {n.resync_s:g} s",
        ),
        (
            "PostgreSQL, everyone connecting",
            f"{2 * n.audience / n.page_load_window_s:,.0f} queries/s, "
            f"{n.audience / n.page_load_window_s:,.0f} new connections/s",
            f"two queries and a connection per handshake, the audience over "
            f"{n.page_load_window_s:g} s",
        ),
        (
            "edge hosts",
            f"{edge_hosts:,}",
            f"{readers_per_edge:,} readers each ({n.cores_per_edge_host} workers x "
            f"{n.worker_connections:,} connections / 2), plus one spare",
        ),
        (
            "edge cache hit rate, page loads",
            f"{hit_rate:.4%}",
            f"{page_loads_per_s:,.0f} loads/s; {origin_page_per_s:,.1f}/s reach the processes "
            f"({f.edge_origin_per_url_s:g} per URL per s per edge host)",
        ),
        (
            "egress per result",
            f"{egress / GB:,.1f} GB",
            f"{n.audience:,} x {f.bytes_per_result:,} bytes",
        ),
        (
            "egress rate while a result goes out",
            f"{egress * 8 / (f.last_reader_ms / 1000) / GB:,.1f} Gbit/s",
            f"spread over the {f.last_reader_ms / 1000:.1f} s the push takes",
        ),
        (
            "egress per edge host while a result goes out",
            f"{egress * 8 / (f.last_reader_ms / 1000) / GB / (edge_hosts - 1):,.1f} Gbit/s",
            f"the rate over {edge_hosts - 1:,} edge hosts (the spare idle)",
        ),
        (
            "egress between results",
            f"{n.audience / n.heartbeat_s:,.0f} heartbeats/s, "
            f"{n.audience / n.heartbeat_s * n.heartbeat_bytes * 8 / GB:,.2f} Gbit/s",
            f"every reader, every {n.heartbeat_s:g} s, {n.heartbeat_bytes} bytes (before TLS)",
        ),
        (
            "reconnect storm: one process restarted (rolling deploy)",
            f"{rolling_s:,.1f} s",
            f"{f.readers_per_process:,} readers over {processes - 1:,} processes at "
            f"{f.connects_per_s:g} connects/s each",
        ),
        (
            "reconnect storm: one app host lost",
            f"{host_lost_s:,.1f} s",
            f"{per_host:,.0f} readers over {processes - n.cores_per_app_host:,} processes",
        ),
        (
            "reconnect storm: everyone at once (edge restart)",
            f"{everyone_s:,.0f} s to reconnect, {resync_everyone_s:,.0f} s of API resyncs",
            f"{n.audience:,} over {processes:,} processes; each reconnect fetches the API "
            f"(bypassing the edge) at {f.origin_requests_per_s:,.0f}/s per process",
        ),
        (
            "reconnect storm: Redis failover",
            f"none; {processes:,} resync queries",
            "websockets stay open; each process resyncs once on reconnect (drill 8)",
        ),
    ]


def plan_edge(f: Figures, e: EdgeFigures, n: Night) -> list[tuple[str, str, str]]:
    """Rows of (what, how much, from what) for the readers held by Nchan on the edge hosts; the
    Daphne processes then serve pages, the API and the desk only."""
    workers = n.cores_per_edge_host
    # Each reader is one connection, and one open file, in its worker.
    by_files = min(n.worker_connections, n.worker_rlimit_nofile)
    # A result's fan-out costs the worker CPU in proportion to its readers; at the run's pace it
    # may take at most `edge_cpu_share` of the worker's core.
    share_measured = e.cpu_ms_per_push / (n.results_apart_s * 1000)
    by_cpu = math.floor(e.readers * n.edge_cpu_share / share_measured)
    by_memory = math.floor(n.edge_host_memory_gb * GB / 2 / (e.kb_per_connection * 1024) / workers)
    per_worker = min(by_files, by_cpu, by_memory)
    bound = {by_files: "open files", by_cpu: "CPU", by_memory: "memory"}[per_worker]
    per_host = per_worker * workers
    holding = math.ceil(n.audience / per_host)
    hosts = holding + 1  # one may be lost: the others hold its readers
    after_loss = n.audience / (hosts - 1)
    cpu_per_reader_ms = e.cpu_ms_per_push / e.readers
    share_after_loss = cpu_per_reader_ms * after_loss / workers / (n.results_apart_s * 1000)
    kb = e.kb_per_connection * 1024
    floor = (
        f"; the bare floor's {e.floor_last_reader_ms / 1000:.1f} s in the same run"
        if e.floor_last_reader_ms
        else ""
    )
    lost_readers = n.audience / hosts
    storm_connects_s = lost_readers / ((hosts - 1) * workers * e.connects_per_s)
    storm_api_s = lost_readers / (n.edge_app_processes * f.origin_requests_per_s)
    everyone_s = n.audience / (hosts * workers * e.connects_per_s)
    everyone_api_s = n.audience / (n.edge_app_processes * f.origin_requests_per_s)
    return [
        (
            "readers per Nchan worker",
            f"{per_worker:,} (bound by {bound})",
            f"the least of {by_files:,} open files (worker_connections {n.worker_connections:,},"
            f" worker_rlimit_nofile {n.worker_rlimit_nofile:,}); {by_cpu:,} by CPU"
            f" ({e.cpu_ms_per_push:,.0f} ms per result at {e.readers:,} readers, results"
            f" {n.results_apart_s:g} s apart, at most {n.edge_cpu_share:.0%} of a core);"
            f" {by_memory:,} by memory ({e.kb_per_connection:.1f} KB per connection, half of"
            f" {n.edge_host_memory_gb:g} GB over {workers} workers)",
        ),
        (
            "edge hosts",
            f"{hosts:,} ({holding:,} hold everyone, one more to survive losing one)",
            f"{per_host:,} readers per host ({workers} workers x {per_worker:,})",
        ),
        (
            "edge memory per host",
            f"{after_loss * kb / GB:,.1f} GB",
            f"{after_loss:,.0f} readers per host with one lost, {e.kb_per_connection:.1f} KB each",
        ),
        (
            "edge CPU per result",
            f"{cpu_per_reader_ms * n.audience / 1000:,.0f} CPU-seconds, "
            f"{share_after_loss:.0%} of each worker's core with one host lost",
            f"{cpu_per_reader_ms * 1000:.1f} us per reader ({e.cpu_ms_per_push:,.0f} ms at "
            f"{e.readers:,}), results {n.results_apart_s:g} s apart",
        ),
        (
            "last reader after a result",
            f"{e.last_reader_ms / 1000:.1f} s (p99 {e.last_reader_p99_ms / 1000:.1f} s)",
            f"one worker at {e.readers:,} readers{floor}; each worker writes to its own readers "
            "in parallel",
        ),
        (
            "publishing per result",
            f"{hosts:,} POSTs of {f.bytes_per_result:,} bytes",
            "one per edge host, from the process that wrote",
        ),
        (
            "heartbeats",
            f"{hosts:,} POSTs per ceremony every {n.heartbeat_s:g} s, {hosts:,} queries/s",
            "`edge_heartbeat`: a loop per edge host, one query a second each",
        ),
        (
            "Redis per result",
            "the desk's message only",
            "the readers' frames go to the edges over HTTP",
        ),
        (
            "egress per result, per edge host",
            f"{n.audience / hosts * f.bytes_per_result / GB:,.2f} GB",
            f"{n.audience / hosts:,.0f} readers x {f.bytes_per_result:,} bytes",
        ),
        (
            "reconnect storm: one edge host lost",
            f"{storm_connects_s:,.1f} s to reconnect, {storm_api_s:,.1f} s of API fetches",
            f"{lost_readers:,.0f} readers over {(hosts - 1) * workers:,} workers at "
            f"{e.connects_per_s:,.0f} connects/s each; each reconnect fetches the API (no-cache) "
            f"from {n.edge_app_processes} processes at {f.origin_requests_per_s:,.0f}/s each",
        ),
        (
            "reconnect storm: everyone at once",
            f"{everyone_s:,.1f} s to reconnect, {everyone_api_s:,.0f} s of API fetches",
            f"{n.audience:,} over {hosts * workers:,} workers; the API as above",
        ),
    ]


def edge_figures_from(fanout: dict | None, **overrides) -> EdgeFigures | None:
    """The figures of the largest `edge` run that lost no reader (and the floor's last reader
    at as many readers in the same run); `overrides` (not None) win. None without such a run."""
    runs = [
        r
        for r in (fanout or {}).get("fanout", [])
        if r.get("setup") == "edge" and r.get("lost") == 0 and r.get("last_ms")
    ]
    if not runs:
        return None
    best = max(runs, key=lambda r: r["connected"])
    floors = [
        r["last_ms"]["p50"]
        for r in fanout["fanout"]
        if r.get("setup") == "floor" and r.get("readers") == best["readers"] and r.get("last_ms")
    ]
    found = {
        "readers": best["connected"],
        "cpu_ms_per_push": best["server_cpu_per_announcement_ms"],
        "kb_per_connection": best["rss_per_connection_kb"],
        "last_reader_ms": best["last_ms"]["p50"],
        "last_reader_p99_ms": best["last_ms"]["p99"],
        "connects_per_s": best["connect_rate"],
        "floor_last_reader_ms": floors[0] if floors else None,
    }
    found |= {k: v for k, v in overrides.items() if v is not None}
    return EdgeFigures(**found)


def figures_from(fanout: dict | None, edge: dict | None, **overrides) -> Figures:
    """The figures of the largest run of one Daphne process that lost no reader, and of the
    edge benchmark's cached page; `overrides` (not None) win."""
    found: dict = {}
    if fanout:
        runs = [
            r
            for r in fanout.get("fanout", [])
            if r.get("setup") == "daphne" and r.get("lost") == 0 and r.get("last_ms")
        ]
        if runs:
            best = max(runs, key=lambda r: r["connected"])
            found |= {
                "readers_per_process": best["connected"],
                "cpu_ms_per_push": best["server_cpu_per_announcement_ms"],
                "last_reader_ms": best["last_ms"]["p50"],
                "connects_per_s": best["connect_rate"],
            }
        pages = [p for p in fanout.get("pages", []) if "API" in p["what"]]
        if pages:
            found["origin_requests_per_s"] = pages[0]["requests_per_s"]
            found["bytes_per_result"] = pages[0]["bytes"]
        if fanout.get("frame_bytes"):
            found["bytes_per_result"] = fanout["frame_bytes"]
    if edge:
        cached = [r for r in edge.get("edge", []) if r["what"] == "page, edge cache"]
        if cached:
            found["edge_origin_per_url_s"] = cached[0]["origin_per_s"]
        bypassed = [r for r in edge.get("edge", []) if "bypassed" in r["what"]]
        if bypassed and "origin_requests_per_s" not in found:
            # Two processes answered the bypassed requests.
            found["origin_requests_per_s"] = bypassed[0]["requests_per_s"] / 2
        api = [r for r in edge.get("edge", []) if "API" in r["what"]]
        if api and "bytes_per_result" not in found:
            found["bytes_per_result"] = api[0]["bytes"]
    found |= {k: v for k, v in overrides.items() if v is not None}
    missing = [f.name for f in fields(Figures) if f.name not in found]
    if missing:
        raise SystemExit(f"no figure for {', '.join(missing)}: give a benchmark's JSON or --flag")
    return Figures(**{f.name: found[f.name] for f in fields(Figures)})


def table(rows: list[tuple[str, str, str]]) -> str:
    lines = ["| what | needs | from |", "| --- | --- | --- |"]
    lines += [f"| {what} | {value} | {how} |" for what, value, how in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fanout", type=Path, help="tests/perf/fanout_bench.py --json output")
    parser.add_argument("--edge", type=Path, help="tests/perf/edge_bench.py --json output")
    for f in fields(Figures):
        parser.add_argument("--" + f.name.replace("_", "-"), type=float)
    for f in fields(Night):
        parser.add_argument("--" + f.name.replace("_", "-"), type=type(f.default))
    args = parser.parse_args()
    load = lambda path: json.loads(path.read_text()) if path else None  # noqa: E731
    overrides = {f.name: getattr(args, f.name) for f in fields(Figures)}
    figures = figures_from(load(args.fanout), load(args.edge), **overrides)
    figures = replace(
        figures,
        readers_per_process=int(figures.readers_per_process),
        bytes_per_result=int(figures.bytes_per_result),
    )
    night = replace(
        Night(), **{f.name: getattr(args, f.name) for f in fields(Night) if getattr(args, f.name)}
    )
    print("Figures:", ", ".join(f"{k}={v:g}" for k, v in vars(figures).items()))
    print("Night:", ", ".join(f"{k}={v:g}" for k, v in vars(night).items()))
    print()
    print(table(plan(figures, night)))
    edge_figures = edge_figures_from(load(args.fanout))
    if edge_figures:
        print("\nThe edge tier:", ", ".join(f"{k}={v}" for k, v in vars(edge_figures).items()))
        print()
        print(table(plan_edge(figures, edge_figures, night)))


if __name__ == "__main__":
    main()
