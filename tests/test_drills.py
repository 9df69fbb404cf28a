"""Fault drills 4-6 of docs/reliability.md, against Daphne as its own process on PostgreSQL and
the Redis layer (the `daphne` fixture of tests/conftest.py), so CI runs them.

Drill 7 (`manage.py check --deploy` under production settings, 0 warnings) is
tests/test_settings.py::test_check_deploy_is_clean_under_production_settings; drills 1-3 restart
Redis or kill processes, and are scripts in tests/drills/, run by hand.
"""

import asyncio
import contextlib
import json
import threading
import time

import pytest
import websockets
from asgiref.sync import sync_to_async
from django.db import DatabaseError, connection, connections
from websockets.asyncio.client import connect

from ceremony import services
from ceremony.models import AuditEntry, Category, Ceremony, Nomination
from ceremony.realtime import fanout
from tests.support.builders import make_ceremony, record
from tests.support.deltas import frame_version
from tests.support.servers import socket_url

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_async_orm_connections"),
]

CATEGORIES = {
    "Best Picture": ["Anora", "The Brutalist", "Conclave"],
    "Best Director": [("Anora", "Sean Baker"), ("The Brutalist", "Brady Corbet")],
}
ONE_MIB = 2**20


@pytest.fixture
def show() -> Ceremony:
    return make_ceremony(CATEGORIES)


def version_of(ceremony_id: int) -> int:
    return Ceremony.objects.values_list("version", flat=True).get(pk=ceremony_id)


async def next_snapshot_version(socket) -> int:
    """The version of the next snapshot or delta frame, past any heartbeat."""
    while True:
        if (version := frame_version(json.loads(await socket.recv()))) is not None:
            return version


async def versions_until(socket, version: int, timeout: float = 30) -> list[int]:
    """Versions of the snapshot and delta frames received until `version` arrives."""
    seen = []
    async with asyncio.timeout(timeout):
        while not seen or seen[-1] < version:
            seen.append(await next_snapshot_version(socket))
    return seen


async def close_code_after(url: str, origin: str, *frames) -> int | None:
    """Connect, read the snapshot, send `frames`; the close code the server answered with
    (None: the connection was dropped without a close frame)."""
    async with connect(url, origin=origin, max_size=None) as socket:
        await socket.recv()
        with contextlib.suppress(websockets.ConnectionClosed):
            for frame in frames:
                await socket.send(frame)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await read_until_closed(socket)
        return closed.value.rcvd.code if closed.value.rcvd else None


async def read_until_closed(socket) -> None:
    while True:
        await asyncio.wait_for(socket.recv(), 5)


# --- drill 4: hostile readers -----------------------------------------------------------------


async def test_hostile_readers_are_cut_off_write_nothing_and_leave_other_readers_served(
    daphne, show
):
    url = socket_url(daphne, show.slug)
    audit_before = await AuditEntry.objects.acount()
    async with connect(url, origin=daphne) as bystander:
        start = json.loads(await bystander.recv())["snapshot"]["version"]

        # Refused by Daphne's frame limit before the application sees it: dropped, no close.
        assert await close_code_after(url, daphne, "x" * (ONE_MIB + 1)) is None
        # Anything else a reader sends closes its socket with 4400, unparsed.
        assert await close_code_after(url, daphne, b"\x00\xff binary") == 4400
        assert await close_code_after(url, daphne, "{not json") == 4400
        command = {"type": "result.record", "category_id": 1, "nomination_ids": [1]}
        assert await close_code_after(url, daphne, json.dumps(command)) == 4400

        # 1,000 frames in a second from one socket: the first ends it.
        async with connect(url, origin=daphne) as flooder:
            await flooder.recv()
            started = time.monotonic()
            with contextlib.suppress(websockets.ConnectionClosed):
                for _ in range(1000):
                    await flooder.send('{"type":"ping"}')
                    await asyncio.sleep(0.001)
            with pytest.raises(websockets.ConnectionClosed) as flood:
                await read_until_closed(flooder)
            assert flood.value.rcvd.code == 4400
            assert time.monotonic() - started < 5

        for origin in ("https://elsewhere.example", None):
            with pytest.raises(websockets.InvalidStatus) as refused:
                async with connect(url, origin=origin):
                    pass
            assert refused.value.response.status_code == 403

        # Nothing was written, and the bystander still gets the next real write.
        assert await sync_to_async(version_of)(show.pk) == start
        assert await AuditEntry.objects.acount() == audit_before
        await sync_to_async(record)(show, "Best Picture", "Anora")
        assert (await versions_until(bystander, start + 1))[-1] == start + 1


