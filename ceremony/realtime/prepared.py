"""A push's frame, framed once for all its readers: under Daphne, autobahn's `PreparedMessage`
(the websocket header and payload as one bytes object, built once) written to each reader's
protocol with `sendPreparedMessage`, as websockets' `broadcast` writes one frame to many sockets;
with `WEBSOCKET_DIRECT_WRITES`, straight to the socket when nothing waits before it (as asyncio's
transports write), rather than through Twisted's buffer, which registers each socket with the
event loop and writes it a turn later. Under any other server (the test communicator, uvicorn),
the ASGI message, as before.

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
        elif protocol.state == protocol.STATE_OPEN and not (
            settings.WEBSOCKET_DIRECT_WRITES and _write_now(protocol, self.prepared)
        ):
            protocol.sendPreparedMessage(self.prepared)


def _write_now(protocol, prepared: PreparedMessage) -> bool:
    """Write the frame to the socket at once when nothing is queued before it,
    as asyncio's transports do, instead of Twisted's buffering (which registers the socket with
    the event loop and writes it on a later turn); what the kernel does not take is queued as
    usual. False (nothing done) if anything is queued."""
    transport = protocol.transport
    queued = len(transport.dataBuffer) - transport.offset + transport._tempDataLen
    if protocol.send_queue or queued or not transport.connected or transport.disconnecting:
        return False
    data = prepared.payloadHybi
    try:
        sent = transport.socket.send(data)
    except BlockingIOError:
        sent = 0
    except OSError:
        return False
    if sent < len(data):
        transport.write(data[sent:])
    return True
