"""The edge tier's heartbeat (docs/protocol.md, *Through the edge tier*): every 4 s, each
unfinished ceremony's current version to its `beat` channel on every edge host, and its whole
snapshot to an edge that lacks the ceremony's channels (a restarted one). One query per tick;
run by deploy/systemd/tracker-edge-heartbeat.service beside the origin."""

import logging
import time
from functools import partial

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ceremony.models import Ceremony
from ceremony.realtime import edge, fanout
from ceremony.realtime.snapshots import current_snapshot_of

log = logging.getLogger("ceremony.live")


class Command(BaseCommand):
    help = (
        "Send the edge tier's heartbeats: every --interval seconds, each draft or live "
        "ceremony's current version to every host in EDGE_PUBLISH_URLS (runs until stopped)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=fanout.HEARTBEAT_SECONDS)
        parser.add_argument("--once", action="store_true", help="One tick, then exit.")

    def handle(self, *args, interval, once=False, **options):
        if not settings.EDGE_PUBLISH_URLS:
            raise CommandError("EDGE_PUBLISH_URLS is not set: there is no edge to send to.")
        while True:
            started = time.monotonic()
            try:
                self.tick()
            except Exception:
                # The database away for a moment: the next tick tries again on a new connection.
                log.exception("edge heartbeat failed")
                connection.close()
            if once:
                return
            time.sleep(max(0.0, interval - (time.monotonic() - started)))

    @staticmethod
    def tick() -> None:
        sent = []
        for pk, slug, version in Ceremony.objects.unfinished().values_list("pk", "slug", "version"):
            # An edge without the ceremony's channel (restarted) gets it, with the snapshot.
            edge.seed(slug, partial(current_snapshot_of, pk))
            sent += edge.send("beat", slug, edge.heartbeat_frame(version))
        for future in sent:
            future.result()
