"""How long every body of the IMDb awards files takes to import, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_awards_bench \\
        .venv/bin/python tests/perf/awards_timing.py --runs 3

The database (one of its own: it is flushed) first gets the archive a user has before these
files: oscars.csv, golden_globe_awards.csv and the Globes' JSON files (not timed). Each run then
removes the bodies' ceremonies and imports all six files in one `import_awards` (BAFTA, the
Actor Awards, Critics' Choice, the Spirit Awards written; golden-globes.yml and oscars.yml
compared), and prints the seconds. The floor is the time the parser takes to read and check
the six files in the same run (no database): the figure that matters is the ratio to it. The
goal (issue 25): every body under 60 s. Figures go to docs/performance.md.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SHARED = PROJECT.parent / "shared" / "data"
FILES = ["golden-globes", "bafta", "actor-awards", "critics-choice", "spirit-awards", "oscars"]


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

    from ceremony.importers.awards_yaml import read_awards
    from ceremony.models import AuditEntry, Ceremony, Disagreement, Film
    from ceremony.precursors import season_bodies

    if not settings.IS_POSTGRES:
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (it is flushed).")
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("flush", "--no-input", verbosity=0)
    third = SHARED / "third_party"
    call_command("import_oscars", str(third / "oscars.csv"), **quiet)
    globes_json = sorted(str(p) for p in SHARED.glob("golden-globes-*.json"))
    call_command("import_globes", str(third / "golden_globe_awards.csv"), *globes_json, **quiet)
    files = [str(third / "imdb-awards" / f"{name}.yml") for name in FILES]
    bodies = [b["name"] for b in season_bodies().values() if b["role"] == "precursor"]
    figures: dict[str, list[float]] = {}
    for run in range(args.runs):
        AuditEntry.objects.filter(ceremony__body__name__in=bodies).delete()
        Ceremony.objects.filter(body__name__in=bodies).delete()
        Disagreement.objects.all().delete()
        Film.objects.filter(nominations__isnull=True).delete()
        started = time.perf_counter()
        for file in files:
            read_awards(Path(file))
        figures.setdefault("floor: read and check the six files", []).append(
            time.perf_counter() - started
        )
        started = time.perf_counter()
        call_command("import_awards", *files, stdout=io.StringIO(), stderr=io.StringIO())
        figures.setdefault("import_awards: all six files", []).append(time.perf_counter() - started)
        started = time.perf_counter()
        call_command("import_awards", *files, stdout=io.StringIO(), stderr=io.StringIO())
        figures.setdefault("import_awards again (nothing changes)", []).append(
            time.perf_counter() - started
        )
        print(f"run {run + 1} of {args.runs} done", file=sys.stderr)

    floor = statistics.median(figures["floor: read and check the six files"])
    print(f"{'step':<40} {'median s':>9} {'x floor':>8}   runs")
    for name, values in figures.items():
        median = statistics.median(values)
        runs = ", ".join(f"{v:.1f}" for v in values)
        print(f"{name:<40} {median:>9.1f} {median / floor:>8.1f}   {runs}")


if __name__ == "__main__":
    main()
