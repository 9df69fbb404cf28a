"""A push's frame framed once (ceremony/realtime/prepared.py): the same bytes a Daphne socket
would have written through the ASGI send, and the ASGI message under any other server."""

import asyncio
import functools

from ceremony.realtime.prepared import Frame, write_directly
from tests.support.wire import daphne_send, open_socket

TEXT = '{"type":"delta","base":3,"version":4,"changes":{"name":["Été"]}}'


def test_under_daphne_each_reader_gets_the_bytes_the_asgi_send_would_have_written(settings):
    settings.WEBSOCKET_PREPARED_FRAMES = True
    frame = Frame(TEXT)
    through_asgi, prepared = open_socket(), open_socket()

    asyncio.run(daphne_send(through_asgi, frame.message))
    sent = []

    async def refused(protocol, message):
        sent.append(message)

    asyncio.run(frame.send(functools.partial(refused, prepared)))

    assert sent == []
    assert prepared.transport.written == through_asgi.transport.written
    assert prepared.transport.written.endswith(TEXT.encode())


def test_a_closing_socket_is_skipped(settings):
    settings.WEBSOCKET_PREPARED_FRAMES = True
    protocol = open_socket()
    protocol.state = protocol.STATE_CLOSING
    asyncio.run(Frame(TEXT).send(functools.partial(daphne_send, protocol)))
    assert protocol.transport.written == b""


def test_elsewhere_or_switched_off_the_asgi_message_is_sent(settings):
    sent = []

    async def send(message):
        sent.append(message)

    asyncio.run(Frame(TEXT).send(send))
    settings.WEBSOCKET_PREPARED_FRAMES = False
    protocol = open_socket()
    asyncio.run(Frame(TEXT).send(functools.partial(daphne_send, protocol)))

    assert sent == [{"type": "websocket.send", "text": TEXT}]
    assert protocol.transport.written.endswith(TEXT.encode())


class Socket:
    """A socket whose kernel buffer takes at most `room` bytes."""

    def __init__(self, room: int):
        self.room, self.sent = room, b""

    def send(self, data: bytes) -> int:
        taken = data[: self.room]
        self.room -= len(taken)
        self.sent += taken
        return len(taken)


def direct_socket(room: int):
    protocol = open_socket()
    protocol.transport.socket, protocol.transport.connected = Socket(room), True
    assert write_directly(functools.partial(daphne_send, protocol))
    return protocol


def test_direct_writes_go_to_the_socket_at_once_and_queue_what_it_does_not_take(settings):
    settings.WEBSOCKET_PREPARED_FRAMES = True
    frame = Frame(TEXT)
    expected = open_socket()
    asyncio.run(daphne_send(expected, frame.message))
    whole, partly = direct_socket(10_000), direct_socket(20)

    for protocol in (whole, partly):
        asyncio.run(frame.send(functools.partial(daphne_send, protocol)))

    assert whole.transport.socket.sent == expected.transport.written
    assert whole.transport.written == b""
    assert partly.transport.socket.sent + partly.transport.written == expected.transport.written
    assert len(partly.transport.socket.sent) == 20

    # Something already queued for the socket: the frame goes behind it, through Twisted.
    partly.transport.socket.room = 10_000
    asyncio.run(frame.send(functools.partial(daphne_send, partly)))
    assert partly.transport.written.endswith(expected.transport.written)
    assert len(partly.transport.socket.sent) == 20


def test_direct_writes_take_daphnes_pings_and_replies_too():
    protocol = direct_socket(10_000)

    protocol.sendPing(b"1234")
    asyncio.run(daphne_send(protocol, {"type": "websocket.send", "text": TEXT}))

    assert protocol.transport.written == b""
    assert protocol.transport.socket.sent.startswith(b"\x89\x041234")
    assert protocol.transport.socket.sent.endswith(TEXT.encode())


def test_without_a_daphne_socket_nothing_is_changed():
    async def send(message):
        pass

    assert not write_directly(send)
