import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ceremony import services
from ceremony.importers.json_file import ceremony_spec
from ceremony.importers.spec import ImportProblem
from ceremony.models import Ceremony
from ceremony.text import name_key

ACTOR = "replay"


class Command(BaseCommand):
    help = (
        "Record a results file's winners one category at a time, in presentation order, through "
        "the live write path: the rehearsal tool, the demo and the benchmarks' load generator."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("results", type=Path, help="A ceremony JSON file; its won flags.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between results.")

    def handle(self, *args, slug, results, interval, **options):
        try:
            ceremony = Ceremony.objects.get(slug=slug)
        except Ceremony.DoesNotExist:
            raise CommandError(f"No ceremony with slug {slug!r}.") from None
        try:
            data = json.loads(results.read_text(encoding="utf-8"))
            ceremony_spec(data, source=str(results))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{results}: {exc}") from None
        except ImportProblem as exc:
            raise CommandError(str(exc)) from None
        plan = self._plan(ceremony, data, results)
        if ceremony.status != Ceremony.Status.LIVE:
            reason = "replay" if ceremony.status == Ceremony.Status.FINAL else ""
            try:
                services.ceremony_set_status(
                    ceremony_id=ceremony.pk, status="live", editor=None, actor=ACTOR, reason=reason
                )
            except services.ServiceError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{ceremony.name} is live.")
        for n, (category, nomination_ids) in enumerate(plan, start=1):
            if n > 1 and interval > 0:
                time.sleep(interval)
            category.refresh_from_db()
            if sorted(category.nominations.filter(won=True).values_list("pk", flat=True)) == sorted(
                nomination_ids
            ):
                self.stdout.write(f"{category.name}: already recorded.")
                continue
            try:
                if category.nominations.filter(won=True).exists():
                    services.result_correct(
                        category_id=category.pk,
                        nomination_ids=nomination_ids,
                        editor=None,
                        actor=ACTOR,
                        reason="replayed from " + results.name,
                        tie=len(nomination_ids) > 1,
                    )
                else:
                    services.result_record(
                        category_id=category.pk,
                        nomination_ids=nomination_ids,
                        editor=None,
                        actor=ACTOR,
                        tie=len(nomination_ids) > 1,
                    )
            except services.ServiceError as exc:
                raise CommandError(f"{category.name}: {exc}") from None
            ceremony.refresh_from_db()
            self.stdout.write(f"v{ceremony.version} {category.name} recorded.")

    def _plan(self, ceremony, data, results):
        """Match every winner in the file to a nomination before recording anything."""
        wanted = {}
        for row in data["categories"]:
            winners = [n for n in row["nominees"] if n.get("won")]
            if winners:
                wanted[name_key(row["name"])] = (row["name"], winners)
        plan = []
        categories = {name_key(c.name): c for c in ceremony.categories.in_order()}
        for key, (name, _winners) in wanted.items():
            if key not in categories:
                raise CommandError(f"{results}: {ceremony.name} has no category {name!r}.")
        for key, category in categories.items():
            if key not in wanted:
                continue
            name, winners = wanted[key]
            nominations = {
                (name_key(n.film_title), name_key(n.nominee)): n.pk
                for n in category.nominations.all()
            }
            ids = []
            for winner in winners:
                found = nominations.get((name_key(winner["film"]), name_key(winner.get("nominee"))))
                if found is None:
                    raise CommandError(
                        f"{results}: {winner.get('nominee') or winner['film']} "
                        f"({winner['film']}) is not a nominee in {name}. Nothing more was recorded."
                    )
                ids.append(found)
            plan.append((category, ids))
        return plan
