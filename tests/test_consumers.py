"""The reader's websocket, through the real ASGI application (origin check, routing, consumer)
on the in-memory layer and, where REDIS_URL is set (always in CI), the Redis pub/sub layer."""

import asyncio
import collections
import json
import time
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction

from ceremony import services
from ceremony.models import AuditEntry, Ceremony, Nomination
from ceremony.realtime import consumers, fanout, publish, snapshots
from tests.support.builders import make_ceremony, nomination, record
from tests.support.deltas import followed, frame_version
from tests.support.layers import elsewhere, redis_layer
from tests.support.servers import free_port
from tracker.asgi import application

# The periodic check is off: these tests are about the pub/sub path.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fanout_pushes_only"),
]

CATEGORIES = {
    "Best Picture": ["Anora", "The Brutalist", "Conclave"],
    "Best Director": [("Anora", "Sean Baker"), ("The Brutalist", "Brady Corbet")],
    "Best Actress": [("Anora", "Mikey Madison"), ("The Substance", "Demi Moore")],
}


@pytest.fixture(autouse=True)
def no_heartbeats(monkeypatch):
    # Frames here are snapshots only: the heartbeat has its own test below.
    monkeypatch.setattr(fanout, "HEARTBEAT_SECONDS", 3600)


@pytest.fixture
def ceremony(layer) -> Ceremony:
    return make_ceremony(CATEGORIES)


def reader(slug: str, origin: str = "http://testserver") -> WebsocketCommunicator:
    headers = [(b"host", b"testserver")]
    if origin:
        headers.append((b"origin", origin.encode()))
    return WebsocketCommunicator(application, f"/ws/ceremonies/{slug}/", headers=headers)


async def connected(slug: str) -> tuple[WebsocketCommunicator, dict]:
    """A reader, connected, and the snapshot it was sent first."""
    communicator = reader(slug)
    ok, _ = await communicator.connect()
    assert ok
    first = json.loads(await communicator.receive_from())
    return communicator, first


async def received_versions(communicator, count: int) -> list[int]:
    frames = [json.loads(await communicator.receive_from(timeout=5)) for _ in range(count)]
    assert {f["type"] for f in frames} <= {"snapshot", "delta"}
    return [frame_version(f) for f in frames]


def version_of(ceremony: Ceremony) -> int:
    return Ceremony.objects.values_list("version", flat=True).get(pk=ceremony.pk)


async def test_a_reader_is_sent_the_current_snapshot_on_connect(ceremony):
    await sync_to_async(record)(ceremony, "Best Picture", "Anora")

    communicator, first = await connected(ceremony.slug)

    current = await sync_to_async(snapshots.current_snapshot)(ceremony)
    assert first == {"type": "snapshot", "snapshot": json.loads(current.text)}
    assert first["snapshot"]["version"] == await sync_to_async(version_of)(ceremony)
    assert first["snapshot"]["progress"] == {"announced": 1, "total": 3}
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_a_connected_reader_is_sent_a_heartbeat_with_the_current_version(
    ceremony, monkeypatch
):
    monkeypatch.setattr(fanout, "HEARTBEAT_SECONDS", 0.1)
    communicator, first = await connected(ceremony.slug)

    beat = json.loads(await communicator.receive_from(timeout=5))

    assert beat == {"type": "heartbeat", "version": first["snapshot"]["version"]}
    await communicator.disconnect()
    assert fanout.current()._heartbeats is None


async def test_each_committed_write_reaches_every_reader_once_one_version_higher(ceremony):
    first_reader, first = await connected(ceremony.slug)
    second_reader, _ = await connected(ceremony.slug)
    start = first["snapshot"]["version"]

    await sync_to_async(record)(ceremony, "Best Picture", "Anora")
    await sync_to_async(record)(ceremony, "Best Director", "Sean Baker")
    director = await sync_to_async(nomination)(ceremony, "Best Director", "Brady Corbet")
    await sync_to_async(services.result_correct)(
        category_id=director.category_id,
        nomination_ids=[director.pk],
        editor=None,
        reason="Misread the card",
    )

    for communicator in (first_reader, second_reader):
        assert await received_versions(communicator, 3) == [start + 1, start + 2, start + 3]
        assert await communicator.receive_nothing(timeout=0.3)
    await first_reader.disconnect()
    await second_reader.disconnect()


