"""forecast_fit: fit the forecast on the archive and store every Oscar ceremony's odds, each
from the seasons before it (the import commands run it after an import)."""

from django.core.management.base import BaseCommand

from ceremony import services
from ceremony.realtime import publish


class Command(BaseCommand):
    help = (
        "Fit the forecast on the archive, season by season, and store each Oscar nomination's "
        "probability as it stood before its night. Ceremonies whose odds changed get a new "
        "version. Run after changing the archive (the import commands do)."
    )

    def handle(self, *args, **options):
        # As the bulk imports: web processes pick the new versions up on their next read.
        with publish.unpublished():
            self.stdout.write(str(services.forecast_fit(actor="forecast_fit")))
