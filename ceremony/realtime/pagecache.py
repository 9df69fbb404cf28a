"""The ceremony page and the snapshot API, kept per version in front of Django (ASGI middleware).

A view opts in with `mark(response, ceremony_id, version)`; the marked response, headers and
all, is replayed to later GETs of the same path, host and scheme (whatever their query string: a
marked view reads none) until the ceremony's version moves on, gzip-compressed (once per kept
response) for a client that accepts it. The cache learns that the version has moved on from the
fan-out, as a `fanout.VersionListener` of each ceremony it keeps pages of, so it is exactly as
fresh as the process's websockets with no query per request. The rules and their reasons:
docs/protocol.md (*The page and the API, kept per version*); what it changes:
docs/performance.md (*Page load*)."""

import asyncio
import gzip
from collections import OrderedDict
from dataclasses import dataclass, replace
from functools import cached_property

from django.http import HttpResponse

from ceremony.realtime import fanout

HEADER = "X-Snapshot-Of"
_HEADER = HEADER.lower().encode()
MAX_ENTRIES = 64
# Below every real version: an entry kept only to mark its URL as cacheable.
STALE = -1
# Left out of a 304 answered from a kept response: it has no body.
_NOT_FOR_304 = {b"content-length", b"content-type"}
# Every kept response varies with Accept-Encoding: it may be sent compressed.
_VARY = (b"vary", b"Accept-Encoding")
# Compressed: text of at least this many bytes (smaller gains nothing).
_COMPRESSIBLE = (b"text/html", b"application/json")
_MIN_GZIP = 1024

Key = tuple


def mark(response: HttpResponse, ceremony_id: int, version: int) -> HttpResponse:
    """Let the cache keep this response until the ceremony's version changes. Only for a
    response that depends on nothing else: not the user, not the session, not the time, not
    the query string."""
    response[HEADER] = f"{ceremony_id} {version}"
    return response


@dataclass(frozen=True)
class Entry:
    ceremony_id: int
    version: int
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    @property
    def etag(self) -> bytes | None:
        return next((value for name, value in self.headers if name == b"etag"), None)

    @cached_property
    def gzipped(self) -> tuple[list[tuple[bytes, bytes]], bytes] | None:
        """The headers and body sent to a client that accepts gzip, made on first use (once
        per kept response, so once per version per URL); None if not worth compressing."""
        content_type = next((v for n, v in self.headers if n == b"content-type"), b"")
        if len(self.body) < _MIN_GZIP or not content_type.startswith(_COMPRESSIBLE):
            return None
        body = gzip.compress(self.body, compresslevel=9, mtime=0)
        headers = [(n, v) for n, v in self.headers if n != b"content-length"]
        headers += [(b"content-length", str(len(body)).encode()), (b"content-encoding", b"gzip")]
        return headers, body

    async def send(self, scope, send) -> None:
        if self.etag is not None and _header(scope, b"if-none-match") == self.etag:
            headers = [(n, v) for n, v in self.headers if n not in _NOT_FOR_304]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        headers, body = self.headers, self.body
        if self.gzipped is not None and _accepts_gzip(_header(scope, b"accept-encoding")):
            headers, body = self.gzipped
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _accepts_gzip(accept_encoding: bytes | None) -> bool:
    """Whether an Accept-Encoding header allows gzip (named, or `*`, with a q above 0)."""
    for item in (accept_encoding or b"").decode("latin-1").lower().split(","):
        name, _, params = item.partition(";")
        if name.strip() in ("gzip", "*"):
            q = params.strip().removeprefix("q=")
            try:
                return not params.strip() or float(q) > 0
            except ValueError:
                return False
    return False