# --- drill 5: two editors at the same moment, 100 times ------------------------------------------


def race(category_id: int, nomination_ids: list[int], rounds: int) -> list[list[str]]:
    """Each round both editors record (different winners) when the category is open, and both
    withdraw when it is announced."""
    try:
        return [one_round(category_id, nomination_ids, n) for n in range(rounds)]
    finally:
        connections.close_all()


def one_round(category_id: int, nomination_ids: list[int], n: int) -> list[str]:
    """Both editors act on the category from the same revision at the same moment."""
    revision = Category.objects.values_list("revision", flat=True).get(pk=category_id)
    announced = Nomination.objects.filter(category_id=category_id, won=True).exists()
    start = threading.Barrier(2)
    outcome = [None, None]

    def editor(k: int):
        try:
            start.wait(timeout=10)
            if announced:
                services.result_withdraw(
                    category_id=category_id,
                    expected_revision=revision,
                    reason=f"round {n}",
                    editor=None,
                    actor=f"editor-{k}",
                )
            else:
                services.result_record(
                    category_id=category_id,
                    nomination_ids=[nomination_ids[k]],
                    expected_revision=revision,
                    editor=None,
                    actor=f"editor-{k}",
                )
            outcome[k] = "saved"
        except services.ConflictError:
            outcome[k] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=editor, args=(k,)) for k in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(map(str, outcome))


async def test_two_editors_racing_100_times_one_saves_one_conflicts_readers_see_each_version_once(
    daphne, show
):
    rounds = 100
    picture = await Category.objects.aget(ceremony=show, name="Best Picture")
    nominees = [n.pk async for n in picture.nominations.order_by("order", "pk")][:2]
    async with connect(socket_url(daphne, show.slug), origin=daphne) as reader:
        start = json.loads(await reader.recv())["snapshot"]["version"]
        reading = asyncio.create_task(versions_until(reader, start + rounds, timeout=120))
        outcomes = await asyncio.to_thread(race, picture.pk, nominees, rounds)
        seen = await reading

    assert outcomes == [["conflict", "saved"]] * rounds
    written = [
        e.version async for e in AuditEntry.objects.filter(ceremony=show).order_by("created_at")
    ]
    assert written[-rounds:] == list(range(start + 1, start + rounds + 1))
    # The reader may be sent the version it connected at once more; every later one exactly once.
    assert [v for v in seen if v > start] == list(range(start + 1, start + rounds + 1))


# --- drill 6: a write that fails after validation ----------------------------------------------

FAIL_AUDIT = """
CREATE FUNCTION drill_fail_audit() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'drill: the audit insert fails'; END $$ LANGUAGE plpgsql;
CREATE TRIGGER drill_fail_audit BEFORE INSERT ON ceremony_auditentry
FOR EACH ROW EXECUTE FUNCTION drill_fail_audit();
"""
UNDO_FAIL_AUDIT = """
DROP TRIGGER IF EXISTS drill_fail_audit ON ceremony_auditentry;
DROP FUNCTION IF EXISTS drill_fail_audit();
"""


def record_while_the_audit_insert_fails(ceremony: Ceremony) -> None:
    """The service validates, writes the result, bumps the version, then PostgreSQL refuses its
    audit entry: the whole transaction must roll back, and its publish never happen."""
    with connection.cursor() as cursor:
        cursor.execute(FAIL_AUDIT)
    try:
        with pytest.raises(DatabaseError, match="the audit insert fails"):
            record(ceremony, "Best Picture", "Anora")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(UNDO_FAIL_AUDIT)


async def test_a_write_failing_after_validation_rolls_back_and_no_reader_receives_anything(
    daphne, show
):
    audit_before = await AuditEntry.objects.acount()
    async with connect(socket_url(daphne, show.slug), origin=daphne) as reader:
        start = json.loads(await reader.recv())["snapshot"]["version"]

        await sync_to_async(record_while_the_audit_insert_fails)(show)

        # Longer than the fan-out's periodic check, which would send a version it had missed.
        frames = []
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(fanout.RESYNC_SECONDS + 1.5):
                while True:
                    frames.append(await next_snapshot_version(reader))
        assert [v for v in frames if v != start] == []
    assert await sync_to_async(version_of)(show.pk) == start
    assert await AuditEntry.objects.acount() == audit_before
    assert not await Nomination.objects.filter(category__ceremony=show, won=True).aexists()
