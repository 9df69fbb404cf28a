"""The websocket routes, mounted by tracker/asgi.py: one per ceremony (docs/protocol.md)."""

from django.urls import path

from ceremony.realtime import consumers

websocket_urlpatterns = [
    path("ws/ceremonies/<slug:slug>/", consumers.CeremonyConsumer.as_asgi()),
]
