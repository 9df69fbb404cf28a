"""The pools' writes: what they keep, and every change they refuse once ballots are locked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ceremony.models import Ceremony
from ceremony.pools import services, tokens
from ceremony.pools.models import Member, Pool
from tests.support.forecast import odds_for
from tests.support.pools import draft_show, go_live, picks, player

pytestmark = pytest.mark.django_db


def test_a_pool_gets_a_code_and_keeps_only_the_digest_of_its_manage_secret(show):
    created = services.pool_create(
        ceremony_id=show.pk, name="  The   office ", tiebreak_question="How many for Anora?"
    )
    pool = Pool.objects.get(pk=created.pool.pk)
    assert pool.name == "The office"
    assert len(pool.code) == tokens.CODE_LENGTH
    assert created.manage_secret not in pool.manage_digest
    assert tokens.matches(created.manage_secret, pool.manage_digest)


def test_points_per_category_are_kept_and_bounded(show):
    slug = picks(show, {"Best Picture": "Anora"}).popitem()[0]
    pool = services.pool_create(ceremony_id=show.pk, name="P", points={slug: 5}).pool
    assert pool.points == {slug: 5}
    with pytest.raises(services.PoolError, match="0 to 100"):
        services.pool_create(ceremony_id=show.pk, name="P", points={slug: 500})
    with pytest.raises(services.PoolError, match="not offered"):
        services.pool_create(ceremony_id=show.pk, name="P", scoring_mode="odds")


def test_scoring_by_the_odds_is_offered_once_the_ceremony_has_a_forecast(show):
    odds_for(show)

    pool = services.pool_create(ceremony_id=show.pk, name="Long shots", scoring_mode="odds").pool

    assert pool.rules["mode"] == "odds"


def test_a_player_joins_with_a_name_and_carried_picks_and_saves_a_ballot(show, pool):
    joined = services.member_join(
        pool_id=pool.pk, name="Ann", picks=picks(show, {"Best Picture": "Anora"})
    )
    member = Member.objects.get(pk=joined.member.pk)
    assert tokens.matches(joined.secret, member.secret_digest)
    ballot = picks(show, {"Best Picture": "Conclave", "Best Director": "Sean Baker"})
    services.ballot_save(member_id=member.pk, picks=ballot, tiebreak=6)
    member.refresh_from_db()
    assert (member.picks, member.tiebreak) == (ballot, 6)


def test_names_are_bounded_and_unique_in_a_pool_whatever_the_case(show, pool):
    player(pool.pk, "Ann", show, {})
    with pytest.raises(services.PoolError, match="already called"):
        services.member_join(pool_id=pool.pk, name=" ANN ")
    with pytest.raises(services.PoolError, match="1 to 40"):
        services.member_join(pool_id=pool.pk, name="x" * 41)
    with pytest.raises(services.PoolError, match="control"):
        services.member_join(pool_id=pool.pk, name="a\u200bb\x00")


def test_a_pick_must_be_a_nominee_of_its_own_category(show, pool):
    member = player(pool.pk, "Ann", show, {})
    picture, _ = picks(show, {"Best Picture": "Anora"}).popitem()
    _, director = picks(show, {"Best Director": "Sean Baker"}).popitem()
    with pytest.raises(services.PoolError, match="not a nominee"):
        services.ballot_save(member_id=member.pk, picks={picture: director})
    with pytest.raises(services.PoolError, match="no category"):
        services.ballot_save(member_id=member.pk, picks={"best-nothing": director})
    with pytest.raises(services.PoolError, match="0 to"):
        services.ballot_save(member_id=member.pk, picks={}, tiebreak=-1)


def locked_by_going_live(show):
    go_live(show)


def locked_by_the_clock(show):
    Ceremony.objects.filter(pk=show.pk).update(starts_at=timezone.now() - timedelta(seconds=1))


@pytest.mark.parametrize("lock", [locked_by_going_live, locked_by_the_clock])
def test_once_locked_no_ballot_changes_and_nobody_joins_or_leaves(show, pool, lock):
    ballot = picks(show, {"Best Picture": "Anora"})
    member = player(pool.pk, "Ann", show, {"Best Picture": "Anora"})
    lock(show)
    other = picks(show, {"Best Picture": "Conclave"})
    with pytest.raises(services.Locked):
        services.ballot_save(member_id=member.pk, picks=other)
    with pytest.raises(services.Locked):
        services.member_join(pool_id=pool.pk, name="Late")
    with pytest.raises(services.Locked):
        services.member_leave(member_id=member.pk)
    with pytest.raises(services.Locked):
        services.pool_create(ceremony_id=show.pk, name="Too late")
    member.refresh_from_db()
    assert member.picks == ballot
    assert list(Member.objects.filter(pool=pool).values_list("name", flat=True)) == ["Ann"]


def test_a_start_time_still_to_come_leaves_ballots_open(show, pool):
    Ceremony.objects.filter(pk=show.pk).update(starts_at=timezone.now() + timedelta(hours=1))
    member = player(pool.pk, "Ann", show, {})
    services.ballot_save(member_id=member.pk, picks=picks(show, {"Best Picture": "Anora"}))


def test_the_host_removes_a_member_and_sets_the_answer_even_after_the_lock(show, pool):
    member = player(pool.pk, "Ann", show, {})
    go_live(show)
    version = Pool.objects.get(pk=pool.pk).version
    services.member_remove(pool_id=pool.pk, member_id=member.pk)
    services.pool_set_answer(pool_id=pool.pk, answer=7)
    pool.refresh_from_db()
    assert (pool.tiebreak_answer, pool.version) == (7, version + 2)
    assert not Member.objects.filter(pk=member.pk).exists()
    with pytest.raises(services.PoolError, match="not in this pool"):
        services.member_remove(pool_id=pool.pk, member_id=member.pk)


def test_a_player_deletes_their_ballot_and_the_host_the_pool(show, pool):
    member = player(pool.pk, "Ann", show, {})
    services.member_leave(member_id=member.pk)
    assert not Member.objects.filter(pk=member.pk).exists()
    player(pool.pk, "Bo", show, {})
    services.pool_delete(pool_id=pool.pk)
    assert not Pool.objects.filter(pk=pool.pk).exists()
    assert not Member.objects.filter(pool_id=pool.pk).exists()
    assert Ceremony.objects.filter(pk=show.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_save_waiting_on_the_go_live_sees_the_lock_and_is_refused():
    """Going live holds the ceremony row for update; a save arriving meanwhile waits for it (it
    reads the row FOR SHARE) and then sees the new status: the two cannot cross."""
    import threading

    from django.db import connections, transaction

    from ceremony import services as ceremony_services

    show = draft_show()
    pool = services.pool_create(ceremony_id=show.pk, name="Office").pool
    member = player(pool.pk, "Ann", show, {"Best Picture": "Anora"})
    before = dict(member.picks)
    outcome = {}

    def save():
        try:
            services.ballot_save(
                member_id=member.pk, picks=picks(show, {"Best Picture": "Conclave"})
            )
            outcome["saved"] = True
        except services.Locked:
            outcome["locked"] = True
        finally:
            connections.close_all()

    with transaction.atomic():
        Ceremony.objects.select_for_update().get(pk=show.pk)  # as the go-live's lock does
        saver = threading.Thread(target=save)
        saver.start()
        saver.join(timeout=1)
        assert saver.is_alive(), "the save did not wait for the ceremony row"
        ceremony_services.ceremony_set_status(ceremony_id=show.pk, status="live", editor=None)
    saver.join(timeout=20)
    assert outcome == {"locked": True}
    member.refresh_from_db()
    assert member.picks == before