async def test_the_message_carries_the_state_after_the_write(ceremony):
    communicator, first = await connected(ceremony.slug)

    await sync_to_async(record)(ceremony, "Best Actress", "Mikey Madison")

    frame = json.loads(await communicator.receive_from(timeout=5))
    # A reader showing the version before gets only what changed, applied to what it shows.
    assert (frame["type"], frame["base"]) == ("delta", first["snapshot"]["version"])
    snap = followed(first["snapshot"], frame)
    current = await sync_to_async(snapshots.current_snapshot)(ceremony)
    assert snap == current.data
    actress = next(c for c in snap["categories"] if c["name"] == "Best Actress")
    assert [w["label"] for w in actress["winners"]] == ["Mikey Madison (Anora)"]
    assert actress["revision"] == 1
    assert actress["announced_at"] is not None
    await communicator.disconnect()


async def test_a_rolled_back_write_sends_nothing(ceremony):
    communicator, first = await connected(ceremony.slug)

    def write_then_fail():
        with transaction.atomic():
            record(ceremony, "Best Picture", "Anora")
            raise RuntimeError("the editor's request failed after the write")

    with pytest.raises(RuntimeError):
        await sync_to_async(write_then_fail)()
    anora = await sync_to_async(nomination)(ceremony, "Best Picture", "Anora")
    conclave = await sync_to_async(nomination)(ceremony, "Best Picture", "Conclave")
    with pytest.raises(services.ServiceError):
        # Refused by the service itself: two winners without a tie.
        await sync_to_async(services.result_record)(
            category_id=anora.category_id, nomination_ids=[anora.pk, conclave.pk], editor=None
        )

    assert await communicator.receive_nothing(timeout=0.5)
    assert await sync_to_async(version_of)(ceremony) == first["snapshot"]["version"]
    await communicator.disconnect()


async def test_a_foreign_origin_is_refused(ceremony):
    communicator = reader(ceremony.slug, origin="https://elsewhere.example")

    ok, _ = await communicator.connect()

    assert not ok
    assert fanout.current().readers == {}


async def test_an_unknown_ceremony_is_refused(layer):
    communicator = reader("no-such-ceremony")

    ok, code = await communicator.connect()

    assert not ok
    assert code == 4404


@pytest.mark.parametrize("path", ["/ws/nowhere/", "/ws/ceremonies/", "/ws/ceremonies/a/b/"])
async def test_an_unknown_socket_path_is_refused_as_not_found_without_a_traceback(
    layer, path, caplog
):
    communicator = WebsocketCommunicator(
        application, path, headers=[(b"host", b"testserver"), (b"origin", b"http://testserver")]
    )

    ok, code = await communicator.connect()

    assert not ok
    assert code == 4404
    assert not [r for r in caplog.records if r.exc_info]


async def test_frames_from_a_reader_never_write_and_close_its_socket(ceremony):
    communicator, first = await connected(ceremony.slug)
    picture = await sync_to_async(nomination)(ceremony, "Best Picture", "Anora")
    audit_before = await AuditEntry.objects.acount()

    await communicator.send_json_to(
        {
            "type": "result.record",
            "category_id": picture.category_id,
            "nomination_ids": [picture.pk],
        }
    )

    closed = await communicator.receive_output(timeout=1)
    assert closed == {"type": "websocket.close", "code": 4400}
    assert await sync_to_async(version_of)(ceremony) == first["snapshot"]["version"]
    assert await AuditEntry.objects.acount() == audit_before
    assert not await Nomination.objects.filter(category_id=picture.category_id, won=True).aexists()
    await communicator.disconnect()
    assert fanout.current().readers == {}


async def test_the_subscription_ends_with_the_last_reader_of_a_ceremony(ceremony, layer):
    first_reader, _ = await connected(ceremony.slug)
    second_reader, _ = await connected(ceremony.slug)
    hub = fanout.current()
    assert len(hub.readers[ceremony.pk]) == 2

    await first_reader.disconnect()
    assert len(hub.readers[ceremony.pk]) == 1
    await second_reader.disconnect()

    assert hub.readers == {}
    assert hub.channel is None
    if layer == "redis":
        import redis.asyncio as aioredis

        client = aioredis.from_url(settings.REDIS_URL)
        group_channel = hub.layer._get_layer()._get_group_channel_name(
            publish.group_name(ceremony.pk)
        )
        assert await client.pubsub_numsub(group_channel) == [(group_channel.encode(), 0)]
        await client.aclose()


async def test_a_reader_gone_before_its_first_snapshot_is_not_left_registered(
    ceremony, monkeypatch
):
    async def gone(self, text_data=None, bytes_data=None, close=False):
        # What Daphne raises when the client has already closed the connection.
        raise ConnectionResetError("Attempt to send on a closed protocol")

    monkeypatch.setattr(AsyncWebsocketConsumer, "send", gone)
    communicator = reader(ceremony.slug)
    await communicator.connect()
    with pytest.raises(ConnectionResetError):
        await communicator.wait(timeout=5)

    assert fanout.current().readers == {}


