"""The drills' writer: COUNT writes to the 97th Academy Awards through the services, in a process
of its own, one every INTERVAL seconds, printing `committed version=<n> at=<t>` for each.

Walks the categories in presentation order, recording the first nominee of one not yet announced
and withdrawing the result of one that is, so it can go on for any number of writes.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--slug", default="97th-academy-awards")
    args = parser.parse_args()

    import django

    django.setup()
    from ceremony import services
    from ceremony.models import Ceremony
    from tests.perf.bench_writer import time_commits

    time_commits()
    ceremony = Ceremony.objects.get(slug=args.slug)
    categories = list(ceremony.categories.in_order())
    for n in range(args.count):
        if n:
            time.sleep(args.interval)
        category = categories[n % len(categories)]
        category.refresh_from_db()
        if category.nominations.filter(won=True).exists():
            services.result_withdraw(
                category_id=category.pk, reason="drill", editor=None, actor="drill"
            )
        else:
            first = category.nominations.order_by("order", "pk").first()
            services.result_record(
                category_id=category.pk, nomination_ids=[first.pk], editor=None, actor="drill"
            )


if __name__ == "__main__":
    main()