class _Cache(fanout.VersionListener):
    """One event loop's entries (under Daphne, one per process), and the listener, in that loop's
    fan-out, of each ceremony they show."""

    def __init__(self):
        self.entries: OrderedDict[Key, Entry] = OrderedDict()
        # The newest version of each ceremony listened to: an entry older than its ceremony's is
        # stale. A ceremony is here only once the fan-out's `listen` has returned.
        self.versions: dict[int, int] = {}
        # The ceremonies whose `listen` is under way, and the newest version known of each.
        self.joining: dict[int, int] = {}
        # One request per stale URL goes to Django; the others wait for its response.
        self.refreshing: dict[Key, asyncio.Future] = {}

    def version_changed(self, ceremony_id: int, version: int) -> None:
        """From the fan-out: from now on, every entry of the ceremony older than `version` is
        stale, and the next request for its URL goes to Django (one: the others for that URL wait
        for its response, which replaces the entry)."""
        for known in (self.versions, self.joining):
            if ceremony_id in known:
                known[ceremony_id] = max(known[ceremony_id], version)

    def fresh(self, key: Key) -> Entry | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        version = self.versions.get(entry.ceremony_id)
        if version is None or entry.version < version:
            return None
        self.entries.move_to_end(key)
        return entry

    async def keep(self, key: Key, entry: Entry) -> None:
        self.entries[key] = entry
        self.entries.move_to_end(key)
        if entry.ceremony_id in self.versions:
            # A version read from the database is real even before the fan-out tells of it (its
            # message still on the way): the ceremony's older entries are stale from now.
            self.versions[entry.ceremony_id] = max(self.versions[entry.ceremony_id], entry.version)
        while len(self.entries) > MAX_ENTRIES:
            _, dropped = self.entries.popitem(last=False)
            if not any(e.ceremony_id == dropped.ceremony_id for e in self.entries.values()):
                await self.unwatch(dropped.ceremony_id)

    async def watch(self, ceremony_id: int, version: int) -> None:
        if ceremony_id in self.versions or ceremony_id in self.joining:
            return
        self.joining[ceremony_id] = version
        try:
            await fanout.current().listen(ceremony_id, self)
            # Only now: requests that begin from here on may be kept.
            self.versions[ceremony_id] = self.joining[ceremony_id]
        finally:
            del self.joining[ceremony_id]

    async def unwatch(self, ceremony_id: int) -> None:
        if self.versions.pop(ceremony_id, None) is not None:
            await fanout.current().unlisten(ceremony_id, self)


current = fanout.per_loop(_Cache)


def _header(scope, name: bytes) -> bytes | None:
    # Django sends names as it spells them ("ETag"); ASGI servers send them lowercased.
    return next((value for key, value in scope["headers"] if key.lower() == name), None)


def _keepable(start: dict) -> bool:
    return start["status"] == 200 and not any(
        name.lower() in (b"set-cookie", b"vary") for name, _ in start["headers"]
    )


class PageCacheMiddleware:
    """ASGI middleware for the HTTP side of the application (tracker/asgi.py)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET":
            return await self.app(scope, receive, send)
        cache = current()
        # Everything the response may depend on before the view: Django checks the host and,
        # behind TLS, redirects plain HTTP, and neither answer may be replayed for another. Not
        # the query string: a marked view reads none, and a random `?x=` must not miss.
        key = (
            scope["path"],
            _header(scope, b"host"),
            _header(scope, b"x-forwarded-proto"),
            scope.get("scheme"),
        )
        entry = cache.fresh(key)
        if entry is None and key in cache.refreshing:
            entry = await asyncio.shield(cache.refreshing[key])
        if entry is not None:
            return await entry.send(scope, send)

        refreshed = asyncio.get_running_loop().create_future()
        # Only a URL known to be cacheable makes others wait: any other GET goes straight on.
        if key in cache.entries:
            cache.refreshing[key] = refreshed
        # Kept only if its ceremony was listened to before this request began: an earlier view
        # may have read a version whose successor was published before the subscription existed.
        watched = set(cache.versions)
        try:
            entry = await self._forward(scope, receive, send)
            if entry is not None:
                if entry.ceremony_id in watched and entry.ceremony_id in cache.versions:
                    await cache.keep(key, entry)
                else:
                    await cache.watch(entry.ceremony_id, entry.version)
                    # Never served (it may predate the subscription), but from now on the URL
                    # is known: a burst of requests for it sends one of them to Django.
                    await cache.keep(key, replace(entry, version=STALE))
        finally:
            if cache.refreshing.get(key) is refreshed:
                del cache.refreshing[key]
            refreshed.set_result(entry)

    async def _forward(self, scope, receive, send) -> Entry | None:
        """Django's response, passed on as it comes; returned as an Entry if it may be kept."""
        start, marker, body, complete = None, None, [], False

        async def capture(message):
            nonlocal start, marker, complete
            if message["type"] == "http.response.start":
                marker = _header(message, _HEADER)
                if marker is not None:
                    # The marker is for this cache only: the client never sees it.
                    start = {
                        **message,
                        "headers": [(n, v) for n, v in message["headers"] if n.lower() != _HEADER],
                    }
                    message = start
                    if _keepable(start):
                        # What the cache answers for this URL varies with Accept-Encoding.
                        message = {**start, "headers": [*start["headers"], _VARY]}
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                complete = not message.get("more_body", False)
            await send(message)

        await self.app(scope, receive, capture)
        if start is None or not complete or not _keepable(start):
            return None
        # Lowercased once, as ASGI servers send them (Django spells them "ETag").
        headers = [(name.lower(), value) for name, value in start["headers"]]
        ceremony_id, version = map(int, marker.split())
        return Entry(ceremony_id, version, start["status"], [*headers, _VARY], b"".join(body))
