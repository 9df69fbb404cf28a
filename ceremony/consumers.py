from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from ceremony import live
from ceremony.models import Ceremony


class CeremonyConsumer(AsyncWebsocketConsumer):
    """A reader's socket: read-only, the snapshot on connect, then every new version."""

    async def connect(self):
        try:
            self.ceremony = await Ceremony.objects.aget(
                slug=self.scope["url_route"]["kwargs"]["slug"]
            )
        except Ceremony.DoesNotExist:
            await self.close(code=4404)
            return
        self.group = live.group_name(self.ceremony.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        snap = await database_sync_to_async(live.current_snapshot)(self.ceremony)
        await self.send(text_data=snap.message)

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        # Read-only: nothing a reader sends can change anything.
        return

    async def ceremony_snapshot(self, event):
        await self.send(text_data=event["text"])
