"""Pools under load (docs/performance.md, *Pools*): a 5,000-member pool's standings reaching its
members against the ceremony page's own update, in the same run; and ballot saves per second.

1. Builds the 97th Academy Awards (draft), a pool of MEMBERS players with random ballots (through
   the services), goes live, and starts one Daphne process (Redis layer).
2. Opens READERS plain websocket readers of the ceremony (the pool's members are readers of the
   ceremony's socket like any other: docs/pools.md) and, in Chromium, the ceremony page and the
   pool page as one member. Records the 97th's results from this process, one every INTERVAL s,
   with a correction among them, and takes per write: commit -> the ceremony page rendered it
   (live.js's `tracker:snapshot`), commit -> the pool page's standings rendered
   (pool.js's `pools:standings`, which also says how long its scoring and drawing took), and
   commit -> the last socket reader. Prints the medians and the ratio pool / ceremony.
3. Saves: SAVERS threads, each a member with its own secret, posting ballots over HTTP to a
   Daphne process for SAVE_SECONDS (limits raised for the run), and the service alone in this
   process: saves per second.
4. With --screenshots, writes docs/pool-live-desktop.png (1366x900) and pool-live-phone.png
   (390x844) of the pool page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_perf \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python tests/perf/pool_bench.py --members 5000

The database named is flushed by this script: never point it at real data. Prints figures;
asserts nothing.
"""

import argparse
import asyncio
import http.client
import os
import random
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "true")

# The Daphne process's settings: production's, with the limit on saves raised for the run.
SERVER_ENV = {
    "DEBUG": "false",
    "SECURE_SSL": "false",
    "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklm"),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "POOL_RATE_SAVE": "1000000/minute",
}

# Made-up first names, so the screenshots look like a pool and not a table of numbers.
NAMES = "Ann Bo Cy Dee Eli Fay Gus Hal Ida Jo Kit Lou Max Ned Ola Pia Rex Sam Tia Uma Val Wes"


def prepare(members: int):
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    # The Daphne process serves the hashed static files, as production (DEBUG=false): collect
    # the current ones with its settings.
    from tests.support import stack

    stack.manage(
        "collectstatic", "--no-input", "--verbosity", "0", env={**os.environ, **SERVER_ENV}
    )
    from ceremony import services as ceremony_services
    from ceremony.importers.json_file import ceremony_spec
    from ceremony.pools import services
    from ceremony.realtime import snapshots
    from tests.support.builders import demo_data

    ceremony_services.ceremony_import(
        spec=ceremony_spec(demo_data("golden-globes-82.json"), source="perf")
    )
    oscars = ceremony_services.ceremony_import(
        spec=ceremony_spec(demo_data("oscars-97-nominees.json"), source="perf", with_results=False)
    ).ceremony
    pool = services.pool_create(ceremony_id=oscars.pk, name="The whole office").pool
    cats = [c for c in snapshots.current_snapshot(oscars).data["categories"] if c["competitive"]]
    rng = random.Random(97)
    names = NAMES.split()
    secrets = []
    started = time.perf_counter()
    for i in range(members):
        ballot = {
            c["slug"]: rng.choice(c["nominations"])["id"] for c in cats if rng.random() < 0.95
        }
        name = f"{names[i % len(names)]} {i // len(names) + 1}"
        joined = services.member_join(pool_id=pool.pk, name=name, picks=ballot, tiebreak=None)
        secrets.append((joined.member.pk, joined.secret))
    print(f"{members} members joined through the service in {time.perf_counter() - started:.1f} s")
    return oscars, pool, cats, secrets


def go_live(ceremony) -> None:
    from ceremony import services

    services.ceremony_set_status(ceremony_id=ceremony.pk, status="live", editor=None)


