"""The websocket routes, mounted by tracker/asgi.py: one per ceremony (docs/protocol.md)."""

from django.urls import path

from ceremony import converters  # noqa: F401 (registers <uslug:>)
from ceremony.realtime import consumers

websocket_urlpatterns = [
    path("ws/ceremonies/<uslug:slug>/", consumers.CeremonyConsumer.as_asgi()),
]
