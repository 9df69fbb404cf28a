"""A push's frame, framed once for all its readers: under Daphne, autobahn's `PreparedMessage`
(the websocket header and payload as one bytes object, built once) written to each reader's
protocol with `sendPreparedMessage`, as websockets' `broadcast` writes one frame to many sockets;
under any other server (the test communicator, uvicorn), the ASGI message, as before.

Why and the figures: docs/performance.md (*Daphne: one frame for all readers*).
"""

from autobahn.websocket.protocol import PreparedMessage
from django.conf import settings

from ceremony.realtime.backpressure import daphne_protocol


class Frame:
    """One text frame for many readers."""

    def __init__(self, text: str):
        self.message = {"type": "websocket.send", "text": text}
        # Server frames are not masked; Daphne negotiates no compression.
        self.prepared = PreparedMessage(text.encode(), False, False, True)

    async def send(self, send) -> None:
        """Write the frame to the socket behind the ASGI `send`. A closed or closing socket
        is skipped, as Daphne skips a reply to a connection it has dropped."""
        protocol = daphne_protocol(send) if settings.WEBSOCKET_PREPARED_FRAMES else None
        if protocol is None:
            await send(self.message)
        elif protocol.state == protocol.STATE_OPEN:
            protocol.sendPreparedMessage(self.prepared)
