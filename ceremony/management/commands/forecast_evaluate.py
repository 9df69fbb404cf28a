"""forecast_evaluate: the season-by-season evaluation of the forecast, written into
docs/forecast.md (between its markers) or printed."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ceremony.forecast import evaluation, features, fitting

DOC = Path(settings.BASE_DIR) / "docs" / "forecast.md"


class Command(BaseCommand):
    help = (
        "Forecast every past Oscar ceremony from the ceremonies before it, score the forecasts "
        "against the baselines, and write the figures into docs/forecast.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--print", action="store_true", help="Print the figures; leave the doc alone."
        )

    def handle(self, *args, print, **options):
        groups = features.read_groups()
        text = evaluation.markdown(evaluation.report(groups, fitting.walk_forward(groups)))
        if print:
            self.stdout.write(text)
            return
        doc = DOC.read_text(encoding="utf-8")
        start, end = doc.find(evaluation.BEGIN), doc.find(evaluation.END)
        if start < 0 or end < start:
            raise CommandError(f"{DOC} has no figures markers; nothing was written.")
        DOC.write_text(doc[:start] + text + doc[end + len(evaluation.END) :], encoding="utf-8")
        self.stdout.write(f"Wrote the figures into {DOC}.")