async def test_a_snapshot_published_by_another_process_is_kept_not_rebuilt(
    ceremony, layer, settings
):
    communicator, first = await connected(ceremony.slug)
    hub = fanout.current()
    # Another process makes the write: here, it is published where this subscriber is not.
    settings.CHANNEL_LAYERS = elsewhere(layer)
    await sync_to_async(record)(ceremony, "Best Picture", "Anora")
    snap = await sync_to_async(snapshots.current_snapshot)(ceremony)
    snapshots.cache.clear()

    await hub.layer.group_send(
        publish.group_name(ceremony.pk), publish.layer_message(ceremony.pk, snap)
    )
    delivered = await communicator.receive_from(timeout=5)

    assert delivered == snap.message
    assert json.loads(delivered)["snapshot"]["version"] == first["snapshot"]["version"] + 1
    assert snapshots.cache.get(ceremony.pk, snap.version) == snap
    assert snapshots.cache.builds == 0
    await communicator.disconnect()


async def test_a_write_that_never_reached_this_process_is_caught_up_within_seconds(
    ceremony, layer, settings, monkeypatch
):
    """Like `replay_ceremony` in another terminal on the in-memory layer, or a lost publish."""
    monkeypatch.setattr(fanout, "RESYNC_SECONDS", 0.2)
    communicator, first = await connected(ceremony.slug)
    settings.CHANNEL_LAYERS = elsewhere(layer)

    await sync_to_async(record)(ceremony, "Best Picture", "Anora")

    assert await received_versions(communicator, 1) == [first["snapshot"]["version"] + 1]
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_the_periodic_check_sends_nothing_to_readers_who_are_current(ceremony, monkeypatch):
    monkeypatch.setattr(fanout, "RESYNC_SECONDS", 0.1)
    first_reader, first = await connected(ceremony.slug)
    await sync_to_async(record)(ceremony, "Best Picture", "Anora")
    assert await received_versions(first_reader, 1) == [first["snapshot"]["version"] + 1]

    second_reader, second = await connected(ceremony.slug)

    assert second["snapshot"]["version"] == first["snapshot"]["version"] + 1
    assert await first_reader.receive_nothing(timeout=0.6)
    assert await second_reader.receive_nothing(timeout=0.1)
    await first_reader.disconnect()
    await second_reader.disconnect()


@pytest.mark.redis
async def test_readers_get_what_redis_lost_once_the_subscriber_reconnects(settings):
    """Pub/sub drops a message published while the subscriber is away; the reconnect resync
    must deliver it all the same."""
    client_name = f"h4-fanout-{uuid.uuid4().hex[:8]}"
    settings.CHANNEL_LAYERS = redis_layer(client_name=client_name)
    ceremony = await sync_to_async(make_ceremony)(CATEGORIES)
    communicator, first = await connected(ceremony.slug)
    start = first["snapshot"]["version"]

    # The write's message is lost: published where this process's subscriber does not listen.
    settings.CHANNEL_LAYERS = elsewhere("redis")
    await sync_to_async(record)(ceremony, "Best Picture", "Anora")
    assert await communicator.receive_nothing(timeout=0.3)
    # Then the subscriber's Redis connection drops, and comes back by itself.
    import redis.asyncio as aioredis

    client = aioredis.from_url(settings.REDIS_URL)
    subscribers = [c for c in await client.client_list(_type="pubsub") if c["name"] == client_name]
    assert len(subscribers) == 1
    await client.client_kill_filter(_id=subscribers[0]["id"])
    await client.aclose()

    frame = json.loads(await communicator.receive_from(timeout=5))

    assert frame["snapshot"]["version"] == start + 1
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


def unreachable_layer(kind: str) -> dict:
    """The Redis pub/sub layer, pointing at a port nothing listens on: Redis, or its sentinels."""
    port = free_port()
    if kind == "redis":
        host = {"address": f"redis://127.0.0.1:{port}/0"}
    else:
        host = {
            "master_name": "tracker",
            "sentinels": [("127.0.0.1", port), ("127.0.0.1", free_port())],
            "sentinel_kwargs": {"socket_connect_timeout": 2, "socket_timeout": 2},
            "socket_connect_timeout": 2,
        }
    backend = "channels_redis.pubsub.RedisPubSubChannelLayer"
    return {"default": {"BACKEND": backend, "CONFIG": {"hosts": [host]}}}


