"""The per-version cache in front of Django, through the real ASGI application: which requests it
answers, and that a published write makes the next request see the new version."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import HttpCommunicator

from ceremony.realtime import fanout, pagecache, snapshots
from tests.support.builders import make_ceremony, record
from tracker.asgi import application

# The periodic check is off: what moves the cache on must be the write's own publish.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fanout_pushes_only", "pagecache_stops_listening"),
]

CATEGORIES = {
    "Best Picture": ["Anora", "The Brutalist", "Conclave"],
    "Best Director": [("Anora", "Sean Baker"), ("The Brutalist", "Brady Corbet")],
}


@pytest.fixture
async def pagecache_stops_listening():
    """The cache's listeners leave the fan-out after the test, as `fanout_pushes_only` makes its
    readers leave: no subscriber is left running, even after a failed test."""
    yield
    cache = pagecache.current()
    for ceremony_id in list(cache.versions):
        await cache.unwatch(ceremony_id)


@pytest.fixture
def ceremony(layer):
    return make_ceremony(CATEGORIES)


@pytest.fixture
def views_run(monkeypatch) -> list[int]:
    """The ceremonies whose snapshot a view read: one per request that reached Django."""
    runs = []
    current_snapshot_of = snapshots.current_snapshot_of

    def counted(ceremony_id):
        runs.append(ceremony_id)
        return current_snapshot_of(ceremony_id)

    monkeypatch.setattr(snapshots, "current_snapshot_of", counted)
    return runs


async def get(path: str, host: str = "testserver", **headers: str) -> dict:
    communicator = HttpCommunicator(
        application,
        "GET",
        path,
        headers=[(b"host", host.encode())] + [(k.encode(), v.encode()) for k, v in headers.items()],
    )
    response = await communicator.get_response(timeout=5)
    # The application goes on after the response (keeping it, joining the fan-out): let it.
    await communicator.wait(timeout=5)
    response["headers"] = {
        name.decode().lower(): value.decode() for name, value in response["headers"]
    }
    return response


def page(ceremony) -> str:
    return f"/ceremonies/{ceremony.slug}/"


def api(ceremony) -> str:
    return f"/api/ceremonies/{ceremony.slug}/"


def version_in(response: dict) -> int:
    body = response["body"].decode()
    if response["headers"]["content-type"].startswith("application/json"):
        return json.loads(body)["version"]
    return int(body.split('data-version="', 1)[1].split('"', 1)[0])


async def until(predicate, timeout: float = 5) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


@pytest.mark.parametrize("url", [page, api])
async def test_a_url_is_answered_from_the_cache_until_a_write_is_published(
    ceremony, views_run, url
):
    # The first response comes before this process watches the ceremony: it is not kept.
    first = await get(url(ceremony))
    second = await get(url(ceremony))
    assert len(views_run) == 2

    third = await get(url(ceremony))
    assert len(views_run) == 2
    assert third["body"] == second["body"] == first["body"]

    await sync_to_async(record)(ceremony, "Best Picture", "Anora")
    versions = pagecache.current().versions
    await until(lambda: versions[ceremony.pk] > version_in(second))
    after = await get(url(ceremony))

    assert len(views_run) == 3
    assert version_in(after) == version_in(second) + 1
    assert b"Anora" in after["body"]


async def test_a_cached_answer_has_the_same_headers_as_django_s_and_no_marker(ceremony, settings):
    await get(page(ceremony))
    from_django = await get(page(ceremony))
    from_cache = await get(page(ceremony))

    assert from_cache["headers"] == from_django["headers"]
    assert from_cache["status"] == 200
    assert "content-security-policy" in from_cache["headers"]
    assert from_cache["headers"]["x-frame-options"] == "DENY"
    assert pagecache.HEADER.lower() not in from_django["headers"]


async def test_the_api_answers_a_matching_etag_with_304_from_the_cache(ceremony, views_run):
    await get(api(ceremony))
    kept = await get(api(ceremony))
    etag = kept["headers"]["etag"]

    unchanged = await get(api(ceremony), **{"if-none-match": etag})
    changed = await get(api(ceremony), **{"if-none-match": '"v0"'})

    assert len(views_run) == 2
    assert unchanged["status"] == 304
    assert unchanged["body"] == b""
    assert unchanged["headers"]["etag"] == etag
    assert changed["status"] == 200
    assert changed["body"] == kept["body"]


async def test_a_burst_of_requests_after_a_write_sends_one_of_them_to_django(ceremony, views_run):
    await get(page(ceremony))
    await get(page(ceremony))
    await sync_to_async(record)(ceremony, "Best Picture", "Anora")
    versions = pagecache.current().versions
    await until(lambda: versions[ceremony.pk] > ceremony.version)
    before = len(views_run)

    responses = await asyncio.gather(*(get(page(ceremony)) for _ in range(20)))

    assert len(views_run) == before + 1
    assert {version_in(r) for r in responses} == {versions[ceremony.pk]}


async def test_answers_are_kept_per_host_and_a_host_django_refuses_stays_refused(
    ceremony, views_run
):
    for _ in range(3):
        await get(page(ceremony), host="testserver")
    assert len(views_run) == 2

    other_host = await get(page(ceremony), host="localhost")
    refused = await get(page(ceremony), host="evil.example")
    forwarded = await get(page(ceremony), **{"x-forwarded-proto": "https"})

    assert other_host["status"] == 200
    assert refused["status"] == 400
    assert forwarded["status"] == 200
    assert len(views_run) == 4


async def test_the_home_page_is_never_kept(ceremony, views_run):
    # It shows whichever ceremony is featured, which no one version of a ceremony captures.
    for _ in range(3):
        assert (await get("/"))["status"] == 200

    assert len(views_run) == 3
    assert pagecache.current().entries == {}


async def test_dropping_a_ceremony_s_last_page_ends_its_subscription(ceremony, monkeypatch):
    monkeypatch.setattr(pagecache, "MAX_ENTRIES", 1)
    other = await sync_to_async(make_ceremony)(CATEGORIES, ceremony="2nd Test Awards", edition=2)
    await get(page(ceremony))
    assert ceremony.pk in fanout.current().listeners

    await get(page(other))

    assert list(pagecache.current().versions) == [other.pk]
    assert ceremony.pk not in fanout.current().listeners


async def test_a_marked_response_that_sets_a_cookie_is_never_kept(layer):
    calls = []

    async def app(scope, receive, send):
        calls.append(scope["path"])
        headers = [(b"Set-Cookie", b"session=1"), (pagecache.HEADER.encode(), b"1 1")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"mine"})

    middleware = pagecache.PageCacheMiddleware(app)
    for _ in range(3):
        communicator = HttpCommunicator(middleware, "GET", "/x/")
        response = await communicator.get_response()
        await communicator.wait()
        assert dict(response["headers"]) == {b"Set-Cookie": b"session=1"}

    assert len(calls) == 3
    assert all(entry.version == pagecache.STALE for entry in pagecache.current().entries.values())


@pytest.mark.parametrize("url", [page, api])
async def test_a_kept_answer_is_sent_gzipped_to_a_client_that_accepts_it_built_once(
    ceremony, views_run, url, monkeypatch
):
    await get(url(ceremony))
    from_django = await get(url(ceremony))
    compressions = []
    compress = pagecache.gzip.compress
    monkeypatch.setattr(
        pagecache.gzip, "compress", lambda *a, **k: compressions.append(1) or compress(*a, **k)
    )

    zipped = [await get(url(ceremony), **{"accept-encoding": "gzip, deflate, br"}) for _ in "ab"]
    plain = await get(url(ceremony), **{"accept-encoding": "gzip;q=0, identity"})

    assert len(views_run) == 2
    assert len(compressions) == 1
    for response in zipped:
        assert response["headers"]["content-encoding"] == "gzip"
        assert pagecache.gzip.decompress(response["body"]) == from_django["body"]
        assert int(response["headers"]["content-length"]) == len(response["body"])
        assert len(response["body"]) < len(from_django["body"]) / 2
    assert "content-encoding" not in plain["headers"]
    assert plain["body"] == from_django["body"]
    for response in (from_django, *zipped, plain):
        assert response["headers"]["vary"] == "Accept-Encoding"


async def test_query_parameters_the_views_do_not_read_do_not_miss_the_cache(ceremony, views_run):
    await get(page(ceremony))
    kept = await get(page(ceremony))

    random = [await get(f"{page(ceremony)}?x={n}") for n in range(5)]

    assert len(views_run) == 2
    assert {r["body"] for r in random} == {kept["body"]}
