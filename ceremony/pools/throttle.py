"""Limits per address on what costs the server or could be abused: creating a pool, joining one,
saving a ballot, and looking a code up (so codes cannot be walked). The `limits` library, on
Redis when REDIS_URL is set (one count for every process), in memory otherwise; the rates come
from the environment (POOL_RATE_*, tracker/settings.py). Why `limits`: docs/pools.md."""

import logging
from functools import cache

from django.conf import settings
from limits import parse, storage, strategies

log = logging.getLogger(__name__)

MESSAGES = {
    "create": "Too many pools created from your address; try again later.",
    "join": "Too many joins from your address; try again later.",
    "save": "Too many ballot saves from your address; wait a minute and save again.",
    "lookup": "Too many pool codes tried from your address; wait a minute and try again.",
}


@cache
def _limiter() -> strategies.RateLimiter:
    return strategies.FixedWindowRateLimiter(
        storage.storage_from_string(
            settings.POOL_RATE_STORAGE, **settings.POOL_RATE_STORAGE_OPTIONS
        )
    )


def address(request) -> str:
    # Daphne runs with --proxy-headers behind nginx, which sets X-Forwarded-For alone
    # (deploy/nginx/tracker.conf): REMOTE_ADDR is the reader's address.
    return request.META.get("REMOTE_ADDR") or "unknown"


def refused(action: str, request) -> str:
    """One line saying why, if this address is past its limit for `action`; else "" (and the
    attempt is counted). If the limits' store cannot be reached the request is let through and
    logged: a Redis outage must not stop the show's pools."""
    item = parse(settings.POOL_RATES[action])
    try:
        allowed = _limiter().hit(item, settings.REDIS_PREFIX, "pools", action, address(request))
    except Exception:  # the storage's errors are the driver's (redis-py): any of them
        log.exception("pool limits unavailable; %s let through", action)
        return ""
    return "" if allowed else MESSAGES[action]


def blocked(action: str, request) -> str:
    """Like `refused`, without counting: for lookups, where only a miss counts (so a walker
    of codes is stopped, and a pool's own members reloading are not)."""
    item = parse(settings.POOL_RATES[action])
    try:
        allowed = _limiter().test(item, settings.REDIS_PREFIX, "pools", action, address(request))
    except Exception:
        log.exception("pool limits unavailable; %s let through", action)
        return ""
    return "" if allowed else MESSAGES[action]


def reset() -> None:
    """Forget every count (tests)."""
    _limiter().storage.reset()