@pytest.mark.parametrize("kind", ["redis", "sentinels"])
async def test_while_redis_cannot_be_reached_readers_get_the_snapshot_and_catch_up(
    settings, monkeypatch, caplog, kind
):
    # The periodic check on (this module turns it off), and quick.
    monkeypatch.setattr(fanout, "RESYNC_SECONDS", 0.2)
    settings.CHANNEL_LAYERS = unreachable_layer(kind)
    ceremony = await sync_to_async(make_ceremony)(CATEGORIES)

    async def join():
        communicator = reader(ceremony.slug)
        assert (await communicator.connect(timeout=10))[0]
        return communicator, json.loads(await communicator.receive_from(timeout=10))

    # Several readers at once, none refused: the subscription is retried outside the lock.
    joined = await asyncio.gather(*(join() for _ in range(3)))

    version = await sync_to_async(version_of)(ceremony)
    assert [first["snapshot"]["version"] for _, first in joined] == [version] * 3
    await sync_to_async(record)(ceremony, "Best Picture", "Anora")
    for communicator, _ in joined:
        assert await received_versions(communicator, 1) == [version + 1]
    for communicator, _ in joined:
        await communicator.disconnect()
    assert fanout.current().channel is None
    # One line, no traceback (under Sentinel the first attempt may outlast the test).
    unreachable = [r for r in caplog.records if "channel layer unreachable" in r.getMessage()]
    assert len(unreachable) == (1 if kind == "redis" else len(unreachable[:1]))
    assert all(r.exc_info is None for r in unreachable)


async def test_one_reader_failing_does_not_stop_the_others(ceremony):
    first_reader, first = await connected(ceremony.slug)
    second_reader, _ = await connected(ceremony.slug)
    hub = fanout.current()

    class Broken:
        known_version = 0

        async def base_send(self, message):
            raise ConnectionResetError("the reader's connection is gone")

    broken = {Broken(), Broken()}
    hub.readers[ceremony.pk] |= broken
    await sync_to_async(record)(ceremony, "Best Picture", "Anora")

    for communicator in (first_reader, second_reader):
        assert await received_versions(communicator, 1) == [first["snapshot"]["version"] + 1]
    hub.readers[ceremony.pk] -= broken
    await first_reader.disconnect()
    await second_reader.disconnect()


def no_database(*args, **kwargs):
    raise AssertionError("the connect went to the database")


async def test_readers_connecting_once_the_process_knows_the_current_snapshot_need_no_query(
    ceremony, monkeypatch
):
    first_reader, first = await connected(ceremony.slug)
    await sync_to_async(record)(ceremony, "Best Picture", "Anora")
    assert await received_versions(first_reader, 1) == [first["snapshot"]["version"] + 1]
    monkeypatch.setattr(snapshots, "current_snapshot_of", no_database)
    monkeypatch.setattr(Ceremony.objects, "filter", no_database)

    later = [await connected(ceremony.slug) for _ in range(3)]

    assert {hello["snapshot"]["version"] for _, hello in later} == {
        first["snapshot"]["version"] + 1
    }
    for communicator, _ in [*later, (first_reader, None)]:
        await communicator.disconnect()


async def test_a_reader_of_a_renamed_ceremony_s_old_slug_is_refused_and_the_new_one_served(
    ceremony,
):
    first_reader, _ = await connected(ceremony.slug)
    old = ceremony.slug
    # A rename, then a write: the process learns the new snapshot (new slug) from the push.
    await Ceremony.objects.filter(pk=ceremony.pk).aupdate(slug="1st-renamed-awards")
    await sync_to_async(record)(ceremony, "Best Picture", "Anora")
    pushed = json.loads(await first_reader.receive_from(timeout=5))
    assert pushed["type"] in {"delta", "snapshot"}

    stale = reader(old)
    ok, _ = await stale.connect()
    assert ok
    assert (await stale.receive_output(timeout=5))["code"] == 4404

    renamed, hello = await connected("1st-renamed-awards")
    assert hello["snapshot"]["ceremony"]["slug"] == "1st-renamed-awards"
    for communicator in (first_reader, renamed):
        await communicator.disconnect()


async def test_readers_connecting_at_once_to_a_process_that_knows_nothing_share_each_query(
    ceremony, monkeypatch
):
    asked = collections.Counter()

    def counted(query):
        def slowly(argument):
            asked[query.__name__] += 1
            time.sleep(0.3)  # every connect asks while the first query runs
            return query(argument)

        return slowly

    monkeypatch.setattr(consumers, "_ceremony_id", counted(consumers._ceremony_id))
    monkeypatch.setattr(consumers, "_current_snapshot", counted(consumers._current_snapshot))

    readers = await asyncio.gather(*(connected(ceremony.slug) for _ in range(5)))

    assert asked == {"_ceremony_id": 1, "_current_snapshot": 1}
    current = await sync_to_async(version_of)(ceremony)
    assert {hello["snapshot"]["version"] for _, hello in readers} == {current}
    for communicator, _ in readers:
        await communicator.disconnect()
