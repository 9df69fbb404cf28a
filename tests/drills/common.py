"""What the drills share: readers that behave like `static/ceremony/live.js`, a writer process
going through the services, and the PASS/FAIL report.

The readers reimplement live.js's client policy faithfully, in Python:
- a frame whose version is not newer than the applied one is ignored; exactly one newer (a delta:
  from the applied one) is applied; a gap makes the reader fetch GET /api/ceremonies/<slug>/
  first (frames arriving meanwhile wait), apply that if newer, then the waiting frames in order
  (a delta whose base is not then the applied version is dropped);
- after any reconnect (not the first connection) it fetches the API the same way;
- after a close it waits uniformly at random between a quarter of min(30 s, 1 s x 2^failures)
  and all of it
  (failures: closes since the last successful open, capped at 2^10), then reconnects.
Each reader keeps the text of every version it applied, so a drill can check that no reader
ever showed a page that differs from the server's snapshot of that version.
"""

import argparse
import asyncio
import functools
import json
import random
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.support import stack
from tests.support.deltas import patched

RECONNECT_BASE = 1.0
RECONNECT_CAP = 30.0
SOURCES = [f"127.0.0.{i}" for i in range(2, 10)]
COMMIT_LINE = re.compile(r"committed version=(\d+) at=([\d.]+)")
FRAME_HEAD = '{"type":"snapshot","snapshot":'
DELTA_HEAD = '{"type":"delta",'
BASE = re.compile(r'"base":(\d+)')
HEARTBEAT_HEAD = '{"type":"heartbeat",'
VERSION = re.compile(r'"version":(\d+)')


async def http_get(host: str, port: int, path: str, timeout: float = 10) -> tuple[int, bytes]:
    """A plain HTTP/1.1 GET (no client library needed for one request per reconnect)."""
    async with asyncio.timeout(timeout):
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n"
                "Connection: close\r\n\r\n".encode()
            )
            raw = await reader.read()
        finally:
            writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/"):
        raise OSError("no HTTP response")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        body = dechunk(body)
    return status, body


def dechunk(body: bytes) -> bytes:
    out, rest = b"", body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


class Reader:
    """One browser tab's live.js, as far as the server can tell."""

    def __init__(self, number: int, host: str, port: int, slug: str = stack.SLUG):
        self.number, self.host, self.port, self.slug = number, host, port, slug
        self.applied = -1
        self.pages: dict[int, str] = {}  # version -> the snapshot text applied
        self.arrived: dict[int, float] = {}  # version -> when it was applied
        self.failures = 0
        self.opened = False
        self.opens: list[float] = []
        self.connected = False
        self.fetches = 0
        self.stopping = False
        self.syncing = False
        self.pending: list[tuple[int, str, int | None]] = []
        self.syncing_task: asyncio.Task | None = None

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}/ws/ceremonies/{self.slug}/"

    def apply(self, version: int, text: str) -> None:
        self.applied = version
        self.pages[version] = text
        self.arrived[version] = time.time()

    async def receive(self, version: int, text: str, base: int | None = None) -> None:
        """A whole snapshot's text, or (with its `base`) a delta frame's."""
        if self.syncing:
            self.pending.append((version, text, base))
        elif version <= self.applied:
            pass
        elif base == self.applied or (base is None and version == self.applied + 1):
            self.apply(version, text if base is None else self.followed(text))
        else:
            await self.resync((version, text, base))

    def followed(self, delta: str) -> str:
        """The text of the page shown once `delta` is applied to it."""
        return _followed(self.pages[self.applied], delta)

    async def resync(self, gap=None) -> None:
        if gap:
            self.pending.append(gap)
        if self.syncing:
            return
        self.syncing = True
        try:
            self.fetches += 1
            status, body = await http_get(self.host, self.port, f"/api/ceremonies/{self.slug}/")
            if status != 200:
                raise OSError(status)
            text = body.decode()
            version = json.loads(text)["version"]
            if version > self.applied:
                self.apply(version, text)
        except (OSError, ValueError, TimeoutError):
            newest = max((p for p in self.pending if p[2] is None), default=None)
            if newest and newest[0] > self.applied:
                self.apply(*newest[:2])
        finally:
            self.syncing = False
            waiting = sorted(self.pending, key=lambda p: p[0])
            self.pending = []
            for version, text, base in waiting:
                if version > self.applied and base in (None, self.applied):
                    self.apply(version, text if base is None else self.followed(text))

    async def run(self, until: float) -> None:
        from websockets.asyncio.client import connect

        origin = f"http://{self.host}:{self.port}"
        while not self.stopping and time.monotonic() < until:
            try:
                async with connect(
                    self.url,
                    origin=origin,
                    max_size=2**22,
                    open_timeout=20,
                    ping_interval=None,
                    compression=None,
                    local_addr=(SOURCES[self.number % len(SOURCES)], 0),
                ) as ws:
                    reconnected = self.opened
                    self.opened, self.connected, self.failures = True, True, 0
                    self.opens.append(time.time())
                    if reconnected:
                        self.syncing_task = asyncio.create_task(self.resync())
                    while not self.stopping:
                        remaining = until - time.monotonic()
                        if remaining <= 0:
                            return
                        try:
                            # A one-second tick, so the reader notices `stopping`.
                            frame = await asyncio.wait_for(ws.recv(), min(remaining, 1.0))
                        except TimeoutError:
                            continue
                        # The frame is the API text wrapped once (docs/protocol.md): unwrap it
                        # rather than parse and re-serialize 31 KB per reader per write.
                        if frame.startswith(HEARTBEAT_HEAD):
                            continue
                        if frame.startswith(DELTA_HEAD):
                            version = int(VERSION.search(frame, 0, 200).group(1))
                            base = int(BASE.search(frame, 0, 200).group(1))
                            await self.receive(version, frame, base)
                            continue
                        if not frame.startswith(FRAME_HEAD):
                            raise ValueError(f"unexpected frame {frame[:80]!r}")
                        text = frame[len(FRAME_HEAD) : -1]
                        await self.receive(int(VERSION.search(text, 0, 2000).group(1)), text)
            except Exception:
                pass
            self.connected = False
            self.failures += 1
            if self.stopping:
                return
            ceiling = min(RECONNECT_CAP, RECONNECT_BASE * 2 ** min(self.failures, 10))
            await asyncio.sleep(random.uniform(ceiling / 4, ceiling))


