"""import_awards: the IMDb awards files (third_party/imdb-awards/*.yml), the body from each
file itself: a precursor body's ceremonies into the archive (known by film only), a second
source of the Golden Globes or the Oscars compared with the archive (and, for the years no other
file covers, written like a precursor body's)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ceremony import services
from ceremony.importers import awards_yaml
from ceremony.importers.spec import ImportProblem, ReadResult
from ceremony.management.bulk import add_bulk_arguments, bulk_import, fitting_once


class Command(BaseCommand):
    help = (
        "Import IMDb awards files (golden-globes, bafta, actor-awards, critics-choice, "
        "spirit-awards, oscars .yml), in any order with the other imports. A precursor body's "
        "ceremonies are written known by film only and linked to the Oscars of their season; "
        "golden-globes.yml and oscars.yml are compared with the archive, each disagreement kept "
        "for an editor. Every file is read and checked before anything is written; running it "
        "twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, nargs="+", help="IMDb awards .yml files.")
        add_bulk_arguments(parser)

    def handle(self, *args, path, force, **options):
        try:
            files = [awards_yaml.read_awards(file) for file in path]
        except ImportProblem as exc:
            raise CommandError(f"{exc}. Nothing was imported.") from None
        # Precursor bodies first: a check then sees the archive they complete.
        identities = None
        with fitting_once(self):
            for read in sorted(files, key=lambda r: r.is_check):
                if read.is_check:
                    self.stdout.write(str(services.sources_check(read=read)))
                specs = services.awards_specs(read)
                if not specs:
                    continue
                services.body_prepare(read=read)
                identities = identities or services.Identities()
                result = ReadResult(ceremonies=specs, ignored=read.ignored)
                bulk_import(
                    self,
                    result,
                    source=str(read.path),
                    force=force,
                    identities=identities,
                    fit=False,
                )
