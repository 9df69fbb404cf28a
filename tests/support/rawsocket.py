"""A reader's websocket on a plain socket, for the tests and drills of readers that do not read:
the handshake by hand (receive buffer shrunk, so the backlog stays in the server), and the
server's frames parsed from whatever the socket still holds."""

import base64
import os
import socket
import struct


def never_reading_socket(port: int, slug: str, rcvbuf: int = 4096) -> socket.socket:
    """A socket that completes the websocket handshake of `slug` on 127.0.0.1:`port` and is then
    left unread. Bound to 127.0.0.9, so `ss` can tell it from the ordinary readers."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.bind(("127.0.0.9", 0))
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /ws/ceremonies/{slug}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: http://127.0.0.1:{port}\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    assert head.startswith(b"HTTP/1.1 101"), head
    return sock


def read_all(sock: socket.socket, timeout: float = 10) -> bytes:
    """Everything the socket receives until the server closes it (or `timeout` passes)."""
    sock.settimeout(timeout)
    chunks = []
    try:
        while chunk := sock.recv(1 << 16):
            chunks.append(chunk)
    except (TimeoutError, ConnectionResetError):
        pass
    return b"".join(chunks)


def read_until_closed(sock: socket.socket, timeout: float = 10) -> tuple[bytes, str]:
    """Everything the socket receives, and how it ended: "eof" (the server closed it),
    "reset" (the server dropped it) or "timeout" (still open after `timeout` seconds)."""
    sock.settimeout(timeout)
    chunks = []
    try:
        while chunk := sock.recv(1 << 16):
            chunks.append(chunk)
    except TimeoutError:
        return b"".join(chunks), "timeout"
    except ConnectionResetError:
        return b"".join(chunks), "reset"
    return b"".join(chunks), "eof"


def frames(data: bytes) -> list[tuple[int, bytes]]:
    """The server's (unmasked) frames in `data`, as (opcode, payload); a cut last one is left
    out."""
    out, at = [], 0
    while at + 2 <= len(data):
        opcode, length = data[at] & 0x0F, data[at + 1] & 0x7F
        at += 2
        if length == 126:
            (length,) = struct.unpack("!H", data[at : at + 2])
            at += 2
        elif length == 127:
            (length,) = struct.unpack("!Q", data[at : at + 8])
            at += 8
        if at + length > len(data):
            break
        out.append((opcode, data[at : at + length]))
        at += length
    return out


def close_code(data: bytes) -> int | None:
    """The code of the close frame in `data`, if the server sent one."""
    for opcode, payload in frames(data):
        if opcode == 0x8 and len(payload) >= 2:
            return struct.unpack("!H", payload[:2])[0]
    return None
