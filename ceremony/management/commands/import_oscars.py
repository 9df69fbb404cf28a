"""import_oscars: every Academy Awards ceremony from oscars.csv, through the one import writer."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ceremony.importers import oscars_csv
from ceremony.importers.spec import ImportProblem
from ceremony.management.bulk import add_bulk_arguments, bulk_import


class Command(BaseCommand):
    help = (
        "Import every Academy Awards ceremony from oscars.csv (tab-separated, DLu/oscar_data "
        "format). Running it twice changes nothing; a malformed row is reported and skipped; a "
        "live or final ceremony is left alone unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--ceremony",
            type=int,
            action="append",
            metavar="N",
            help="Import only ceremony N (repeatable).",
        )
        add_bulk_arguments(parser)

    def handle(self, *args, path, ceremony, force, **options):
        try:
            read = oscars_csv.read_oscars(path, editions=ceremony)
        except ImportProblem as exc:
            raise CommandError(f"{exc}. Nothing was imported.") from None
        found = {spec.edition for spec in read.ceremonies}
        if ceremony and (missing := sorted(set(ceremony) - found)):
            raise CommandError(f"{path}: no ceremony {', '.join(map(str, missing))} in the file.")
        bulk_import(self, read, source=str(path), force=force)
