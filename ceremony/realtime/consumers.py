"""The reader's websocket (`/ws/ceremonies/<slug>/`): read-only, registered with the process's
fan-out, then sent the current snapshot; every later version comes through the fan-out.

The protocol, its ordering and close codes: docs/protocol.md (*The socket*).
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from ceremony.models import Ceremony
from ceremony.realtime import fanout, snapshots

# Application close codes (Daphne sends only 1000 and 3000-4999): docs/protocol.md.
SENT_A_FRAME = 4400
NOT_FOUND = 4404


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
        ceremony = await Ceremony.objects.filter(slug=slug).afirst()
        if ceremony is None:
            await self.close(code=NOT_FOUND)
            return
        await self.accept()
        # Registered first, then the snapshot: a write committing in between reaches this
        # reader as a message, never falls between the two.
        self.fanout = fanout.current()
        self.ceremony_id = ceremony.pk
        await self.fanout.join(ceremony.pk, self)
        try:
            snap = await database_sync_to_async(snapshots.current_snapshot)(ceremony)
            # Fails if the reader gave up meanwhile (a connect storm outlasting its patience).
            await self.send(text_data=snap.message)
        except Exception:
            # The consumer dies with this error and is never told of a disconnect: unregister.
            await self.fanout.leave(ceremony.pk, self)
            raise
        # A newer message may have overtaken the connect snapshot.
        self.known_version = max(snap.version, self.known_version or 0)

    async def disconnect(self, code):
        if self.ceremony_id is not None:
            await self.fanout.leave(self.ceremony_id, self)

    async def receive(self, text_data=None, bytes_data=None):
        # Read-only: a reader has nothing to say, so anything it sends ends the connection.
        await self.close(code=SENT_A_FRAME)


class UnknownPathConsumer(AsyncWebsocketConsumer):
    """Any other websocket path: refused with NOT_FOUND before the handshake, quietly (no
    traceback per attempt, which anyone could use to flood the log)."""

    channel_layer_alias = None

    async def connect(self):
        await self.close(code=NOT_FOUND)
