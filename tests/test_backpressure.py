"""A reader that never reads, on a real Daphne process: the server closes it with TOO_SLOW once
its queue passes WEBSOCKET_MAX_QUEUED_BYTES, instead of buffering every write for it."""

import asyncio
import functools
import socket
import threading

import pytest
from autobahn.twisted.websocket import WebSocketServerProtocol
from channels.exceptions import StopConsumer
from twisted.internet.abstract import FileDescriptor

from ceremony import services
from ceremony.realtime import backpressure
from ceremony.realtime.consumers import CeremonyConsumer
from tests.support.rawsocket import close_code, never_reading_socket, read_until_closed
from tests.support.servers import DaphneServer, poll, server_env

BOUND = 64 * 1024


def write(ceremony, n: int) -> None:
    """The n-th write: record a category's first nominee, or withdraw it if recorded."""
    categories = list(ceremony.categories.in_order())
    category = categories[n % len(categories)]
    if category.nominations.filter(won=True).exists():
        services.result_withdraw(category_id=category.pk, reason="test", editor=None, actor="t")
    else:
        first = category.nominations.order_by("order", "pk").first()
        services.result_record(category_id=category.pk, nomination_ids=[first.pk], editor=None)


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reader_that_never_reads_is_closed_with_too_slow_once_its_queue_passes_the_bound(
    oscars_97, tmp_path
):
    services.ceremony_set_status(ceremony_id=oscars_97.pk, status="live", editor=None)
    server = DaphneServer(
        # Whole snapshots (31-49 KB) on every write, so a few writes outrun the kernel's buffers.
        env={
            **server_env(),
            "WEBSOCKET_MAX_QUEUED_BYTES": str(BOUND),
            "WEBSOCKET_DELTAS": "false",
            "LOG_LEVEL": "INFO",
        },
        log_path=tmp_path / "daphne.log",
    )
    server.start()
    try:
        sock = never_reading_socket(server.port, oscars_97.slug)
        closed = lambda: "too slow to read" in server.log_text()  # noqa: E731
        # Read as soon as the server says it closes, whatever the writes are doing: the close
        # frame waits behind the frames queued before it, and autobahn drops the connection if
        # they are not read within its close handshake time (1 s).
        received = []
        reader = threading.Thread(
            target=lambda: (
                poll(closed, 120, interval=0.01) and received.append(read_until_closed(sock))
            )
        )
        reader.start()
        writes = 0
        # Each write queues one 31-49 KB frame: the kernel's buffers take the first ones (its
        # send buffer grows up to tcp_wmem's 4 MB, how fast depends on the machine's load), then
        # Daphne's queue grows past the bound. 200 frames are past both, whatever the pace.
        while writes < 200 and reader.is_alive() and not closed():
            write(oscars_97, writes)
            writes += 1
        reader.join(timeout=150)
        assert closed(), f"still open after {writes} writes"
        data, ended = received[0]
        # Closed with TOO_SLOW; or, where this reader could not read the frames queued before
        # the close frame within that second (a loaded machine), dropped by the server.
        assert ended != "timeout", "the server did not close the socket"
        assert close_code(data) == backpressure.TOO_SLOW or ended == "reset"
        assert writes > 1
        sock.close()
        # The server is still serving: a new reader gets its snapshot.
        again = never_reading_socket(server.port, oscars_97.slug, rcvbuf=1 << 20)
        again.settimeout(10)
        assert again.recv(4)
        again.close()
    finally:
        server.stop()


def test_bound_queue_changes_nothing_outside_daphne():
    async def send(message):
        pass

    assert backpressure.bound_queue(send, BOUND) is False
    assert backpressure.bound_queue(socket.socket, BOUND) is False


class FakeProtocol:
    STATE_OPEN = "open"

    def __init__(self):
        self.state = self.STATE_OPEN
        self.closed_with = []

    def sendClose(self, code, reason):
        self.closed_with.append(code)


async def test_a_queue_written_out_within_the_grace_keeps_the_reader_one_that_is_not_closes_it(
    monkeypatch,
):
    monkeypatch.setattr(backpressure, "GRACE_SECONDS", 0.05)
    keeps_up, falls_behind = FakeProtocol(), FakeProtocol()
    kept, dropped = backpressure._QueueLimit(keeps_up), backpressure._QueueLimit(falls_behind)

    for limit in (kept, dropped):
        limit.pauseProducing()
        limit.pauseProducing()
    kept.resumeProducing()
    await asyncio.sleep(0.2)

    assert keeps_up.closed_with == []
    assert falls_behind.closed_with == [backpressure.TOO_SLOW]


class QuietReactor:
    """Enough of a reactor for a transport that is never really written to."""

    def addWriter(self, reader):
        pass

    def removeWriter(self, writer):
        pass

    def removeReader(self, reader):
        pass


def dropped_reader_send(queued: list[bytes], lost: bool = True):
    """A consumer's send as Daphne makes it, for a socket with `queued` frames waiting that
    were never written, its connection lost (or not)."""
    transport = FileDescriptor(reactor=QuietReactor())
    transport.connected = 1
    for frame in queued:
        transport.write(frame)
    if lost:
        transport.connectionLost(None)
    protocol = WebSocketServerProtocol()
    protocol.transport = transport
    return functools.partial(lambda protocol, message: None, protocol), transport


async def test_a_lost_readers_queue_is_let_go_and_the_memory_handed_back_once(monkeypatch):
    trims = []
    monkeypatch.setattr(backpressure, "_malloc_trim", trims.append)
    monkeypatch.setattr(backpressure, "TRIM_AFTER_SECONDS", 0.01)
    frames = [b"x" * 300_000, b"y" * 200_000]
    first, first_transport = dropped_reader_send(frames)
    second, second_transport = dropped_reader_send(frames[:1])

    assert backpressure.release_queue(first) == 500_000
    assert backpressure.release_queue(second) == 300_000
    await asyncio.sleep(0.1)

    for transport in (first_transport, second_transport):
        assert transport.dataBuffer == b""
        assert transport._tempDataBuffer == []
    assert trims == [0]


async def test_an_open_readers_queue_is_kept(monkeypatch):
    trims = []
    monkeypatch.setattr(backpressure, "_malloc_trim", trims.append)
    send, transport = dropped_reader_send([b"x" * 1000], lost=False)

    assert backpressure.release_queue(send) == 0
    assert transport._tempDataLen == 1000
    assert trims == []


async def test_a_readers_disconnect_lets_its_queue_go():
    send, transport = dropped_reader_send([b"x" * 1000])
    consumer = CeremonyConsumer()
    consumer.base_send = send

    with pytest.raises(StopConsumer):
        await consumer.websocket_disconnect({"type": "websocket.disconnect", "code": 1006})

    assert transport._tempDataLen == 0