@functools.lru_cache(maxsize=64)
def _followed(page: str, delta: str) -> str:
    # Once per version for all the readers: they share the texts of the page and the frame.
    return json.dumps(patched(json.loads(page), json.loads(delta)["changes"]))


def wrong_pages(readers: list[Reader], truth: dict[int, str] | None = None) -> int:
    """Versions some reader showed with a text other than another's (or than `truth`)."""
    seen: dict[int, str] = dict(truth or {})
    wrong = 0
    for reader in readers:
        for version, text in reader.pages.items():
            canonical = json.loads(seen.setdefault(version, text))
            if json.loads(text) != canonical:
                wrong += 1
    return wrong


def reconnect_rate(readers: list[Reader], since: float) -> tuple[int, int, float | None]:
    """(reconnects after `since`, the most in any one second, seconds until the last one)."""
    times = [t for r in readers for t in r.opens[1:] if t >= since]
    per_second = Counter(int(t - since) for t in times)
    return len(times), max(per_second.values(), default=0), (max(times) - since if times else None)


def writer(env: dict, count: int, interval: float, log: Path) -> subprocess.Popen:
    """`count` writes through the services in a process of its own, one every `interval`s."""
    return subprocess.Popen(
        [
            stack.PYTHON,
            str(Path(__file__).with_name("writer.py")),
            "--count",
            str(count),
            "--interval",
            str(interval),
        ],
        cwd=stack.PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )


def result(name: str, checks: dict[str, bool]) -> bool:
    for what, ok in checks.items():
        print(f"  [{'ok' if ok else 'FAILED'}] {what}")
    passed = all(checks.values())
    print(f"{name}: {'PASS' if passed else 'FAIL'}", flush=True)
    return passed


def options(doc: str, readers: int, writes: int, interval: float, port: int):
    """The options of a drill with readers and a writer, with its defaults; it adds its own."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=readers)
    parser.add_argument("--writes", type=int, default=writes)
    parser.add_argument("--interval", type=float, default=interval)
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--deadline", type=float, default=240)
    return parser


def run_drill(drill, args) -> NoReturn:
    """Run `drill(args)` with the open-files limit raised; exit 0 if it passed, else 1."""
    stack.raise_open_files()
    sys.exit(0 if asyncio.run(drill(args)) else 1)


def run_tests(name: str, what: str, tests: list[str]) -> bool:
    """Drills that CI also runs as tests: run those tests (on the PostgreSQL and Redis of
    DATABASE_URL and REDIS_URL, like CI) and report."""
    print(f"{name}: {what}", flush=True)
    done = subprocess.run(
        [stack.PYTHON, "-m", "pytest", "-v", "-p", "no:cacheprovider", *tests],
        cwd=stack.PROJECT,
        env={**stack.os.environ, "CI": "true"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = [line for line in done.stdout.splitlines() if "::" in line or "passed" in line]
    print("\n".join(f"  {line}" for line in lines))
    return result(name, {"the drill's tests pass": done.returncode == 0})
