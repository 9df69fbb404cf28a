import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ceremony import services


class Command(BaseCommand):
    help = "Load a ceremony from the JSON format of shared/data. Running it twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="+", type=Path)
        parser.add_argument(
            "--without-results",
            action="store_true",
            help="Load nominees only: how a ceremony is prepared before the show.",
        )

    def handle(self, *args, path, without_results, **options):
        for file in path:
            try:
                data = json.loads(file.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise CommandError(f"{file}: no such file.") from None
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise CommandError(
                    f"{file}: not valid JSON ({exc}). Nothing was imported."
                ) from None
            try:
                summary = services.ceremony_import(
                    data=data, source=str(file), with_results=not without_results
                )
            except services.ServiceError as exc:
                raise CommandError(f"{exc}. Nothing was imported.") from None
            self.stdout.write(str(summary))
