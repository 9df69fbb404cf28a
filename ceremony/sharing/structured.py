"""Structured data (schema.org, JSON-LD): an `Event` for every ceremony page and, while the
show is live, a `LiveBlogPosting` with each result an update (pure; the URLs are given). Every
type and property used is checked against the schema.org vocabulary in
tests/test_sharing_structured.py."""

import json
from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from ceremony.sharing.results import Result, shareable_results

CONTEXT = "https://schema.org"
# What would close the script element or open a comment, escaped as in Django's json_script.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def event(snapshot: dict[str, Any], url: str) -> dict[str, Any]:
    c = snapshot["ceremony"]
    node = {
        "@type": "Event",
        "name": c["name"],
        "startDate": c["starts_at"] or c["date"],
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "organizer": {"@type": "Organization", "name": c["body"]},
        "url": url,
    }
    if c["venue"]:
        node["location"] = {"@type": "Place", "name": c["venue"]}
    return node


def live_blog(
    snapshot: dict[str, Any], url: str, result_url: Callable[[str], str]
) -> dict[str, Any]:
    c = snapshot["ceremony"]
    results = shareable_results(snapshot)
    started = [r.announced_at.isoformat() for r in results if r.announced_at]
    node = {
        "@type": "LiveBlogPosting",
        "headline": f"{c['name']}: the results as they are announced",
        "url": url,
        "about": event(snapshot, url),
        "coverageStartTime": c["starts_at"] or min(started, default=c["date"]),
        "liveBlogUpdate": [update(r, result_url(r.slug)) for r in results],
    }
    return node


def update(result: Result, url: str) -> dict[str, Any]:
    """A result as a live blog's update; its times when it has them (an imported result has
    none)."""
    node = {"@type": "BlogPosting", "headline": result.title, "articleBody": result.summary}
    node["url"] = url
    if result.updated_at:
        node["datePublished"] = (result.announced_at or result.updated_at).isoformat()
        node["dateModified"] = result.updated_at.isoformat()
    return node


def ceremony_nodes(
    snapshot: dict[str, Any], url: str, result_url: Callable[[str], str]
) -> dict[str, Any]:
    """The page's JSON-LD: the live blog of a live show (about its Event), else the Event."""
    if snapshot["ceremony"]["status"] == "live":
        node = live_blog(snapshot, url, result_url)
    else:
        node = event(snapshot, url)
    return {"@context": CONTEXT, **node}


def script_text(data: dict[str, Any]) -> SafeString:
    """JSON for a `<script type="application/ld+json">`, safe inside it."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))
