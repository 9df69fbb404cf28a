"""Time from a write's commit to its snapshot on every reader's socket, across processes.

Starts Daphne as its own process (Redis layer), opens READERS websockets to it from here, and
makes WRITES results through the services in this process (so the publish crosses Redis), one
every INTERVAL seconds. Prints the median, 95th percentile and maximum delay per delivery, and
per write the delay until its last reader had it. Prints figures; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_perf \
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python tests/perf/push_latency.py --readers 1000

The database named is created (and its tables flushed) by this script: never point it at real data.
"""

import argparse
import asyncio
import os
import re
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "true")


def prepare():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    from ceremony import services
    from ceremony.importers.json_file import ceremony_spec
    from tests.support.builders import demo_data

    services.ceremony_import(spec=ceremony_spec(demo_data("golden-globes-82.json"), source="perf"))
    oscars = services.ceremony_import(
        spec=ceremony_spec(demo_data("oscars-97-nominees.json"), source="perf", with_results=False)
    ).ceremony
    services.ceremony_set_status(ceremony_id=oscars.pk, status="live", editor=None)
    oscars.refresh_from_db()
    return oscars


def plan(ceremony):
    """(category id, winner ids) for each result of the 97th, in the file's order."""
    from ceremony.text import name_key
    from tests.support.builders import demo_data

    results = []
    for row in demo_data("oscars-97-results.json")["categories"]:
        category = ceremony.categories.get(name=row["name"])
        wanted = {
            (name_key(n["film"]), name_key(n.get("nominee"))) for n in row["nominees"] if n["won"]
        }
        ids = [
            n.pk
            for n in category.nominations.all()
            if (name_key(n.film_title), name_key(n.nominee)) in wanted
        ]
        results.append((category.pk, ids))
    return results


def write_all(results, interval: float, committed: dict) -> None:
    from django.db import transaction

    from ceremony import services
    from ceremony.models import Category, Ceremony

    for category_id, ids in results:
        time.sleep(interval)
        with transaction.atomic():
            ceremony_id = Category.objects.get(pk=category_id).ceremony_id
            version = Ceremony.objects.get(pk=ceremony_id).version + 1
            # Registered before the service's own publish, so it runs first at commit.
            transaction.on_commit(lambda v=version: committed.__setitem__(v, time.time()))
            services.result_record(
                category_id=category_id, nomination_ids=ids, editor=None, tie=len(ids) > 1
            )


async def measure(args, ceremony, results):
    from tests.support.readers import read_versions, while_writing
    from tests.support.servers import DaphneServer, socket_url

    server = DaphneServer(env={**os.environ, "LOG_LEVEL": "INFO"}).start()
    try:
        origin = server.url
        url = socket_url(server.url, ceremony.slug)
        arrivals: dict[int, list[float]] = {}
        until = ceremony.version + len(results)
        readies = [asyncio.Event() for _ in range(args.readers)]
        tasks = []

        def arrived(version: int, _frame: str) -> None:
            arrivals.setdefault(version, []).append(time.time())

        for ready in readies:
            tasks.append(asyncio.create_task(read_versions(url, origin, until, ready, arrived)))
            await asyncio.sleep(0.002)
        print(f"{args.readers} readers connecting; writing {len(results)} results once all are")
        committed: dict[int, float] = {}
        await while_writing(
            tasks, readies, lambda: write_all(results, args.interval, committed), timeout=120
        )
    finally:
        server.stop()
    delays = sorted(
        (t - committed[v]) * 1000 for v, times in arrivals.items() for t in times if v in committed
    )
    last = [(max(times) - committed[v]) * 1000 for v, times in arrivals.items() if v in committed]
    p95 = delays[int(len(delays) * 0.95) - 1]
    loops = [float(m) for m in re.findall(r"push .* in ([\d.]+) ms", server.log_text())]
    if loops:
        print(
            f"server: one write to all {args.readers} sockets (fanout loop): median "
            f"{statistics.median(loops):.1f} ms, max {max(loops):.1f} ms, "
            f"{statistics.median(loops) * 1000 / args.readers:.0f} µs per reader"
        )
    print(
        f"commit -> socket, {len(delays)} deliveries: median {statistics.median(delays):.1f} ms, "
        f"p95 {p95:.1f} ms, max {delays[-1]:.1f} ms; "
        f"last reader of a write: median {statistics.median(last):.1f} ms, max {max(last):.1f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--writes", type=int, default=23)
    parser.add_argument("--interval", type=float, default=0.2)
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL: the publish must cross processes through Redis.")
    ceremony = prepare()
    results = plan(ceremony)[: args.writes]
    from django.db import connections

    connections.close_all()
    asyncio.run(measure(args, ceremony, results))


if __name__ == "__main__":
    main()
