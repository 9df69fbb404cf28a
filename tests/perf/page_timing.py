"""Server render time of the archive pages with the full history in PostgreSQL.

Renders ceremony, film and person pages, the upsets page (filters and pages) and the seasons
(index and years) in this process through Django's test client (routing,
view, queries, template; no network), REPEAT times each after a first, cold render, and prints
the median, 95th percentile and maximum per kind, and the most queries any page took. The goal
is a median under 50 ms. Prints figures; asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_perf \
    .venv/bin/python tests/perf/page_timing.py --import

--import loads ../shared/data (oscars.csv, golden_globe_awards.csv, the Golden Globe JSON files)
into the database first (idempotent); without it the database must already hold the history.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SHARED = PROJECT.parent / "shared" / "data"
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
# Production settings: DEBUG would record every query and slow every page.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "page-timing-only-secret-key-0123456789-abcdef")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--import", dest="load", action="store_true")
    parser.add_argument("--pages", type=int, default=25, help="pages of each kind")
    parser.add_argument("--repeat", type=int, default=20, help="warm renders of each page")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ceremony.models import Ceremony, Film, Person

    if not settings.IS_POSTGRES:
        print("Note: not PostgreSQL; the goal is stated for PostgreSQL.")
    call_command("migrate", verbosity=0)
    if args.load:
        started = time.monotonic()
        call_command("import_oscars", str(SHARED / "third_party" / "oscars.csv"))
        call_command(
            "import_globes",
            str(SHARED / "third_party" / "golden_globe_awards.csv"),
            *sorted(str(p) for p in SHARED.glob("golden-globes-*.json")),
        )
        print(f"Imported in {time.monotonic() - started:.1f} s.")

    rng = random.Random(5)

    def sample(queryset, n):
        """The most nominated half, and a random half of the rest."""
        ranked = list(
            queryset.annotate(n=Count("nominations")).order_by("-n").values_list("slug", flat=True)
        )
        top, rest = ranked[: n // 2], ranked[n // 2 :]
        return top + rng.sample(rest, min(len(rest), n - len(top)))

    ceremonies = list(Ceremony.objects.held().values_list("slug", flat=True))
    kinds = {
        "ceremony": [
            f"/ceremonies/{s}/" for s in rng.sample(ceremonies, min(args.pages, len(ceremonies)))
        ],
        "film": [f"/films/{s}/" for s in sample(Film.objects.all(), args.pages)],
        "person": [f"/people/{s}/" for s in sample(Person.objects.all(), args.pages)],
        "upsets": upsets_urls(rng, args.pages),
        "season": ["/seasons/", *(f"/seasons/{y}/" for y in season_years(rng, args.pages - 1))],
    }
    print(
        f"{Ceremony.objects.count()} ceremonies, {Film.objects.count()} films, "
        f"{Person.objects.count()} people; {args.pages} pages per kind, "
        f"{args.repeat} warm renders each."
    )
    client = Client()
    print(f"{'page':<10}{'cold median':>13}{'warm median':>13}{'p95':>9}{'max':>9}{'queries':>9}")
    for kind, urls in kinds.items():
        cold, warm, most_queries = [], [], 0
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                response = client.get(url)
                cold.append(time.perf_counter() - t)
            assert response.status_code == 200, (url, response.status_code)
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    t = time.perf_counter()
                    client.get(url)
                    warm.append(time.perf_counter() - t)
                most_queries = max(most_queries, len(queries))
        warm.sort()
        cold_ms, warm_ms = statistics.median(cold) * 1000, statistics.median(warm) * 1000
        p95_ms, max_ms = warm[int(len(warm) * 0.95) - 1] * 1000, warm[-1] * 1000
        print(
            f"{kind:<10}{cold_ms:>10.1f} ms{warm_ms:>10.1f} ms"
            f"{p95_ms:>6.1f} ms{max_ms:>6.1f} ms{most_queries:>9}"
        )


def upsets_urls(rng, n: int) -> list[str]:
    """The upsets page unfiltered (every page of it, against the Globes and against the
    season), then by category, decade and both."""
    from ceremony import history

    past = history.current()
    pages = (len(past.upset_rows) + 49) // 50
    urls = ["/upsets/", *(f"/upsets/?page={p}" for p in range(2, pages + 1))]
    season_pages = (len(past.season_upset_rows) + 49) // 50
    urls += [f"/upsets/?rank=season&page={p}" for p in range(1, season_pages + 1)]
    slugs = sorted({history.track_slug(k) for k in past.decades["keys"]})
    decades = sorted({r["season"].year // 10 * 10 for r in past.upset_rows})
    while len(urls) < n:
        urls.append(
            rng.choice(
                [
                    f"/upsets/?category={rng.choice(slugs)}",
                    f"/upsets/?decade={rng.choice(decades)}",
                    f"/upsets/?category={rng.choice(slugs)}&decade={rng.choice(decades)}",
                ]
            )
        )
    return urls[:n]


def season_years(rng, n: int) -> list[int]:
    from ceremony import history

    years = [y["year"] for y in history.current().years]
    return rng.sample(years, min(n, len(years)))


if __name__ == "__main__":
    main()