def write_plan(ceremony) -> list:
    """A function per write: the 97th's results in the file's order, and after the fifth a
    correction of the first to a wrong winner and back."""
    from ceremony import services
    from tests.perf.push_latency import plan as results_plan

    steps = results_plan(ceremony)
    first, right = steps[0]
    wrong = [n for n in ceremony.categories.get(pk=first).nominations.values_list("pk", flat=True)]
    wrong = [n for n in wrong if n not in right][:1]

    def record(category_id, ids):
        return lambda: services.result_record(
            category_id=category_id, nomination_ids=ids, editor=None, tie=len(ids) > 1
        )

    def correct(category_id, ids):
        return lambda: services.result_correct(
            category_id=category_id, nomination_ids=ids, editor=None, reason="bench"
        )

    plan = [record(c, ids) for c, ids in steps]
    return [*plan[:5], correct(first, wrong), correct(first, right), *plan[5:]]


def timed_writes(plan, interval: float, committed: dict) -> None:
    """Each write, INTERVAL s apart, noting when its version committed."""
    from django.db import connections, transaction

    from ceremony.models import Ceremony

    for write in plan:
        time.sleep(interval)
        with transaction.atomic():
            ceremony = Ceremony.objects.get(pk=CEREMONY_ID)
            version = ceremony.version + 1
            transaction.on_commit(lambda v=version: committed.__setitem__(v, time.time()))
            write()
    connections.close_all()


CEREMONY_ID = 0

# Registered at document start in each page: when each version was shown, by the page's clock.
LISTEN = """
window.__seen = {};
document.addEventListener("tracker:snapshot", (e) => {
  window.__seen[e.detail.version] = { at: Date.now(), ms: null };
});
document.addEventListener("pools:standings", (e) => {
  window.__seen[e.detail.version] = { at: Date.now(), ms: e.detail.ms };
});
"""


def readers_thread(url: str, origin: str, count: int, until: int, arrivals: dict, ready):
    from tests.support.readers import read_versions

    async def run():
        readies = [asyncio.Event() for _ in range(count)]
        tasks = []
        for event in readies:
            tasks.append(
                asyncio.create_task(
                    read_versions(
                        url,
                        origin,
                        until,
                        event,
                        lambda v, _f: arrivals.setdefault(v, []).append(time.time()),
                    )
                )
            )
            await asyncio.sleep(0.002)
        await asyncio.gather(*(e.wait() for e in readies))
        ready.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 600)

    thread = threading.Thread(target=lambda: asyncio.run(run()), daemon=True)
    thread.start()
    return thread


def saves(server_url: str, code: str, secrets: list, cats: list, threads: int, seconds: float):
    """Ballot saves per second over HTTP: THREADS clients, each a member, posting for SECONDS."""
    host, port = server_url.removeprefix("http://").split(":")
    token = "b" * 32
    counts = [0] * threads
    statuses = {}
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        member_id, secret = secrets[index]
        rng = random.Random(index)
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={token}; pool-{code}={member_id}.{secret}",
        }
        while time.monotonic() < stop:
            fields = [f"csrfmiddlewaretoken={token}"] + [
                f"pick-{c['slug']}={rng.choice(c['nominations'])['id']}" for c in cats
            ]
            connection.request("POST", f"/pools/{code}/ballot/", "&".join(fields), headers)
            response = connection.getresponse()
            response.read()
            statuses[response.status] = statuses.get(response.status, 0) + 1
            counts[index] += 1

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    return sum(counts) / elapsed, statuses


def service_saves(secrets: list, cats: list, seconds: float) -> float:
    from ceremony.pools import services

    rng = random.Random(1)
    done = 0
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        member_id, _ = secrets[done % len(secrets)]
        ballot = {c["slug"]: rng.choice(c["nominations"])["id"] for c in cats}
        services.ballot_save(member_id=member_id, picks=ballot)
        done += 1
    return done / (time.monotonic() - started)


def median(values):
    return statistics.median(values) if values else float("nan")


