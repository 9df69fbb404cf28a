"""How long the whole history takes to import, in both orders, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_import_bench \\
        .venv/bin/python tests/perf/import_timing.py --runs 3

Each run imports oscars.csv and golden_globe_awards.csv (from ../shared/data) into a freshly
migrated database, once Oscars then Globes and once Globes then Oscars, and prints the seconds of
each step. The floor is the time the two parsers take to read both files in the same run (no
database at all): the figure that matters is the import's ratio to it. The goal (issue 13): both
imports, in either order, under 30 s together. Figures go to docs/performance.md.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SHARED = PROJECT.parent / "shared" / "data" / "third_party"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from ceremony.importers.globes_csv import read_globes
    from ceremony.importers.oscars_csv import read_oscars

    if not settings.IS_POSTGRES:
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (it is flushed).")
    oscars, globes = SHARED / "oscars.csv", SHARED / "golden_globe_awards.csv"
    steps = {"oscars": ("import_oscars", oscars), "globes": ("import_globes", globes)}
    figures: dict[str, list[float]] = {}

    def timed(name: str, action) -> None:
        started = time.perf_counter()
        action()
        figures.setdefault(name, []).append(time.perf_counter() - started)

    for run in range(args.runs):
        timed("floor: parse both files", lambda: (read_oscars(oscars), read_globes(globes)))
        for order in (("oscars", "globes"), ("globes", "oscars")):
            call_command("flush", "--no-input", verbosity=0)
            connection.close()
            total = 0.0
            for step in order:
                started = time.perf_counter()
                call_command(*map(str, steps[step]), stdout=io.StringIO(), stderr=io.StringIO())
                took = time.perf_counter() - started
                total += took
                figures.setdefault(f"{' then '.join(order)}: {step}", []).append(took)
            figures.setdefault(f"{' then '.join(order)}: both", []).append(total)
        print(f"run {run + 1} of {args.runs} done", file=sys.stderr)

    floor = statistics.median(figures["floor: parse both files"])
    print(f"{'step':<36} {'median s':>9} {'x floor':>8}   runs")
    for name, values in figures.items():
        median = statistics.median(values)
        runs = ", ".join(f"{v:.1f}" for v in values)
        print(f"{name:<36} {median:>9.1f} {median / floor:>8.1f}   {runs}")


if __name__ == "__main__":
    main()
