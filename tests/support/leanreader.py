"""A reader's websocket with as little Python per frame as a client can have and still be one,
for the benchmarks' client processes (tests/perf/bench_clients.py, storm_clients.py): the
opening handshake checked (101 and Sec-WebSocket-Accept), every frame parsed, pings answered
with masked pongs, each whole message handed to a callback as bytes. No compression offered, no
pings of its own (browsers send none). The websockets library spent 4-8x the servers' CPU per
announcement reading the same frames on the same two cores (docs/performance.md, *The readers*).
"""

import asyncio
import base64
import hashlib
import os
import urllib.parse
from collections.abc import Callable

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, BINARY, CONTINUATION, CLOSE, PING, PONG = 0x1, 0x2, 0x0, 0x8, 0x9, 0xA


class HandshakeFailed(Exception):
    pass


class Socket(asyncio.Protocol):
    """One websocket. `opened` resolves with the first message; `on_message` is called with each
    one after it; `closed` resolves when the connection is gone."""

    def __init__(self, request: bytes, accept: bytes, on_message: Callable[[bytes], None]):
        self.request, self.accept, self.on_message = request, accept, on_message
        loop = asyncio.get_running_loop()
        self.opened: asyncio.Future = loop.create_future()
        self.closed: asyncio.Future = loop.create_future()
        self.transport = None
        self.buffer = bytearray()
        self.upgraded = False
        self.fragments = bytearray()

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buffer[:end])
            del self.buffer[: end + 4]
            if not head.lower().startswith(b"http/1.1 101") or self.accept not in head:
                self.fail(HandshakeFailed(head.split(b"\r\n", 1)[0].decode()))
                return
            self.upgraded = True
        self.frames()

    def frames(self) -> None:
        buffer = self.buffer
        while len(buffer) >= 2:
            fin, opcode, length = buffer[0] & 0x80, buffer[0] & 0x0F, buffer[1] & 0x7F
            start = 2
            if length == 126:
                start, length = 4, int.from_bytes(buffer[2:4]) if len(buffer) >= 4 else None
            elif length == 127:
                start, length = 10, int.from_bytes(buffer[2:10]) if len(buffer) >= 10 else None
            if length is None or len(buffer) < start + length:
                return
            payload = bytes(buffer[start : start + length])
            del buffer[: start + length]
            if opcode == PING:
                self.control(PONG, payload)
            elif opcode == CLOSE:
                self.control(CLOSE, payload[:2])
                self.transport.close()
                return
            elif opcode in (TEXT, BINARY, CONTINUATION):
                if not fin or self.fragments:
                    self.fragments += payload
                    if not fin:
                        continue
                    payload, self.fragments = bytes(self.fragments), bytearray()
                self.message(payload)

    def message(self, payload: bytes) -> None:
        if not self.opened.done():
            self.opened.set_result(payload)
        else:
            self.on_message(payload)

    def control(self, opcode: int, payload: bytes) -> None:
        """A pong (or the close's answer), masked as a client's frames must be."""
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.transport.write(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    def fail(self, error: Exception) -> None:
        if not self.opened.done():
            self.opened.set_exception(error)
        self.transport.close()

    def connection_lost(self, exc) -> None:
        if not self.opened.done():
            self.opened.set_exception(exc or ConnectionResetError("closed before a message"))
        if not self.closed.done():
            self.closed.set_result(None)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.abort()


async def connect(
    url: str,
    source: str,
    on_message: Callable[[bytes], None] = lambda payload: None,
    timeout: float = 20,
) -> tuple[Socket, bytes]:
    """Open a websocket to `url` (ws://) from the local address `source`, with the page's origin;
    returns it and its first message, or raises (HandshakeFailed: not a 101) within `timeout`."""
    parts = urllib.parse.urlsplit(url)
    key = base64.b64encode(os.urandom(16))
    request = (
        f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        f"Sec-WebSocket-Key: {key.decode()}\r\nOrigin: http://{parts.netloc}\r\n\r\n"
    ).encode()
    accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
    socket = Socket(request, accept, on_message)
    try:
        async with asyncio.timeout(timeout):
            await asyncio.get_running_loop().create_connection(
                lambda: socket, parts.hostname, parts.port, local_addr=(source, 0)
            )
            first = await socket.opened
    except BaseException:
        socket.close()
        raise
    return socket, first
