"""Snapshots cached per version, and one message per committed write on the channel layer."""

import asyncio
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connections, transaction

from ceremony.realtime import publish, snapshots
from tests.support.builders import make_ceremony, record

pytestmark = pytest.mark.django_db(transaction=True)

CATEGORIES = {
    "Best Picture": ["Anora", "The Brutalist"],
    "Best Director": [("Anora", "Sean Baker"), ("The Brutalist", "Brady Corbet")],
}


@pytest.fixture(autouse=True)
def _memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.fixture(autouse=True)
async def _close_thread_connections():
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def show(db):
    return make_ceremony(CATEGORIES)


async def listening(ceremony) -> tuple:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(publish.group_name(ceremony.pk), channel)
    return layer, channel


async def test_a_committed_write_publishes_once_its_version_and_the_api_text(show):
    layer, channel = await listening(show)

    await sync_to_async(record)(show, "Best Picture", "Anora")

    message = await asyncio.wait_for(layer.receive(channel), 2)
    current = await sync_to_async(snapshots.current_snapshot)(show)
    assert message == {
        "type": "ceremony.snapshot",
        "ceremony": show.pk,
        "version": show.version + 1,
        "snapshot": current.text,
    }
    assert current.version == show.version + 1
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(channel), 0.3)


async def test_a_rolled_back_write_publishes_and_caches_nothing(show):
    layer, channel = await listening(show)

    def write_then_fail():
        with transaction.atomic():
            record(show, "Best Picture", "Anora")
            raise RuntimeError("failed after the write")

    with pytest.raises(RuntimeError):
        await sync_to_async(write_then_fail)()

    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(channel), 0.3)
    assert snapshots.cache.get(show.pk, show.version + 1) is None


async def test_a_bulk_import_publishes_nothing_and_readers_build_snapshots_with_records(show):
    layer, channel = await listening(show)

    def import_result():
        with publish.unpublished():
            # Two wins for Anora: a record needs a figure of 2 at least (records.MIN_FIGURE).
            record(show, "Best Picture", "Anora")
            record(show, "Best Director", "Sean Baker")

    await sync_to_async(import_result)()

    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(channel), 0.3)
    assert snapshots.cache.get(show.pk, show.version + 2) is None
    current = await sync_to_async(snapshots.current_snapshot)(show)
    assert current.version == show.version + 2
    assert [r["kind"] for r in current.data["records"] if r["status"] == "first"]


def test_a_snapshot_is_built_once_per_version_however_many_ask(show):
    snapshots.cache.clear()

    first = snapshots.current_snapshot(show)
    again = [snapshots.current_snapshot(show) for _ in range(5)]

    assert snapshots.cache.builds == 1
    assert all(snap is first for snap in again)
    # The write's own snapshot, built in its transaction, is what readers are served next.
    record(show, "Best Picture", "Anora")
    after = snapshots.current_snapshot(show)
    assert after.version == first.version + 1
    assert snapshots.cache.builds == 1


@pytest.mark.postgres
def test_threads_missing_the_cache_at_once_build_the_snapshot_once(show):
    # A restarted process: its readers' reconnects and page loads run in several threads.
    snapshots.cache.clear()
    start = threading.Barrier(4)

    def ask():
        try:
            start.wait(timeout=10)
            return snapshots.current_snapshot_of(show.pk)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        snaps = list(pool.map(lambda _: ask(), range(4)))

    assert snapshots.cache.builds == 1
    assert all(snap is snaps[0] for snap in snaps)


def test_the_socket_frame_is_the_api_body_wrapped_once(show):
    snap = snapshots.current_snapshot(show)

    assert json.loads(snap.message) == {"type": "snapshot", "snapshot": json.loads(snap.text)}
    assert snap.message is snap.message
    assert snapshots.Snapshot.from_text(snap.text) == snap


class SilentLayer:
    """A channel layer that takes 10 s to answer, as one whose Redis primary is gone before
    Sentinel has promoted another."""

    async def group_send(self, group, message):
        await asyncio.sleep(10)


def test_a_layer_that_does_not_answer_holds_the_write_up_a_second_at_most(
    show, monkeypatch, caplog
):
    monkeypatch.setattr(publish, "get_channel_layer", SilentLayer)
    started = time.monotonic()

    record(show, "Best Picture", "Anora")

    took = time.monotonic() - started
    show.refresh_from_db()
    assert show.categories.get(name="Best Picture").nominations.get(won=True).film_title == "Anora"
    assert 1.0 <= took < 3.0
    assert "publish gave up after 1.0 s" in caplog.text
    assert "Traceback" not in caplog.text
