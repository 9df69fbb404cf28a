"""import_ceremony: ceremonies in the shared JSON format, through the one import writer."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ceremony.importers import json_file
from ceremony.importers.spec import ImportProblem
from ceremony.management.bulk import json_import


class Command(BaseCommand):
    help = (
        "Load a ceremony from the JSON format of shared/data. Running it twice changes nothing; "
        "a live or final ceremony is left alone unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="+", type=Path)
        parser.add_argument(
            "--without-results",
            action="store_true",
            help="Load nominees only: how a ceremony is prepared before the show.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Merge into a ceremony that is live or final (results never over a live one).",
        )

    def handle(self, *args, path, without_results, force, **options):
        for file in path:
            try:
                spec = json_file.read_json_file(file, with_results=not without_results)
            except ImportProblem as exc:
                raise CommandError(f"{exc}. Nothing was imported.") from None
            json_import(self, spec, force=force)
