"""Publication to the readers' edge tier (nginx's Nchan module, deploy/nginx/edge.conf): after a
write commits, its version's frame is POSTed once to each edge host listed in
`EDGE_PUBLISH_URLS`, which writes it to every reader it holds; `manage.py edge_heartbeat` posts
the heartbeats. Unset (the default), nothing is sent and Daphne serves the readers.

The channels, the frames and why: docs/protocol.md (*Through the edge tier*).
"""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings

from ceremony.realtime import deltas, snapshots

log = logging.getLogger("ceremony.live")

# The edge's publisher answers at once (it only queues the message); a host that does not
# answer within this is skipped for this message, and its readers catch up from the heartbeat.
TIMEOUT_SECONDS = 2.0

# One thread per edge host: a host's messages leave in the order they were committed, and a
# host that hangs holds up neither the writer nor the other hosts.
_senders: dict[str, ThreadPoolExecutor] = {}


def channel_url(base: str, kind: str, slug: str) -> str:
    """`kind` is `live` (deltas and snapshots, the edge keeps the last few) or `beat` (the
    heartbeat, the edge keeps the last one)."""
    return f"{base.rstrip('/')}/{kind}/{urllib.parse.quote(slug, safe='')}"


def live_frame(ceremony_id: int, snap: snapshots.Snapshot) -> str:
    """The frame every reader on the edge gets for this version: the delta from the version
    before when this process has its snapshot (the writer made or read it), else the whole
    snapshot (docs/protocol.md, *Deltas*: a reader not on the base needs it whole anyway)."""
    base = snapshots.cache.get(ceremony_id, snap.version - 1)
    if settings.WEBSOCKET_DELTAS and base is not None:
        return deltas.between(base, snap).message
    return snap.message


def heartbeat_frame(version: int) -> str:
    return json.dumps({"type": "heartbeat", "version": version}, separators=(",", ":"))


def _post(url: str, text: str) -> None:
    request = urllib.request.Request(
        url, data=text.encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
    except Exception as exc:
        # The write has committed: readers catch up from the next heartbeat (the API).
        log.warning("edge publish failed: %s: %s", url, exc)


def _exists(url: str) -> bool:
    """Does the edge hold this channel? (GET on its publisher: 200, or 404 if not.)"""
    request = urllib.request.Request(url, headers={"Accept": "text/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
            return True
    except urllib.error.HTTPError as exc:
        return exc.code != 404
    except OSError as exc:
        log.warning("edge unreachable: %s: %s", url, exc)
        return True


def _sender(base: str) -> ThreadPoolExecutor:
    sender = _senders.get(base)
    if sender is None:
        sender = _senders[base] = ThreadPoolExecutor(1, thread_name_prefix="edge-publish")
    return sender


def send(kind: str, slug: str, text: str, bases: list[str] | None = None) -> list[Future]:
    """Queue `text` for the `kind` channel of the ceremony on every edge host (or on `bases`);
    returns at once."""
    futures = []
    for base in settings.EDGE_PUBLISH_URLS if bases is None else bases:
        futures.append(_sender(base).submit(_post, channel_url(base, kind, slug), text))
    return futures


def seed(
    slug: str, snapshot: Callable[[], snapshots.Snapshot], bases: list[str] | None = None
) -> None:
    """On each edge host (or each of `bases`) that has no `live` channel for the ceremony (it was
    restarted, or has never seen a write of it), make one, holding the whole current snapshot:
    so a reader can connect (the edge refuses a channel it does not hold) and its first frame is
    the snapshot. `snapshot` is called only if an edge lacks it. Waits for the edges' answers."""
    for base in settings.EDGE_PUBLISH_URLS if bases is None else bases:
        url = channel_url(base, "live", slug)
        if not _exists(url):
            _post(url, snapshot().message)


def publish(ceremony_id: int, snap: snapshots.Snapshot) -> list[Future]:
    """After commit: this version's frame to every edge host, once (nothing without edges)."""
    if not settings.EDGE_PUBLISH_URLS:
        return []
    return send("live", snap.data["ceremony"]["slug"], live_frame(ceremony_id, snap))
