"""The scaling plan's arithmetic (tests/perf/scaling_plan.py): processes, hosts, Redis, egress,
the edge's hit rate and the reconnect storms, and the edge tier's Nchan workers and hosts as the
open-files limit, the CPU per result or the memory per connection bounds them, from figures
chosen so each row is checkable by hand; and which benchmark run its figures come from."""

from dataclasses import replace

import pytest

from tests.perf.scaling_plan import (
    EdgeFigures,
    Figures,
    Night,
    edge_figures_from,
    figures_from,
    plan,
    plan_edge,
)

FIGURES = Figures(
    readers_per_process=10_000,
    cpu_ms_per_push=4_000,
    last_reader_ms=4_000,
    connects_per_s=50,
    origin_requests_per_s=2_000,
    bytes_per_result=30_000,
    edge_origin_per_url_s=0.5,
)
NIGHT = Night(
    audience=1_000_000,
    cores_per_app_host=10,
    cores_per_edge_host=10,
    worker_connections=20_000,
    urls=2,
    page_load_window_s=500,
)


def row(rows, what: str) -> str:
    return dict((w, v) for w, v, _ in rows)[what]


# Each row of the plan for FIGURES and NIGHT, worked out by hand.
EXPECTED = [
    ("Daphne processes", "100"),
    ("app hosts", "10 (11 to survive losing one)"),
    ("last reader after a result", "4.0 s"),
    # 4 s of CPU in each of 100 processes.
    ("app CPU per result", "400 CPU-seconds"),
    ("Redis per result", "1 publish, 100 deliveries, 3.0 MB"),
    ("Redis between results", "0 messages"),
    ("PostgreSQL, steady", "50 queries/s"),
    # 1,000,000 handshakes over 500 s, two queries each.
    ("PostgreSQL, everyone connecting", "4,000 queries/s, 2,000 new connections/s"),
    # 10 workers x 10,000 readers each: 10 hosts, and a spare.
    ("edge hosts", "11"),
    # 2,000 loads/s; 11 hosts x 2 URLs x 0.5/s = 11/s reach the processes.
    ("edge cache hit rate, page loads", "99.4500%"),
    # 1,000,000 x 30 KB, in the 4 s of the push, over the 10 hosts that serve.
    ("egress per result", "30.0 GB"),
    ("egress rate while a result goes out", "60.0 Gbit/s"),
    ("egress per edge host while a result goes out", "6.0 Gbit/s"),
    # 1,000,000 / 4 s, 40 bytes each.
    ("egress between results", "250,000 heartbeats/s, 0.08 Gbit/s"),
    # 10,000 readers over 99 processes accepting 50/s each.
    ("reconnect storm: one process restarted (rolling deploy)", "2.0 s"),
    # 100,000 readers over 90 processes.
    ("reconnect storm: one app host lost", "22.2 s"),
    ("reconnect storm: everyone at once (edge restart)", "200 s to reconnect, 5 s of API resyncs"),
    ("reconnect storm: Redis failover", "none; 100 resync queries"),
]


@pytest.mark.parametrize(("what", "expected"), EXPECTED)
def test_each_row_of_the_plan(what, expected):
    assert row(plan(FIGURES, NIGHT), what) == expected


def test_the_plan_has_exactly_those_rows():
    assert [what for what, _, _ in plan(FIGURES, NIGHT)] == [what for what, _ in EXPECTED]


def test_fewer_bytes_per_result_scale_egress_and_redis_only():
    deltas = plan(Figures(**{**vars(FIGURES), "bytes_per_result": 1_500}), NIGHT)
    whole = plan(FIGURES, NIGHT)

    assert row(deltas, "egress per result") == "1.5 GB"
    assert row(deltas, "Redis per result") == "1 publish, 100 deliveries, 0.2 MB"
    assert row(deltas, "Daphne processes") == row(whole, "Daphne processes")


def test_figures_come_from_the_largest_lossless_daphne_run_and_the_edge_benchmark():
    fanout = {
        "fanout": [
            {
                "setup": "daphne",
                "connected": 1000,
                "lost": 0,
                "last_ms": {"p50": 300},
                "server_cpu_per_announcement_ms": 350,
                "connect_rate": 65,
            },
            {
                "setup": "daphne",
                "connected": 9920,
                "lost": 0,
                "last_ms": {"p50": 3832},
                "server_cpu_per_announcement_ms": 3628,
                "connect_rate": 43,
            },
            {
                "setup": "daphne",
                "connected": 20000,
                "lost": 5,
                "last_ms": {"p50": 9000},
                "server_cpu_per_announcement_ms": 9000,
                "connect_rate": 20,
            },
            {
                "setup": "uvicorn",
                "connected": 30000,
                "lost": 0,
                "last_ms": {"p50": 1},
                "server_cpu_per_announcement_ms": 1,
                "connect_rate": 1,
            },
        ],
        "pages": [{"what": "snapshot API", "bytes": 31_000, "requests_per_s": 1713}],
    }
    edge = {"edge": [{"what": "page, edge cache", "origin_per_s": 0.47}]}

    figures = figures_from(fanout, edge, bytes_per_result=1500)

    assert figures == Figures(
        readers_per_process=9920,
        cpu_ms_per_push=3628,
        last_reader_ms=3832,
        connects_per_s=43,
        origin_requests_per_s=1713,
        bytes_per_result=1500,
        edge_origin_per_url_s=0.47,
    )


