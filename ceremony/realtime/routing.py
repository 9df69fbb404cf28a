from django.urls import path

from ceremony.realtime import consumers

websocket_urlpatterns = [
    path("ws/ceremonies/<slug:slug>/", consumers.CeremonyConsumer.as_asgi()),
]
