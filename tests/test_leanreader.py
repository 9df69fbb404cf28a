"""The benchmarks' lean websocket reader (tests/support/leanreader.py) against the websockets
library's server: its figures are only as good as its reading."""

import asyncio
import http

from websockets.asyncio.server import serve

from tests.support import leanreader

SNAPSHOT = '{"type":"snapshot","version":7,"pad":"' + "x" * 70_000 + '"}'


async def served(handler, process_request=None):
    server = await serve(handler, "127.0.0.1", 0, process_request=process_request)
    port = server.sockets[0].getsockname()[1]
    return server, f"ws://127.0.0.1:{port}/ws/ceremonies/x/"


def test_the_first_message_opens_it_and_the_rest_arrive_whole_and_in_order():
    async def handler(ws):
        await ws.send(SNAPSHOT)
        await ws.send(["fragmented ", "in ", "three"])
        await ws.send("last")
        await ws.wait_closed()

    async def main():
        server, url = await served(handler)
        later = []
        socket, first = await leanreader.connect(url, "127.0.0.2", later.append)
        async with asyncio.timeout(5):
            while len(later) < 2:
                await asyncio.sleep(0.01)
        socket.close()
        server.close()
        return first, later

    first, later = asyncio.run(main())

    assert first == SNAPSHOT.encode()
    assert later == [b"fragmented in three", b"last"]


def test_the_servers_pings_are_answered():
    pongs = []

    async def handler(ws):
        await ws.send(SNAPSHOT)
        for _ in range(3):
            pongs.append(await asyncio.wait_for(await ws.ping(), 2))

    async def main():
        server, url = await served(handler)
        socket, _ = await leanreader.connect(url, "127.0.0.2")
        async with asyncio.timeout(5):
            while len(pongs) < 3:
                await asyncio.sleep(0.01)
        socket.close()
        server.close()

    asyncio.run(main())
    assert len(pongs) == 3


def test_a_refused_handshake_fails_with_its_status_line():
    async def refuse(connection, request):
        return connection.respond(http.HTTPStatus.NOT_FOUND, "no such ceremony\n")

    async def main():
        server, url = await served(lambda ws: None, refuse)
        try:
            await leanreader.connect(url, "127.0.0.2")
        except leanreader.HandshakeFailed as error:
            return str(error)
        finally:
            server.close()

    assert asyncio.run(main()) == "HTTP/1.1 404 Not Found"
