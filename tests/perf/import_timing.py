"""How long the whole history takes to import, in both orders, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_import_bench \\
        .venv/bin/python tests/perf/import_timing.py --runs 3

Each run imports oscars.csv and golden_globe_awards.csv (from ../shared/data) into a freshly
migrated database, once Oscars then Globes and once Globes then Oscars, and prints the seconds of
each step. The floor is the time the two parsers take to read both files in the same run (no
database at all): the figure that matters is the import's ratio to it. The goal (issue 13): both
imports, in either order, under 30 s together. Figures go to docs/performance.md.
"""

import io
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
from tests.support.timing import print_figures, setup_on_postgres  # noqa: E402

SHARED = PROJECT.parent / "shared" / "data" / "third_party"


def main() -> None:
    args = setup_on_postgres(__doc__.split("\n\n")[0])
    from django.core.management import call_command
    from django.db import connection

    from ceremony.importers.globes_csv import read_globes
    from ceremony.importers.oscars_csv import read_oscars

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

    print_figures(figures, floor="floor: parse both files")


if __name__ == "__main__":
    main()
