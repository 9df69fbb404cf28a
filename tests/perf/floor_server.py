"""The floor: a bare `websockets` server that does nothing but `broadcast()` a message of the
app's size to every connected reader. The benchmark runs it with the same readers as the app, so
the app's commit-to-last-reader time can be given as a ratio to what this machine can do at all.

Sends version 0 on connect; once EXPECT readers are connected (and SETTLE seconds have passed:
the benchmark reads the server's memory and CPU 2 s after the readers connect), sends
versions 1..ANNOUNCEMENTS, one every INTERVAL seconds, printing `committed version=<n> at=<t>`
just before each broadcast, like the app's writer. Exits LINGER seconds after the last one.
With --size 0 its frames are the smallest that name the version (the benchmark's `echo` set-up).
"""

import argparse
import asyncio
import sys
import time

from websockets.asyncio.server import broadcast, serve


def message(version: int, size: int) -> str:
    head = '{"type":"snapshot","snapshot":{"ceremony":{"version":' + str(version) + '},"pad":"'
    tail = '"}}'
    return head + "x" * max(0, size - len(head) - len(tail)) + tail


async def main_async(args) -> None:
    connections = set()

    async def handler(ws):
        connections.add(ws)
        try:
            await ws.send(message(0, args.size))
            await ws.wait_closed()
        finally:
            connections.discard(ws)

    async with serve(
        handler,
        "127.0.0.1",
        args.port,
        compression=None,
        max_size=4096,
        backlog=4096,
    ):
        print(f"listening on {args.port}", flush=True)
        deadline = time.monotonic() + args.wait
        while len(connections) < args.expect and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(args.settle)
        for version in range(1, args.announcements + 1):
            text = message(version, args.size)
            print(f"committed version={version} at={time.time():.6f}", flush=True)
            broadcast(connections, text)
            await asyncio.sleep(args.interval)
        await asyncio.sleep(args.linger)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--expect", type=int, required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--announcements", type=int, default=20)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--wait", type=float, default=300, help="seconds to wait for readers")
    parser.add_argument("--linger", type=float, default=10)
    parser.add_argument("--settle", type=float, default=3, help="seconds, before the first")
    args = parser.parse_args()
    sys.path.insert(0, ".")
    from tests.support.stack import raise_open_files

    raise_open_files()
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