def main():
    global CEREMONY_ID
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--readers", type=int, default=500)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--savers", type=int, default=8)
    parser.add_argument("--save-seconds", type=float, default=10)
    parser.add_argument("--screenshots", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL: the publish must cross processes through Redis.")
    ceremony, pool, cats, secrets = prepare(args.members)
    CEREMONY_ID = ceremony.pk

    from django.db import connections

    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
    from tests.support.servers import DaphneServer, socket_url

    # Saves first, before the lock: as the minute before the show.
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECURE_SSL": "false",
        "POOL_RATE_SAVE": "1000000/minute",
    }
    env.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    server = DaphneServer(env=env).start()
    try:
        rate, statuses = saves(server.url, pool.code, secrets, cats, args.savers, args.save_seconds)
        print(f"saves over HTTP, one Daphne, {args.savers} clients: {rate:.0f}/s {statuses}")
        alone = service_saves(secrets, cats, 5)
        print(f"saves, the service alone in this process: {alone:.0f}/s")
        connections.close_all()

        go_live(ceremony)
        ceremony.refresh_from_db()
        plan = write_plan(ceremony)
        until = ceremony.version + len(plan)
        arrivals: dict[int, list[float]] = {}
        ready = threading.Event()
        if args.readers:
            readers_thread(
                socket_url(server.url, ceremony.slug),
                server.url,
                args.readers,
                until,
                arrivals,
                ready,
            )
            ready.wait(300)
        print(
            f"{args.readers} socket readers connected; {len(plan)} writes, {args.interval} s apart"
        )

        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            member_id, secret = secrets[0]
            context.add_cookies(
                [
                    {
                        "name": f"pool-{pool.code}",
                        "value": f"{member_id}.{secret}",
                        "url": server.url + f"/pools/{pool.code}/",
                    }
                ]
            )
            context.add_init_script(LISTEN)
            ceremony_page = context.new_page()
            ceremony_page.goto(f"{server.url}/ceremonies/{ceremony.slug}/")
            pool_page = context.new_page()
            problems = []
            pool_page.on("console", lambda m: problems.append(m.text) if m.type == "error" else 0)
            pool_page.on("pageerror", lambda e: problems.append(str(e)))
            pool_page.goto(f"{server.url}/pools/{pool.code}/")
            pool_page.wait_for_selector("#standings tr", timeout=30000)
            committed: dict[int, float] = {}
            with ThreadPoolExecutor(1) as writer:
                writer.submit(timed_writes, plan, args.interval, committed).result()
            time.sleep(3)
            shown_ceremony = ceremony_page.evaluate("window.__seen")
            shown_pool = pool_page.evaluate("window.__seen")
            if problems:
                print("pool page errors:", problems[:5])
            if args.screenshots:
                docs = PROJECT / "docs"
                pool_page.screenshot(path=str(docs / "pool-live-desktop.png"))
                phone = browser.new_context(
                    viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
                )
                phone.add_cookies(
                    [
                        {
                            "name": f"pool-{pool.code}",
                            "value": f"{member_id}.{secret}",
                            "url": server.url + f"/pools/{pool.code}/",
                        }
                    ]
                )
                page = phone.new_page()
                page.goto(f"{server.url}/pools/{pool.code}/")
                page.wait_for_selector("#standings tr")
                page.screenshot(path=str(docs / "pool-live-phone.png"))
                print("screenshots: docs/pool-live-desktop.png, docs/pool-live-phone.png")
            browser.close()
    finally:
        server.stop()

    versions = sorted(committed)
    page_delay = [
        (shown_ceremony[str(v)]["at"] / 1000 - committed[v]) * 1000
        for v in versions
        if str(v) in shown_ceremony
    ]
    pool_delay = [
        (shown_pool[str(v)]["at"] / 1000 - committed[v]) * 1000
        for v in versions
        if str(v) in shown_pool
    ]
    scoring_ms = [shown_pool[str(v)]["ms"] for v in versions if str(v) in shown_pool]
    last = [(max(arrivals[v]) - committed[v]) * 1000 for v in versions if v in arrivals]
    print(f"writes {len(versions)}; shown: ceremony {len(page_delay)}, pool {len(pool_delay)}")
    print(f"commit -> last of {args.readers} socket readers: median {median(last):.0f} ms")
    figures = [
        ("commit -> ceremony page rendered", page_delay),
        (f"commit -> pool standings rendered ({args.members} members)", pool_delay),
        ("  of which scoring and drawing in the page", scoring_ms),
    ]
    for what, values in figures:
        print(f"{what}: median {median(values):.1f} ms, max {max(values):.1f} ms")
    ratio = median(pool_delay) / median(page_delay)
    print(f"ratio pool / ceremony page (medians): {ratio:.2f} (goal: at most 2)")


if __name__ == "__main__":
    main()
