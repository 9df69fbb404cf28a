"""The pools' read side: a pool by its code, the picks JSON a pool page loads once (cached per
pool version), and the standings the server renders (cached per pool and ceremony version).
Reads only: every write is in ceremony/pools/services.py."""

import json
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from ceremony.pools import scoring
from ceremony.pools.models import Member, Pool, ballots_locked
from ceremony.realtime.snapshots import Snapshot

# A ballot saved a moment before the start time may commit a moment after it: the picks of a
# pool locked by the clock alone are cached only once this much has passed.
SETTLE = timedelta(seconds=10)
CACHE_SECONDS = 3600


def pool_by_code(code: str) -> Pool | None:
    return Pool.objects.select_related("ceremony").filter(code=code).first()


def members(pool: Pool) -> list[dict]:
    return [m.entry for m in Member.objects.filter(pool=pool).in_order()]


def _cacheable(pool: Pool) -> bool:
    ceremony = pool.ceremony
    if ceremony.status != ceremony.Status.DRAFT:
        return True
    starts = ceremony.starts_at
    return starts is not None and timezone.now() >= starts + SETTLE


def picks_text(pool: Pool) -> str:
    """The pool as its page's script reads it: rules, and each member's name, picks and tiebreak
    answer once ballots are locked (before that, names only). One JSON text per pool version."""
    locked = pool.is_locked
    key = f"pools:picks:{pool.pk}:{pool.version}:{int(locked)}"
    text = cache.get(key) if locked else None
    if text is None:
        rows = members(pool)
        if not locked:
            rows = [{"id": m["id"], "name": m["name"]} for m in rows]
        text = json.dumps(
            {
                "version": pool.version,
                "locked": locked,
                "rules": pool.rules,
                "question": pool.tiebreak_question,
                "members": rows,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        if locked and _cacheable(pool):
            cache.set(key, text, CACHE_SECONDS)
    return text


def standings(pool: Pool, snap: Snapshot) -> dict:
    """The standings at the snapshot's version, for the server-rendered page."""
    key = f"pools:standings:{pool.pk}:{pool.version}:{snap.version}"
    result = cache.get(key) if _cacheable(pool) else None
    if result is None:
        entries = members(pool) if ballots_locked(pool.ceremony) else []
        result = scoring.standings(pool.rules, entries, snap.data)
        if _cacheable(pool):
            cache.set(key, result, CACHE_SECONDS)
    return result
