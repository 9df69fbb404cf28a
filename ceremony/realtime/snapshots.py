"""Snapshots as served: built once per version per process and kept here, so a reconnect storm
or a burst of page loads costs one build, not one per reader.

What a snapshot holds and when it is built: docs/protocol.md (*The snapshot*).
"""

import json
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.html import _json_script_escapes
from django.utils.safestring import SafeString, mark_safe

from ceremony import scoreboard
from ceremony.models import Ceremony

log = logging.getLogger(__name__)

CACHE_SIZE = 64


@dataclass(frozen=True)
class Snapshot:
    data: dict[str, Any]
    # The JSON API body.
    text: str

    @property
    def version(self) -> int:
        return self.data["version"]

    @cached_property
    def message(self) -> str:
        """The websocket frame: the same bytes as the API body, wrapped once per process."""
        return '{"type":"snapshot","snapshot":' + self.text + "}"

    @cached_property
    def script_json(self) -> SafeString:
        """The page's embedded copy, for a <script type="application/json"> block: the API text
        escaped as Django's `json_script` escapes it (<, > and & as \\u escapes), once per
        process rather than serialized again on every page load."""
        return mark_safe(self.text.translate(_json_script_escapes))

    @classmethod
    def from_text(cls, text: str) -> "Snapshot":
        """A snapshot another process built and published."""
        return cls(data=json.loads(text), text=text)


class TooLarge(ValueError):
    """A snapshot whose frame is larger than a websocket message may be: no reader could be sent
    it (Daphne refuses to send it, and every connect fails)."""


def refuse_oversized(snap: Snapshot) -> None:
    """Raise TooLarge, with one line saying why, if the snapshot's frame is over
    WEBSOCKET_MAX_MESSAGE_BYTES (Daphne's --websocket-max-message-size, which it applies to what
    it sends: docs/protocol.md, *Running it*)."""
    size, limit = len(snap.message.encode()), settings.WEBSOCKET_MAX_MESSAGE_BYTES
    if size > limit:
        raise TooLarge(
            f"{snap.data['ceremony']['name']}: its snapshot would be {size:,} bytes, over the "
            f"{limit:,} a websocket message may carry (WEBSOCKET_MAX_MESSAGE_BYTES); "
            "no reader could be sent it"
        )


def make_snapshot(ceremony: Ceremony) -> Snapshot:
    data = scoreboard.snapshot(ceremony)
    return Snapshot(data=data, text=json.dumps(data, ensure_ascii=False, separators=(",", ":")))


class SnapshotCache:
    """The latest snapshots per (ceremony, version), in this process."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._items: OrderedDict[tuple[int, int], Snapshot] = OrderedDict()
        self._lock = threading.Lock()
        self.builds = 0

    def get(self, ceremony_id: int, version: int) -> Snapshot | None:
        with self._lock:
            snap = self._items.get((ceremony_id, version))
            if snap is not None:
                self._items.move_to_end((ceremony_id, version))
            return snap

    def put(self, ceremony_id: int, snap: Snapshot) -> None:
        with self._lock:
            self._items[(ceremony_id, snap.version)] = snap
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.builds = 0


cache = SnapshotCache()


def current_snapshot(ceremony: Ceremony) -> Snapshot:
    """The snapshot at the ceremony's current version (`ceremony` may be a stale instance)."""
    return current_snapshot_of(ceremony.pk)


def current_snapshot_of(ceremony_id: int) -> Snapshot:
    version = Ceremony.objects.filter(pk=ceremony_id).values_list("version", flat=True).get()
    snap = cache.get(ceremony_id, version)
    if snap is not None:
        return snap
    # Build inside one transaction holding the row, so the rows read are those of `version`:
    # a write committing meanwhile waits, and never gets cached under an older version.
    with transaction.atomic():
        fresh = Ceremony.objects.select_related("body").select_for_update().get(pk=ceremony_id)
        # Page loads and reconnects after a restart miss the cache in several threads at once:
        # the others wait for the row above, then find the first one's build here. (Cached
        # before the commit: this transaction only reads, so there is nothing to roll back.)
        snap = cache.get(ceremony_id, fresh.version)
        if snap is None:
            snap = make_snapshot(fresh)
            cache.builds += 1
            cache.put(ceremony_id, snap)
    return snap
