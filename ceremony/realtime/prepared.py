"""A push's frame, framed once for all its readers: under Daphne, autobahn's `PreparedMessage`
(the websocket header and payload as one bytes object, built once) written to each reader's
protocol's transport, as websockets' `broadcast` writes one frame to many sockets. With
`WEBSOCKET_DIRECT_WRITES`, everything written to a reader's socket (these frames, autobahn's
pings) goes straight to the socket when nothing waits before it (as asyncio's transports write),
rather than through Twisted's buffer, which registers each socket with the event loop and writes
it a turn later. Under any other server (the test communicator, uvicorn), the ASGI message.

Why and the figures: docs/performance.md (*Daphne (every single-host night)*).
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
            if protocol.send_queue:
                # Behind what autobahn holds back (a close in progress, say).
                protocol.sendPreparedMessage(self.prepared)
            else:
                # autobahn's sendData would do this too, after formatting a debug line.
                protocol.transport.write(self.prepared.payloadHybi)


def write_directly(send) -> bool:
    """From now on, write what goes to the socket behind the ASGI `send` (frames, autobahn's
    pings, the close) to the socket at once when nothing is queued before it, as asyncio's
    transports do, instead of Twisted's buffering (which registers the socket with the event
    loop and writes it on a later turn: two `epoll_ctl` calls and a callback per write); what
    the kernel does not take is queued as usual. False, changing nothing, where
    `daphne_protocol` finds no plain socket."""
    protocol = daphne_protocol(send)
    if protocol is None:
        return False
    transport = protocol.transport
    queued_write = transport.write

    def write(data: bytes) -> None:
        queued = len(transport.dataBuffer) - transport.offset + transport._tempDataLen
        if data and not queued and transport.connected and not transport.disconnecting:
            try:
                sent = transport.socket.send(data)
            except OSError:
                # Would block, or the connection is gone: Twisted's write finds out which.
                sent = 0
            if sent == len(data):
                return
            data = data[sent:]
        queued_write(data)

    transport.write = write
    return True
