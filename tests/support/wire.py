"""Daphne's websocket protocol on a transport that keeps what is written to it: what a reader's
socket would be sent, without a server or a network."""

import collections

from autobahn.websocket.protocol import TrafficStats
from daphne.ws_protocol import WebSocketFactory, WebSocketProtocol
from twisted.internet.abstract import FileDescriptor


class Wire(FileDescriptor):
    """A socket's transport that keeps what is written to it."""

    def __init__(self):
        super().__init__()
        self.written = b""

    def write(self, data: bytes) -> None:
        # Kept, and counted as waiting to be written, as Twisted's buffer counts it.
        self.written += data
        self._tempDataLen += len(data)


def open_socket() -> WebSocketProtocol:
    """Daphne's protocol of an open websocket, on a `Wire`."""
    protocol = WebSocketProtocol()
    protocol.factory = WebSocketFactory(None)
    # What autobahn copies from its factory when a connection is made.
    for option in protocol.CONFIG_ATTRS:
        setattr(protocol, option, getattr(protocol.factory, option))
    protocol.transport = Wire()
    protocol.state = protocol.STATE_OPEN
    protocol._perMessageCompress = None
    protocol.send_queue = collections.deque()
    protocol.logOctets = protocol.logFrames = False
    protocol.trafficStats = TrafficStats()
    protocol.client_addr = ["127.0.0.1", 50000]
    protocol.trackedTimings = None
    protocol.path = b"/ws/"
    return protocol


async def daphne_send(protocol, message):
    """What Daphne's `Server.handle_reply` does with a reply, as the ASGI `send` partial."""
    protocol.handle_reply(message)
