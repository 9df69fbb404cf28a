"""The edge cache benchmark: wrk through nginx (the shipped deploy/nginx files) in front of two
Daphne processes, with and without the edge cache, counting the requests that reached the
processes (their access logs).

For each case it runs `wrk -t2 -c<connections> -d<seconds>s --latency` over TLS against nginx and
reports requests per second, p99, errors, and origin requests (per second, and per URL per
second). Cases: the ceremony page and the snapshot API from the edge cache; the page with the
edge bypassed (the request header `Cache-Control: no-cache`, as a hard reload sends: every
request reaches a process, whose own page cache answers); and the page from the edge while a
result is recorded every second.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench \
    REDIS_URL=redis://127.0.0.1:6379/0 REDIS_PREFIX=bench \
    .venv/bin/python tests/perf/edge_bench.py --json /tmp/edge.json

Prints a line per case and a Markdown table, and writes the figures as JSON (--json), which
tests/perf/scaling_plan.py reads. Asserts nothing. The database named is flushed.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.support import stack

HERE = Path(__file__).resolve().parent

CASES = (
    ("page, edge cache", f"/ceremonies/{stack.SLUG}/", (), False),
    ("snapshot API, edge cache", f"/api/ceremonies/{stack.SLUG}/", (), False),
    (
        "page, edge bypassed (no-cache)",
        f"/ceremonies/{stack.SLUG}/",
        ("-H", "Cache-Control: no-cache"),
        False,
    ),
    ("page, edge cache, a result every second", f"/ceremonies/{stack.SLUG}/", (), True),
)


def origin_count(logs: list[Path], path: str) -> int:
    needle = f'"GET {path}'
    return sum(
        line.count(needle) for log in logs if log.exists() for line in log.open(errors="replace")
    )


def run(args) -> list[dict]:
    from tests.support.nginx import Nginx, Upstream, running

    env = stack.production_env(SECURE_SSL="true", APP_VERSION="edge-bench")
    stack.prepare(env, static=True)
    workdir = Path(tempfile.mkdtemp(prefix="edge-"))
    logs = [workdir / f"daphne-{n}.access.log" for n in (1, 2)]
    upstreams = [Upstream(env, access_log=log) for log in logs]
    nginx = Nginx(upstreams, workdir)
    results = []
    for upstream in upstreams:
        upstream.env = {**env, "CSRF_TRUSTED_ORIGINS": nginx.base}
    with running(nginx, upstreams):
        for name, path, headers, writing in CASES:
            status, _, body = nginx.get(path)
            assert status == 200, (name, status)
            writer = None
            if writing:
                writer = subprocess.Popen(
                    [
                        *(stack.PYTHON, str(HERE / "bench_writer.py"), stack.SLUG),
                        *(str(stack.RESULTS), "--interval", "1", "--count", str(args.seconds)),
                    ],
                    cwd=stack.PROJECT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=(workdir / "writer.log").open("w"),
                )
            before = origin_count(logs, path)
            measured = stack.wrk(nginx.base + path, args.seconds, args.connections, headers)
            if writer is not None:
                writer.wait(timeout=120)
            time.sleep(0.5)
            origin = origin_count(logs, path) - before
            total, rate = measured["requests"], measured["requests_per_s"]
            row = {
                "what": name,
                "path": path,
                "bytes": len(body),
                "seconds": args.seconds,
                "connections": args.connections,
                **measured,
                "origin_requests": origin,
                "origin_per_s": origin / args.seconds,
                "hit_rate": max(0.0, 1 - origin / total) if total else 0.0,
            }
            results.append(row)
            print(
                f"{name}: {rate:.0f} requests/s, p99 {row['p99']}, {row['non_2xx']} errors; "
                f"origin {origin} requests ({row['origin_per_s']:.1f}/s), hit rate "
                f"{row['hit_rate']:.4f}",
                flush=True,
            )
    print(f"logs: {workdir}")
    return results


def table(results: list[dict]) -> str:
    rows = [
        "| case | requests/s | p99 | errors | origin requests | origin/s | edge hit rate |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        rows.append(
            f"| {r['what']} | {r['requests_per_s']:,.0f} | {r['p99']} | {r['non_2xx']} "
            f"| {r['origin_requests']:,} | {r['origin_per_s']:.1f} | {r['hit_rate']:.4f} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--json", type=Path, default=Path(tempfile.gettempdir()) / "edge.json")
    args = parser.parse_args()
    if not shutil.which("wrk") or not Path("/usr/sbin/nginx").exists():
        sys.exit("needs wrk and nginx (apt-get install wrk nginx)")
    stack.raise_open_files()
    results = run(args)
    print("\n" + table(results))
    args.json.write_text(json.dumps({"edge": results}, indent=1))
    print(f"figures: {args.json}")


if __name__ == "__main__":
    main()
