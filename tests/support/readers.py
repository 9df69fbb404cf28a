"""A scripted reader for the benchmarks (tests/perf): one websocket, each version's frame handed
to a callback as it arrives, the version read from the frame's first bytes rather than by parsing
tens of kilobytes of JSON per reader."""

import asyncio
import re
from collections.abc import Callable

# The first "version" of a frame: a delta's own, or a snapshot's, after its ceremony summary.
VERSION = re.compile(r'"version":(\d+)')
HEARTBEAT = '{"type":"heartbeat",'


async def read_versions(
    url: str,
    origin: str,
    until: int,
    ready: asyncio.Event,
    arrived: Callable[[int, str], None],
    connected: Callable[[str], None] = lambda frame: None,
) -> None:
    """Connect, hand the connect snapshot to `connected`, set `ready`, then hand each later
    snapshot or delta frame to `arrived(version, frame)` until `until` has arrived."""
    from websockets.asyncio.client import connect

    async with connect(url, origin=origin, max_size=None, open_timeout=60) as ws:
        connected(await ws.recv())
        ready.set()
        while True:
            frame = await ws.recv()
            if frame.startswith(HEARTBEAT):
                continue
            version = int(VERSION.search(frame).group(1))
            arrived(version, frame)
            if version >= until:
                return


async def while_writing(
    readers: list, readies: list[asyncio.Event], write: Callable[[], None], timeout: float
) -> None:
    """Once every reader is connected, run `write` in a thread of its own (the services, as an
    editor's request would) and wait until every reader has had its last version."""
    await asyncio.gather(*(ready.wait() for ready in readies))
    writing = asyncio.create_task(asyncio.to_thread(write))
    await asyncio.wait_for(asyncio.gather(*readers), timeout)
    await writing
