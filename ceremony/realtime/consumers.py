"""The reader's websocket (`/ws/ceremonies/<slug>/`): read-only, registered with the process's
fan-out, then sent the current snapshot (without a query when the fan-out knows it); every later
version comes through the fan-out.

The protocol, its ordering and close codes: docs/protocol.md (*The socket*).
"""

import asyncio

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from ceremony.models import Ceremony
from ceremony.realtime import backpressure, fanout, prepared, snapshots

# Application close codes (Daphne sends only 1000 and 3000-4999): docs/protocol.md. Also
# backpressure.TOO_SLOW.
SENT_A_FRAME = 4400
NOT_FOUND = 4404

# Slug -> ceremony id, learned from the database once per slug per process (per event loop):
# ids never change, and a rename is caught by the snapshot's own slug (connect).
ceremony_ids = fanout.per_loop(dict)
# The queries under way, by what they ask: the connects that need the same answer at the same
# time (a reconnect storm reaching a process that has just started) share one.
queries_in_flight = fanout.per_loop(dict)


def _ceremony_id(slug: str) -> int | None:
    return Ceremony.objects.filter(slug=slug).values_list("pk", flat=True).first()


def _current_snapshot(ceremony_id: int) -> snapshots.Snapshot | None:
    try:
        return snapshots.current_snapshot_of(ceremony_id)
    except Ceremony.DoesNotExist:
        return None


async def shared_query(query, argument):
    """`query(argument)` on Channels' database thread, once for every connect asking it while it
    runs: the thread runs one query at a time, so a storm of thousands would otherwise wait
    behind each other's. A connect that gives up does not cancel it for the others."""
    flights = queries_in_flight()
    key = (query, argument)
    flight = flights.get(key)
    if flight is None:
        flight = flights[key] = asyncio.ensure_future(database_sync_to_async(query)(argument))
        flight.add_done_callback(lambda _: flights.pop(key, None))
    return await asyncio.shield(flight)


class CeremonyConsumer(AsyncWebsocketConsumer):
    """A reader's socket: read-only, the snapshot on connect, then every new version.

    Updates reach it through the process's one subscriber (`fanout.Fanout`), so it has no
    channel of its own: an alias that names no layer makes Channels skip creating one.
    """

    channel_layer_alias = None

    ceremony_id: int | None = None
    # The newest version sent to this socket; None until its connect snapshot is sent.
    known_version: int | None = None

    async def connect(self):
        slug = self.scope["url_route"]["kwargs"]["slug"]
        self.fanout = fanout.current()
        ids = ceremony_ids()
        ceremony_id = ids.get(slug)
        if ceremony_id is None:
            ceremony_id = await shared_query(_ceremony_id, slug)
            if ceremony_id is None:
                await self.close(code=NOT_FOUND)
                return
            ids[slug] = ceremony_id
        await self.accept()
        # A reader that stops reading is closed once its queue passes the bound (TOO_SLOW).
        backpressure.bound_queue(self.base_send, settings.WEBSOCKET_MAX_QUEUED_BYTES)
        if settings.WEBSOCKET_DIRECT_WRITES:
            prepared.write_directly(self.base_send)
        # Registered first, then the snapshot: a write committing in between reaches this
        # reader as a message, never falls between the two.
        self.ceremony_id = ceremony_id
        await self.fanout.join(ceremony_id, self)
        try:
            # Without a query when this process already knows the current snapshot (a
            # reconnect storm); its slug says the name still leads to this ceremony.
            snap = self.fanout.known_snapshot(ceremony_id)
            if snap is None or snap.data["ceremony"]["slug"] != slug:
                snap = await shared_query(_current_snapshot, ceremony_id)
                if snap is not None:
                    self.fanout.learned(ceremony_id, snap.version)
                    # A shared query may have read the version before a push that reached
                    # the process before this reader joined: then the push's is current.
                    snap = self.fanout.known_snapshot(ceremony_id) or snap
            if snap is None or snap.data["ceremony"]["slug"] != slug:
                # Renamed (or gone) since this process learned the name: forget it, and a
                # reconnect asks the database again.
                ids.pop(slug, None)
                await self.fanout.leave(ceremony_id, self)
                self.ceremony_id = None
                await self.close(code=NOT_FOUND)
                return
            # Fails if the reader gave up meanwhile (a connect storm outlasting its patience).
            await self.send(text_data=snap.message)
        except Exception:
            # The consumer dies with this error and is never told of a disconnect: unregister.
            await self.fanout.leave(ceremony_id, self)
            raise
        # A newer message may have overtaken the connect snapshot.
        self.known_version = max(snap.version, self.known_version or 0)

    async def dispatch(self, message):
        # Channels closes old database connections before every handler, and again after a
        # disconnect: a hop to its one database thread each, which a reconnect storm queues
        # up behind. Every query here goes through database_sync_to_async, which does the
        # same around the query itself.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_disconnect(self, message):
        backpressure.release_queue(self.base_send)
        if self.ceremony_id is not None:
            await self.fanout.leave(self.ceremony_id, self)
        raise StopConsumer()

    async def receive(self, text_data=None, bytes_data=None):
        # Read-only: a reader has nothing to say, so anything it sends ends the connection.
        await self.close(code=SENT_A_FRAME)


class UnknownPathConsumer(AsyncWebsocketConsumer):
    """Any other websocket path: refused with NOT_FOUND before the handshake, quietly (no
    traceback per attempt, which anyone could use to flood the log)."""

    channel_layer_alias = None

    async def connect(self):
        await self.close(code=NOT_FOUND)
