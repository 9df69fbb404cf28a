"""Publication after a write commits: the snapshot of the write's version is built inside its
transaction and sent once to the channel layer on commit; each process's subscriber
(`ceremony.realtime.fanout`) passes it to its readers and listeners. With an edge tier
(`EDGE_PUBLISH_URLS`) its frame also goes once to each edge host (`ceremony.realtime.edge`).

The message and what happens when the layer is away: docs/protocol.md (*Fan-out*).
"""

import asyncio
import contextvars
import logging
from contextlib import contextmanager
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from ceremony.models import Ceremony
from ceremony.realtime import edge
from ceremony.realtime.snapshots import Snapshot, cache, make_snapshot, refuse_oversized

log = logging.getLogger("ceremony.live")

# The channel layer answers in milliseconds; one that has not answered within this (a Redis
# primary gone while Sentinel has not yet promoted another costs its client seconds per try) is
# given up for this message: the editor's write has committed and is not held up, and readers
# catch up from the version check (docs/protocol.md, *Fan-out*).
TIMEOUT_SECONDS = 1.0


def group_name(ceremony_id: int) -> str:
    return f"ceremony.{ceremony_id}"


_unpublished = contextvars.ContextVar("unpublished", default=False)


@contextmanager
def unpublished():
    """For bulk imports run as their own process: their writes build and publish no snapshot,
    since each ceremony imported would otherwise re-aggregate the body's records (what that
    costs: docs/performance.md). Web processes see the new versions on their next read or
    periodic version check (`fanout.RESYNC_SECONDS`) and build full snapshots themselves."""
    token = _unpublished.set(True)
    try:
        yield
    finally:
        _unpublished.reset(token)


def publish_on_commit(ceremony: Ceremony) -> None:
    """Build the snapshot of this write's version now (inside its transaction), send it after
    commit. A rolled-back write sends nothing and caches nothing; nor does a write made
    `unpublished()`."""
    if _unpublished.get():
        return
    snap = make_snapshot(Ceremony.objects.select_related("body").get(pk=ceremony.pk))
    # Raised inside the write's transaction: a version no reader could be sent is never made.
    refuse_oversized(snap)

    def send():
        cache.put(ceremony.pk, snap)
        publish(ceremony.pk, snap)
        # The readers' edge tier, if there is one (docs/deploy.md, "The edge tier").
        edge.publish(ceremony.pk, snap)

    transaction.on_commit(send)


def layer_message(ceremony_id: int, snap: Snapshot) -> dict[str, Any]:
    """What one write sends through the channel layer: the API text, serialized once.
    Each process's subscriber (`ceremony.realtime.fanout`) wraps it into the frame once, for all its
    readers."""
    return {
        "type": "ceremony.snapshot",
        "ceremony": ceremony_id,
        "version": snap.version,
        "snapshot": snap.text,
    }


async def _send(layer, ceremony_id: int, snap: Snapshot) -> None:
    message = layer_message(ceremony_id, snap)
    await asyncio.wait_for(layer.group_send(group_name(ceremony_id), message), TIMEOUT_SECONDS)


def publish(ceremony_id: int, snap: Snapshot) -> None:
    """Send one message to the ceremony's group, giving up after TIMEOUT_SECONDS. A failure is
    logged, never raised: the write has committed, and readers catch up from the version when
    the layer is back."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(_send)(layer, ceremony_id, snap)
    except TimeoutError:
        log.warning(
            "publish gave up after %.1f s, the channel layer not answering: ceremony=%s "
            "version=%s (readers catch up from the version check)",
            TIMEOUT_SECONDS,
            ceremony_id,
            snap.version,
        )
    except Exception:
        log.exception("publish failed: ceremony=%s version=%s", ceremony_id, snap.version)
