"""import_globes: the Golden Globes from golden_globe_awards.csv and/or the JSON files of later
ceremonies, through the one import writer."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ceremony.importers import globes_csv, json_file
from ceremony.importers.spec import ImportProblem
from ceremony.management.bulk import add_bulk_arguments, bulk_import, fitting_once, json_import


class Command(BaseCommand):
    help = (
        "Import the Golden Globes: golden_globe_awards.csv (1944-2020, film categories; "
        "television is skipped) and/or the JSON files of later ceremonies. Each ceremony is "
        "linked as precursor to the Oscars of the same film year. Running it twice changes "
        "nothing; a live or final ceremony is left alone unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, nargs="+", help="A .csv file and/or .json files.")
        add_bulk_arguments(parser)

    def handle(self, *args, path, force, **options):
        with fitting_once(self):
            for file in path:
                try:
                    if file.suffix.lower() == ".json":
                        json_import(self, json_file.read_json_file(file), force=force, fit=False)
                    else:
                        read = globes_csv.read_globes(file)
                        bulk_import(self, read, source=str(file), force=force, fit=False)
                except ImportProblem as exc:
                    raise CommandError(f"{exc}. Nothing was imported.") from None
