"""The benchmark's writer: `manage.py replay_ceremony` in a process of its own, with each commit's
time printed as `committed version=<n> at=<unix time>`.

The replay goes through the real write path (services: validate, write, bump, audit, publish on
commit). The only addition is the clock: `publish.publish` is what the service's on-commit hook
calls right after the commit, so timing it there is the commit time.

    bench_writer.py SLUG RESULTS_FILE --interval SECONDS [--count N]

--count keeps the file's first N winners only (the rest of the categories stay unannounced).
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")


def first_results(path: Path, count: int) -> Path:
    data = json.loads(path.read_text(encoding="utf-8"))
    kept = 0
    for category in data["categories"]:
        if any(n.get("won") for n in category["nominees"]):
            kept += 1
            if kept > count:
                for n in category["nominees"]:
                    n["won"] = False
    out = tempfile.NamedTemporaryFile(  # noqa: SIM115
        "w", suffix=".json", delete=False, encoding="utf-8"
    )
    json.dump(data, out)
    out.close()
    return Path(out.name)


def time_commits() -> None:
    """Print each commit's time: `publish.publish` is what the on-commit hook calls first."""
    from ceremony.realtime import publish as module

    # The module's attribute is replaced (publish_on_commit looks it up at each call); the
    # function itself is kept to call.
    original = module.publish

    def timed_publish(ceremony_id, snap):
        print(f"committed version={snap.version} at={time.time():.6f}", flush=True)
        original(ceremony_id, snap)

    module.publish = timed_publish


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("slug")
    parser.add_argument("results", type=Path)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--count", type=int, default=None)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    time_commits()
    results = first_results(args.results, args.count) if args.count else args.results
    try:
        call_command(
            "replay_ceremony", args.slug, str(results), interval=args.interval, in_place=True
        )
    finally:
        if results != args.results:
            results.unlink()


if __name__ == "__main__":
    main()
