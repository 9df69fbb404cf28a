"""forecast_fit: fit the forecast on the archive and store every Oscar ceremony's odds, each
from the seasons before it (the import commands run it after an import). With --follow it keeps
running and fits again after each write the forecast reads from (a precursor's result recorded
on its night, say): deploy/systemd/tracker-forecast.service."""

import logging
import time

from django.core.management.base import BaseCommand
from django.db import connection

from ceremony import services
from ceremony.forecast.features import archive_mark
from ceremony.realtime import publish

log = logging.getLogger("ceremony.forecast")


class Command(BaseCommand):
    help = (
        "Fit the forecast on the archive, season by season, and store each Oscar nomination's "
        "probability as it stood before its night. Ceremonies whose odds changed get a new "
        "version. Run after changing the archive (the import commands do), or with --follow "
        "to fit again after every result, import or identity change that the forecast reads."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--follow",
            action="store_true",
            help="Keep running: look for a change every --interval seconds and fit again.",
        )
        parser.add_argument("--interval", type=float, default=10.0)

    def handle(self, *args, follow=False, interval=10.0, **options):
        fitted = None
        while True:
            try:
                mark = archive_mark()
                if mark != fitted:
                    # As the bulk imports: web processes pick the new versions up on their next
                    # read or periodic version check.
                    with publish.unpublished():
                        summary = services.forecast_fit(actor="forecast_fit")
                    fitted = mark
                    self.stdout.write(str(summary))
            except Exception:
                if not follow:
                    raise
                # The database away for a moment: the next look tries again on a new connection.
                log.exception("forecast fit failed")
                connection.close()
            if not follow:
                return
            time.sleep(interval)
