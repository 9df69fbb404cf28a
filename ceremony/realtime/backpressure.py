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
import ctypes
import ctypes.util
import logging

from autobahn.twisted.websocket import WebSocketServerProtocol
from twisted.internet.abstract import FileDescriptor
from twisted.internet.interfaces import IPushProducer
from zope.interface import implementer

log = logging.getLogger(__name__)

# The close code: docs/protocol.md (Daphne and autobahn accept 1000 and 3000-4999).
TOO_SLOW = 4408
# After a queue is let go, the memory is handed back to the system this much later, once for
# all the readers dropped meanwhile (a burst of them is closed at once).
TRIM_AFTER_SECONDS = 1.0
# glibc's malloc_trim: None where the C library has none (musl, macOS).
_malloc_trim = getattr(ctypes.CDLL(ctypes.util.find_library("c")), "malloc_trim", None)
_trim_pending: set[asyncio.AbstractEventLoop] = set()

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


def daphne_protocol(send) -> WebSocketServerProtocol | None:
    """The Daphne protocol behind a websocket consumer's ASGI `send`, if it writes to a plain
    socket: under Daphne `send` is `partial(Server.handle_reply, protocol)`. None under any other
    server (the test communicator, uvicorn) or transport (TLS terminated in Daphne)."""
    protocol = next(iter(getattr(send, "args", ())), None)
    if isinstance(protocol, WebSocketServerProtocol) and isinstance(
        protocol.transport, FileDescriptor
    ):
        return protocol
    return None


def bound_queue(send, max_bytes: int) -> bool:
    """Close the socket behind `send` once more than `max_bytes` wait to be written to it.
    Returns False, changing nothing, where `daphne_protocol` finds no plain socket."""
    protocol = daphne_protocol(send)
    if protocol is None:
        return False
    transport = protocol.transport
    # Twisted's HTTP channel registered itself before the upgrade handed the transport over; it
    # only pauses reading, which a reader that sends nothing does not need.
    if transport.producer is not None:
        transport.unregisterProducer()
    transport.bufferSize = max_bytes
    protocol.registerProducer(_QueueLimit(protocol), True)
    return True


def release_queue(send) -> int:
    """Let go of what was queued for the socket behind `send` once its connection is lost, and
    return how many bytes that was.

    The protocol and its transport sit in a reference cycle (autobahn's `is_closed` Deferred
    holds the protocol), which only a full garbage collection frees: in a quiet process that
    may be minutes away, and a dropped reader's queue (up to the bound plus the grace's frames)
    would wait with it. autobahn unregisters the producer before it drops a connection, so the
    producer is never told; the consumer calls this on its disconnect instead."""
    protocol = daphne_protocol(send)
    if protocol is None or not protocol.transport.disconnected:
        return 0
    transport = protocol.transport
    released = len(transport.dataBuffer) - transport.offset + transport._tempDataLen
    transport.dataBuffer, transport.offset = b"", 0
    transport._tempDataBuffer, transport._tempDataLen = [], 0
    if released:
        _trim_soon()
    return released


def _trim_soon() -> None:
    """Hand the freed memory back to the system, once, TRIM_AFTER_SECONDS from now.

    Frames are large blocks that glibc keeps in its heap once freed (its mmap threshold rises
    with the largest block freed), so without this the process keeps what it grew to: measured
    in docs/performance.md (*Slow readers, connecting, compressed pages*)."""
    loop = asyncio.get_running_loop()
    if _malloc_trim is None or loop in _trim_pending:
        return
    _trim_pending.add(loop)

    def trim() -> None:
        _trim_pending.discard(loop)
        _malloc_trim(0)

    loop.call_later(TRIM_AFTER_SECONDS, trim)
