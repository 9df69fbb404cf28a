"""For the import timing scripts of tests/perf/: their --runs argument and Django set up on a
PostgreSQL database of their own, and the table of medians as a ratio to the run's floor."""

import argparse
import os
import statistics
import sys


def setup_on_postgres(description: str) -> argparse.Namespace:
    """Parse --runs and set Django up; exit with one line unless DATABASE_URL is PostgreSQL."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.conf import settings

    if not settings.IS_POSTGRES:
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (it is flushed).")
    return args


def print_figures(figures: dict[str, list[float]], *, floor: str) -> None:
    """Each step's median seconds, its ratio to the median of the step named `floor`, its runs."""
    base = statistics.median(figures[floor])
    width = max(len(name) for name in figures) + 2
    print(f"{'step':<{width}} {'median s':>9} {'x floor':>8}   runs")
    for name, values in figures.items():
        median = statistics.median(values)
        runs = ", ".join(f"{v:.1f}" for v in values)
        print(f"{name:<{width}} {median:>9.1f} {median / base:>8.1f}   {runs}")
