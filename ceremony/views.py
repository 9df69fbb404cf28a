"""Public pages and the JSON API: every one serves the snapshot of `ceremony.live`."""

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from redis.sentinel import Sentinel

from ceremony import scoreboard
from ceremony.models import Ceremony
from ceremony.realtime import pagecache, snapshots


def _snapshot_response(snap: snapshots.Snapshot) -> HttpResponse:
    response = HttpResponse(snap.text, content_type="application/json")
    # Readers must always revalidate: the version in the ETag makes that a cheap 304.
    response["Cache-Control"] = "no-cache"
    response["ETag"] = f'"v{snap.version}"'
    return response


@require_safe
def home(request):
    ceremony, why = Ceremony.objects.featured()
    if ceremony is None:
        return render(request, "ceremony/empty.html", status=200)
    # Not kept by the page cache: which ceremony is featured changes with no version of its own.
    return _render_ceremony(request, ceremony, featured=why)[1]


@require_safe
def ceremony_detail(request, slug):
    ceremony = get_object_or_404(Ceremony.objects.select_related("body"), slug=slug)
    snap, response = _render_ceremony(request, ceremony)
    return pagecache.mark(response, ceremony.pk, snap.version)


def _render_ceremony(
    request, ceremony, featured: str = ""
) -> tuple[snapshots.Snapshot, HttpResponse]:
    snap = snapshots.current_snapshot(ceremony)
    return snap, render(
        request,
        "ceremony/detail.html",
        {
            "ceremony": ceremony,
            "snapshot": snap.data,
            "snapshot_json": snap.script_json,
            # Said on the page by base.html: which ceremony the home page shows, and why.
            "featured": featured,
        },
    )


@require_safe
def api_ceremony_list(request):
    ceremonies = Ceremony.objects.real().select_related("body").latest_first()
    return JsonResponse(
        {"ceremonies": [scoreboard.ceremony_summary(c) for c in ceremonies]},
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def api_ceremony_detail(request, slug):
    try:
        ceremony = Ceremony.objects.get(slug=slug)
    except Ceremony.DoesNotExist:
        raise Http404(f"No ceremony {slug!r}.") from None
    snap = snapshots.current_snapshot(ceremony)
    if request.headers.get("If-None-Match") == f'"v{snap.version}"':
        response = HttpResponse(status=304)
        response["ETag"] = f'"v{snap.version}"'
        return response
    return pagecache.mark(_snapshot_response(snap), ceremony.pk, snap.version)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unreachable"
    return "ok"


def _redis_state() -> str:
    if settings.REDIS_SENTINELS:
        # The primary the sentinels name now: what the channel layer would publish to.
        client = Sentinel(
            settings.REDIS_SENTINELS, sentinel_kwargs=settings.REDIS_SENTINEL_TIMEOUTS
        ).master_for(
            settings.REDIS_SENTINEL_MASTER,
            password=settings.REDIS_PASSWORD,
            **settings.REDIS_SENTINEL_TIMEOUTS,
        )
    elif settings.REDIS_URL:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
    else:
        return "not configured"
    try:
        client.ping()
    except (redis.RedisError, OSError):
        return "unreachable"
    finally:
        client.close()
    return "ok"


@require_safe
def healthz(request):
    """For load balancers: 200 while this process reaches the database and Redis, else 503.

    Names states only, never addresses or credentials: it answers anyone who asks.
    """
    database, redis_state = _database_state(), _redis_state()
    healthy = database == "ok" and redis_state in {"ok", "not configured"}
    response = JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "version": settings.APP_VERSION,
            "database": database,
            "redis": redis_state,
        },
        status=200 if healthy else 503,
    )
    response["Cache-Control"] = "no-store"
    return response
