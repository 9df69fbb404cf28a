"""The scaling plan's arithmetic (tests/perf/scaling_plan.py): processes, hosts, Redis, egress,
the edge's hit rate and the reconnect storms, from figures chosen so each row is checkable by
hand; and which benchmark run its figures come from."""

import pytest

from tests.perf.scaling_plan import Figures, Night, figures_from, plan

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


def test_processes_hosts_and_the_push():
    rows = plan(FIGURES, NIGHT)

    assert row(rows, "Daphne processes") == "100"
    assert row(rows, "app hosts") == "10 (11 to survive losing one)"
    assert row(rows, "last reader after a result") == "4.0 s"
    # 4 s of CPU in each of 100 processes.
    assert row(rows, "app CPU per result") == "400 CPU-seconds"


def test_redis_postgresql_and_egress():
    rows = plan(FIGURES, NIGHT)

    assert row(rows, "Redis per result") == "1 publish, 100 deliveries, 3.0 MB"
    assert row(rows, "PostgreSQL, steady") == "50 queries/s"
    assert row(rows, "PostgreSQL, everyone connecting") == (
        "4,000 queries/s, 2,000 new connections/s"
    )
    # 1,000,000 x 30 KB, in the 4 s of the push.
    assert row(rows, "egress per result") == "30.0 GB"
    assert row(rows, "egress rate while a result goes out") == "60.0 Gbit/s"


def test_the_edge():
    rows = plan(FIGURES, NIGHT)

    # 10 workers x 10,000 readers each: 10 hosts, and a spare.
    assert row(rows, "edge hosts") == "11"
    # 2,000 loads/s; 11 hosts x 2 URLs x 0.5/s = 11/s reach the processes.
    assert row(rows, "edge cache hit rate, page loads") == "99.4500%"
    # 60 Gbit/s over the 10 hosts that serve.
    assert row(rows, "egress per edge host while a result goes out") == "6.0 Gbit/s"


def test_reconnect_storms():
    rows = plan(FIGURES, NIGHT)

    # 10,000 readers over 99 processes accepting 50/s each.
    assert row(rows, "reconnect storm: one process restarted (rolling deploy)") == "2.0 s"
    # 100,000 readers over 90 processes.
    assert row(rows, "reconnect storm: one app host lost") == "22.2 s"
    assert row(rows, "reconnect storm: everyone at once (edge restart)") == (
        "200 s to reconnect, 5 s of API resyncs"
    )


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
