import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ceremony import services
from ceremony.importers import globes_csv
from ceremony.importers.rows import ImportProblem
from ceremony.management.commands.import_oscars import report, run_import
from ceremony.text import ordinal


class Command(BaseCommand):
    help = (
        "Import the Golden Globes: golden_globe_awards.csv (1944-2020, film categories; "
        "television is skipped) and/or the JSON files of later ceremonies. Each ceremony is "
        "linked as precursor to the Oscars of the same film year. Running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, nargs="+", help="A .csv file and/or .json files.")

    def handle(self, *args, path, **options):
        for file in path:
            if file.suffix.lower() == ".json":
                self.import_json(file)
            else:
                self.import_csv(file)

    def import_csv(self, file: Path) -> None:
        started = time.monotonic()
        try:
            read, years = globes_csv.read_globes(file)
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        except (UnicodeDecodeError, ImportProblem) as exc:
            raise CommandError(f"{exc}. Nothing was imported.") from None
        for problem in read.problems:
            self.stderr.write(f"{file}: {problem}")
        tally = run_import(
            self,
            read.by_edition(),
            body=globes_csv.GLOBES,
            name=lambda n: f"{ordinal(n)} Golden Globe Awards",
            date=lambda n, rows: globes_csv.globe_date(years[n]),
            source=str(file),
        )
        report(self, tally, read, time.monotonic() - started)

    def import_json(self, file: Path) -> None:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{file}: not valid JSON ({exc}). Nothing was imported.") from None
        try:
            summary = services.ceremony_import(data=data, source=str(file))
        except services.ServiceError as exc:
            raise CommandError(f"{exc}. Nothing was imported.") from None
        self.stdout.write(str(summary))
