"""The edge tier's heartbeat (docs/protocol.md, *Through the edge tier*): every 4 s, each
unfinished ceremony's current version to its `beat` channel on every edge host; four times a
second, its whole snapshot to an edge that lacks the ceremony's channel (a restarted one: it
refuses readers until then). Each edge host has a loop of its own, so one that does not answer
(lost: each request waits out its timeout) delays no other's heartbeats, which its readers need
within 9 s. One query a second per edge host; run by
deploy/systemd/tracker-edge-heartbeat.service beside the origin."""

import logging
import threading
import time
from functools import partial

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ceremony.models import Ceremony
from ceremony.realtime import edge, fanout
from ceremony.realtime.snapshots import current_snapshot_of

log = logging.getLogger("ceremony.live")

# The unfinished ceremonies and their versions are read this often per edge host; whether the
# edge lacks one is asked at every tick (--seed-interval), from the last reading.
READ_SECONDS = 1.0


class Command(BaseCommand):
    help = (
        "Send the edge tier's heartbeats: every --interval seconds, each draft or live "
        "ceremony's current version to every host in EDGE_PUBLISH_URLS; every --seed-interval "
        "seconds, the whole snapshot to an edge that lacks the ceremony (runs until stopped)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=fanout.HEARTBEAT_SECONDS)
        parser.add_argument(
            "--seed-interval",
            type=float,
            default=0.25,
            help="How often to look for a restarted edge (its readers are refused until then).",
        )
        parser.add_argument("--once", action="store_true", help="One tick, then exit.")

    def handle(self, *args, interval, seed_interval, once=False, **options):
        if not settings.EDGE_PUBLISH_URLS:
            raise CommandError("EDGE_PUBLISH_URLS is not set: there is no edge to send to.")
        if once:
            for base in settings.EDGE_PUBLISH_URLS:
                self.tick(base, unfinished())
            return
        loops = [
            threading.Thread(target=self.loop, args=(base, interval, seed_interval))
            for base in settings.EDGE_PUBLISH_URLS
        ]
        for loop in loops:
            loop.start()
        for loop in loops:
            loop.join()

    def loop(self, base: str, interval: float, seed_interval: float) -> None:
        """One edge host's ticks, in a thread of its own (with its own database connection)."""
        beat_every = max(1, round(interval / seed_interval))
        read_every = max(1, round(READ_SECONDS / seed_interval))
        tick = 0
        ceremonies = []
        while True:
            started = time.monotonic()
            try:
                # A beat sends the versions just read.
                if tick % read_every == 0 or tick % beat_every == 0:
                    ceremonies = unfinished()
                self.tick(base, ceremonies, beat=tick % beat_every == 0)
            except Exception:
                # The database away for a moment: the next tick tries again on a new connection.
                log.exception("edge heartbeat failed")
                connection.close()
            tick += 1
            time.sleep(max(0.0, seed_interval - (time.monotonic() - started)))

    @staticmethod
    def tick(base: str, ceremonies: list[tuple[int, str, int]], beat: bool = True) -> None:
        """Seed the edge with each of `ceremonies` (pk, slug, version) it lacks, and, on a
        beat, send each one's version."""
        sent = []
        for pk, slug, version in ceremonies:
            # An edge without the ceremony's channel (restarted) gets it, with the snapshot.
            edge.seed(slug, partial(current_snapshot_of, pk), bases=[base])
            if beat:
                sent += edge.send("beat", slug, edge.heartbeat_frame(version), bases=[base])
        for future in sent:
            future.result()


def unfinished() -> list[tuple[int, str, int]]:
    return list(Ceremony.objects.unfinished().values_list("pk", "slug", "version"))
