"""The websocket routes, mounted by tracker/asgi.py: one per ceremony (docs/protocol.md)."""

from django.urls import path, re_path

from ceremony import converters  # noqa: F401 (registers <uslug:>)
from ceremony.realtime import consumers

websocket_urlpatterns = [
    path("ws/ceremonies/<uslug:slug>/", consumers.CeremonyConsumer.as_asgi()),
    # Last: every other path is refused as not found, not answered with a server error.
    re_path(r"", consumers.UnknownPathConsumer.as_asgi()),
]