def test_a_missing_figure_is_named():
    with pytest.raises(SystemExit, match="edge_origin_per_url_s"):
        figures_from(
            {"fanout": [], "pages": []},
            None,
            **{k: 1 for k in vars(FIGURES) if k != "edge_origin_per_url_s"},
        )


EDGE = EdgeFigures(
    readers=10_000,
    cpu_ms_per_push=200,
    kb_per_connection=10,
    last_reader_ms=800,
    last_reader_p99_ms=1_500,
    connects_per_s=1_000,
    floor_last_reader_ms=500,
)

# Each row of the edge tier's plan for FIGURES, EDGE and NIGHT (results 5 s apart), by hand.
EXPECTED_EDGE = [
    # Open files: min(20,000 connections, 65,536 files). CPU: 200 ms is 4% of a core every 5 s,
    # so 50% of a core is 125,000 readers. Memory: 16 GB / 10,240 bytes / 10 workers = 156,250.
    ("readers per Nchan worker", "20,000 (bound by open files)"),
    # 200,000 per host: 5 hold 1,000,000, and a sixth.
    ("edge hosts", "6 (5 hold everyone, one more to survive losing one)"),
    # 200,000 readers per host with one lost, 10,240 bytes each.
    ("edge memory per host", "2.0 GB"),
    # 0.02 ms per reader; 20,000 readers per worker with one lost: 400 ms of every 5 s.
    ("edge CPU per result", "20 CPU-seconds, 8% of each worker's core with one host lost"),
    ("last reader after a result", "0.8 s (p99 1.5 s)"),
    ("publishing per result", "6 POSTs of 30,000 bytes"),
    ("heartbeats", "6 POSTs per ceremony every 4 s, 6 queries/s"),
    ("Redis per result", "the desk's message only"),
    # 166,667 readers per host x 30 KB.
    ("egress per result, per edge host", "5.00 GB"),
    # 166,667 readers over 5 x 10 workers at 1,000/s; over 32 processes at 2,000/s.
    ("reconnect storm: one edge host lost", "3.3 s to reconnect, 2.6 s of API fetches"),
    # 1,000,000 over 60 workers; over 32 processes at 2,000/s.
    ("reconnect storm: everyone at once", "16.7 s to reconnect, 16 s of API fetches"),
]


@pytest.mark.parametrize(("what", "expected"), EXPECTED_EDGE)
def test_each_row_of_the_edge_tier_plan(what, expected):
    assert row(plan_edge(FIGURES, EDGE, NIGHT), what) == expected


def test_the_edge_tier_plan_has_exactly_those_rows():
    assert [what for what, _, _ in plan_edge(FIGURES, EDGE, NIGHT)] == [
        what for what, _ in EXPECTED_EDGE
    ]


def test_results_closer_together_bound_the_workers_by_cpu():
    # 200 ms every 0.5 s is 40% of a core at 10,000 readers: 50% is 12,500.
    rows = plan_edge(FIGURES, EDGE, replace(NIGHT, results_apart_s=0.5))

    assert row(rows, "readers per Nchan worker") == "12,500 (bound by CPU)"
    # 125,000 per host: 8 hold everyone.
    assert row(rows, "edge hosts") == "9 (8 hold everyone, one more to survive losing one)"


def test_a_small_host_bounds_the_workers_by_memory():
    # Half of 1 GB over 10 workers, 10,240 bytes per connection.
    rows = plan_edge(FIGURES, EDGE, replace(NIGHT, edge_host_memory_gb=1))

    assert row(rows, "readers per Nchan worker") == "4,882 (bound by memory)"


def test_edge_figures_come_from_the_largest_lossless_edge_run_and_its_floor():
    run = {
        "last_ms": {"p50": 700, "p99": 1800},
        "server_cpu_per_announcement_ms": 360,
        "rss_per_connection_kb": 10.4,
        "connect_rate": 1500,
    }
    fanout = {
        "fanout": [
            {**run, "setup": "edge", "readers": 2000, "connected": 2000, "lost": 0},
            {**run, "setup": "edge", "readers": 10000, "connected": 10000, "lost": 0},
            {**run, "setup": "edge", "readers": 50000, "connected": 49000, "lost": 3},
            {**run, "setup": "floor", "readers": 2000, "connected": 2000, "lost": 0},
            {
                **run,
                "setup": "floor",
                "readers": 10000,
                "connected": 10000,
                "lost": 0,
                "last_ms": {"p50": 460, "p99": 850},
            },
        ]
    }

    assert edge_figures_from(fanout, connects_per_s=900) == EdgeFigures(
        readers=10000,
        cpu_ms_per_push=360,
        kb_per_connection=10.4,
        last_reader_ms=700,
        last_reader_p99_ms=1800,
        connects_per_s=900,
        floor_last_reader_ms=460,
    )
    assert edge_figures_from({"fanout": [{**run, "setup": "daphne", "lost": 0}]}) is None
