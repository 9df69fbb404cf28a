from django.urls import path

from ceremony import converters
from ceremony.realtime import consumers

converters.register()

websocket_urlpatterns = [
    path("ws/ceremonies/<uslug:slug>/", consumers.CeremonyConsumer.as_asgi()),
]
