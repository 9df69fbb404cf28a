"""A bound on what the server queues for one reader's socket: a reader whose queue stays past it
for GRACE_SECONDS is closed with `TOO_SLOW` (and reconnects later, like after any close) instead
of the process buffering every frame it cannot write, without limit, for a client that does not
read.

Twisted's own flow control does the measuring: the socket's transport asks its registered
streaming producer to pause once more than `bufferSize` bytes wait in its write buffer, and to
resume once it has written them all. The reader's consumer installs one here (`bound_queue`), on
the Daphne protocol behind its `send`.
Why and the figures: docs/protocol.md (*Slow readers*), docs/performance.md.
"""

import asyncio
import logging

from autobahn.twisted.websocket import WebSocketServerProtocol
from twisted.internet.abstract import FileDescriptor
from twisted.internet.interfaces import IPushProducer
from zope.interface import implementer

log = logging.getLogger(__name__)

# The close code: docs/protocol.md (Daphne and autobahn accept 1000 and 3000-4999).
TOO_SLOW = 4408
# How long the queue may stay past the bound: one large frame passes it for a moment even for a
# reader that reads at once (the kernel takes only part of it at first).
GRACE_SECONDS = 2.0


@implementer(IPushProducer)
class _QueueLimit:
    """Registered with the socket's transport: `pauseProducing` (the write buffer has passed the
    bound) starts the grace, `resumeProducing` (all written) ends it; at its end the socket is
    closed. The close frame waits behind the queue; autobahn drops the connection (and the queue
    with it) if the close handshake is not done within its `closeHandshakeTimeout` (1 s), which
    a reader that does not read never does."""

    def __init__(self, protocol: WebSocketServerProtocol):
        self.protocol = protocol
        self.timer: asyncio.TimerHandle | None = None
        self.closed = False

    def pauseProducing(self) -> None:
        # Called at every write while the buffer is past the bound: the first starts the grace.
        if self.timer is None and not self.closed:
            self.timer = asyncio.get_running_loop().call_later(GRACE_SECONDS, self._close)

    def _close(self) -> None:
        self.timer, self.closed = None, True
        protocol = self.protocol
        if protocol.state == protocol.STATE_OPEN:
            log.info("closing a reader too slow to read: %s", getattr(protocol, "client_addr", ""))
            protocol.sendClose(code=TOO_SLOW, reason="too slow: reconnect")

    def resumeProducing(self) -> None:
        """The queue has been written out: the reader keeps up after all."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def stopProducing(self) -> None:
        """The connection is gone (Daphne tells the consumer)."""
        self.resumeProducing()


def bound_queue(send, max_bytes: int) -> bool:
    """Close the socket behind `send` once more than `max_bytes` wait to be written to it.

    `send` is the ASGI send of a websocket consumer; under Daphne it is
    `partial(Server.handle_reply, protocol)`, which is how the protocol is found. Returns False,
    changing nothing, under any other server (the test communicator, uvicorn) or transport (TLS
    terminated in Daphne)."""
    protocol = next(iter(getattr(send, "args", ())), None)
    if not isinstance(protocol, WebSocketServerProtocol):
        return False
    transport = protocol.transport
    if not isinstance(transport, FileDescriptor):
        return False
    # Twisted's HTTP channel registered itself before the upgrade handed the transport over; it
    # only pauses reading, which a reader that sends nothing does not need.
    if transport.producer is not None:
        transport.unregisterProducer()
    transport.bufferSize = max_bytes
    protocol.registerProducer(_QueueLimit(protocol), True)
    return True
