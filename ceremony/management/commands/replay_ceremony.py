import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ceremony import services
from ceremony.importers.json_file import ceremony_spec, read_json
from ceremony.importers.spec import ImportProblem
from ceremony.models import Ceremony, Nomination
from ceremony.text import name_key, split_credit, title_keys

ACTOR = "replay"


class Command(BaseCommand):
    help = (
        "Rehearse the night: record a results file's winners one category at a time, in "
        "presentation order, through the live write path, on the ceremony's rehearsal copy "
        "(slug <slug>-rehearsal, made or reset to no result first, so it can be replayed as "
        "often as wanted). The real ceremony is never touched. --in-place replays onto the "
        "ceremony itself (benchmarks; never a final ceremony)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("results", type=Path, help="A ceremony JSON file; its won flags.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between results.")
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="Replay onto the ceremony itself, not its rehearsal copy (refused if final).",
        )

    def handle(self, *args, slug, results, interval, in_place=False, **options):
        try:
            ceremony = Ceremony.objects.get(slug=slug)
        except Ceremony.DoesNotExist:
            raise CommandError(f"No ceremony with slug {slug!r}.") from None
        try:
            data = read_json(results)
            ceremony_spec(data, source=str(results))
        except ImportProblem as exc:
            raise CommandError(str(exc)) from None
        if in_place:
            if ceremony.is_final:
                raise CommandError(
                    f"{ceremony.name} is final: its results are locked and a replay would "
                    "change them. Nothing was done. Rehearse on its copy instead: run the same "
                    "command without --in-place."
                )
        else:
            if ceremony.rehearsal:
                real = Ceremony.objects.filter(
                    slug=slug.removesuffix(services.REHEARSAL_SUFFIX), rehearsal=False
                ).first()
                if real is None:
                    raise CommandError(f"{ceremony.name} is a rehearsal with no real ceremony.")
                ceremony = real
            # Checked on the real ceremony before the copy is reset: nothing is written if the
            # file does not fit.
            self._plan(ceremony, data, results)
            try:
                ceremony = services.ceremony_rehearsal_reset(
                    ceremony_id=ceremony.pk, editor=None, actor=ACTOR
                )
            except services.ServiceError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(
                f"Rehearsal: {ceremony.name} ({ceremony.get_absolute_url()}), reset to no "
                "result; the real ceremony is not touched."
            )
        plan = self._plan(ceremony, data, results)
        if ceremony.status != Ceremony.Status.LIVE:
            try:
                services.ceremony_set_status(
                    ceremony_id=ceremony.pk, status="live", editor=None, actor=ACTOR
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
            nominations = list(category.nominations.prefetch_related("films", "people"))
            ids = []
            for winner in winners:
                found = nominee_match(nominations, winner["film"], winner.get("nominee") or "")
                if found is None:
                    raise CommandError(
                        f"{results}: {winner.get('nominee') or winner['film']} "
                        f"({winner['film']}) is not a nominee in {name}. Nothing more was recorded."
                    )
                ids.append(found.pk)
            plan.append((category, ids))
        return plan


def nominee_match(nominations: list[Nomination], film: str, nominee: str) -> Nomination | None:
    """The nomination a results file's winner names, however the ceremony was imported: the
    JSON files credit a film and its people ("Sean Baker"), oscars.csv may credit a country
    ("Brazil") or name the people otherwise. Film and credit as written first; then the film
    with the people or the song; then the film alone where the file credits no one or the
    nomination no person; then the people alone. A step counts only if one nomination fits."""
    film_keys, credit = title_keys(film), name_key(nominee)
    people = {name_key(p) for p in split_credit(nominee)}

    def same_film(n: Nomination) -> bool:
        titles = [n.film_title, *(f.title for f in n.films.all())]
        return any(film_keys & title_keys(t) for t in titles if t)

    def same_credit(n: Nomination) -> bool:
        if credit and credit in (name_key(n.nominee), name_key(n.detail)):
            return True
        return bool(people) and people <= {p.key for p in n.people.all()}

    exact = [
        n
        for n in nominations
        if (name_key(n.film_title), name_key(n.nominee)) == (name_key(film), credit)
    ]
    by_film = [n for n in nominations if same_film(n)]
    for candidates in (
        exact,
        [n for n in by_film if same_credit(n)],
        # A credit the file leaves out, or that names no one the import knows of (a country).
        [n for n in by_film if not people or not n.people.all()],
        [n for n in nominations if credit and same_credit(n)],
    ):
        if len(candidates) == 1:
            return candidates[0]
    return None
