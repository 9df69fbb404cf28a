"""Every write of the pools: create, join, save a ballot, leave, remove a member, set the
tiebreak's answer, delete a pool. Each validates, writes and bumps the pool's version in one
transaction; none writes the ceremony's tables. Ballots are refused once locked
(`models.ballots_locked`), checked here, inside the transaction, whatever the request."""

from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from ceremony.models import Ceremony
from ceremony.pools import scoring, tokens
from ceremony.pools.models import ANSWER_MAX, NAME_MAX, Member, Pool, ballots_locked
from ceremony.realtime import snapshots
from ceremony.realtime.snapshots import current_snapshot_of


class PoolError(ValueError):
    """A refused write, with one line saying why."""


class Locked(PoolError):
    pass


LOCKED = "Ballots are locked: the show has started."


@dataclass(frozen=True)
class Created:
    pool: Pool
    manage_secret: str


@dataclass(frozen=True)
class Joined:
    member: Member
    secret: str


def _ceremony_state(ceremony_id: int) -> Ceremony:
    """The ceremony's status and start, read under a shared lock on PostgreSQL: going live takes
    the row for update (ceremony.services), so a ballot save and the lock cannot cross; SQLite
    runs one writing transaction at a time anyway."""
    if connection.vendor == "postgresql":
        return Ceremony.objects.raw(
            f"SELECT id, status, starts_at, version FROM {Ceremony._meta.db_table} "
            "WHERE id = %s FOR SHARE",
            [ceremony_id],
        )[0]
    return Ceremony.objects.only("id", "status", "starts_at", "version").get(pk=ceremony_id)


def _refuse_if_locked(ceremony_id: int) -> Ceremony:
    ceremony = _ceremony_state(ceremony_id)
    if ballots_locked(ceremony):
        raise Locked(LOCKED)
    return ceremony


def _name(text: str, what: str = "A display name") -> str:
    name = " ".join(text.split())
    if not name or len(name) > NAME_MAX:
        raise PoolError(f"{what} is 1 to {NAME_MAX} characters.")
    if any(not ch.isprintable() for ch in name):
        raise PoolError(f"{what} may not hold control characters.")
    return name


def _valid_picks(ceremony: Ceremony, picks: dict) -> dict[str, int]:
    """Picks in competitive categories of the ceremony, each a nomination of its category (read
    from the snapshot of the version just read, which this process has mostly cached)."""
    snap = snapshots.cache.get(ceremony.pk, ceremony.version) or current_snapshot_of(ceremony.pk)
    categories = {
        c["slug"]: {n["id"] for n in c["nominations"]}
        for c in snap.data["categories"]
        if c["competitive"]
    }
    clean = {}
    for slug, pick in picks.items():
        if slug not in categories:
            raise PoolError(f"There is no category {str(slug)[:60]!r} to pick in.")
        if type(pick) is not int or pick not in categories[slug]:
            raise PoolError(f"That pick is not a nominee of {str(slug)[:60]!r}.")
        clean[slug] = pick
    return clean


def _answer(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= ANSWER_MAX:
        raise PoolError(f"A tiebreak answer is a whole number from 0 to {ANSWER_MAX:,}.")
    return value


def _bump(pool_id: int) -> None:
    Pool.objects.filter(pk=pool_id).update(version=F("version") + 1)


@transaction.atomic
def pool_create(
    *,
    ceremony_id: int,
    name: str,
    scoring_mode: str = Pool.Scoring.POINTS,
    points: dict[str, int] | None = None,
    tiebreak_question: str = "",
) -> Created:
    _refuse_if_locked(ceremony_id)
    snap = current_snapshot_of(ceremony_id).data
    if scoring_mode not in scoring.offered_modes(snap):
        raise PoolError("That way of scoring is not offered for this ceremony.")
    slugs = {c["slug"] for c in snap["categories"] if c["competitive"]}
    points = points or {}
    for slug, value in points.items():
        if slug not in slugs or type(value) is not int or not 0 <= value <= 100:
            raise PoolError("Points per category are whole numbers from 0 to 100.")
    question = " ".join(tiebreak_question.split())
    if len(question) > 200:
        raise PoolError("The tiebreak question is at most 200 characters.")
    secret = tokens.new_secret()
    for _ in range(5):
        try:
            with transaction.atomic():
                pool = Pool.objects.create(
                    ceremony_id=ceremony_id,
                    name=_name(name, "A pool's name")[:80],
                    code=tokens.new_code(),
                    manage_digest=tokens.digest(secret),
                    scoring=scoring_mode,
                    points={s: v for s, v in points.items() if v != 1},
                    tiebreak_question=question,
                )
            return Created(pool=pool, manage_secret=secret)
        except IntegrityError:
            continue  # a code already taken: draw another
    raise PoolError("No free code could be drawn; try again.")


@transaction.atomic
def member_join(
    *, pool_id: int, name: str, picks: dict | None = None, tiebreak: int | None = None
) -> Joined:
    pool = Pool.objects.select_for_update().get(pk=pool_id)
    ceremony = _refuse_if_locked(pool.ceremony_id)
    name = _name(name)
    if Member.objects.filter(pool=pool, name_key=name.casefold()).exists():
        raise PoolError(f"Someone in this pool is already called {name!r}; choose another name.")
    secret = tokens.new_secret()
    member = Member.objects.create(
        pool=pool,
        name=name,
        name_key=name.casefold(),
        secret_digest=tokens.digest(secret),
        picks=_valid_picks(ceremony, picks or {}),
        tiebreak=_answer(tiebreak),
        saved_at=timezone.now() if picks else None,
    )
    _bump(pool.pk)
    return Joined(member=member, secret=secret)


@transaction.atomic
def ballot_save(*, member_id: int, picks: dict, tiebreak: int | None = None) -> Member:
    member = Member.objects.select_related("pool").select_for_update(of=("self",)).get(pk=member_id)
    ceremony = _refuse_if_locked(member.pool.ceremony_id)
    member.picks = _valid_picks(ceremony, picks)
    member.tiebreak = _answer(tiebreak)
    member.saved_at = timezone.now()
    member.save(update_fields=["picks", "tiebreak", "saved_at"])
    return member


@transaction.atomic
def member_leave(*, member_id: int) -> None:
    """A player deletes their own ballot (and so leaves the pool): only before the lock."""
    member = Member.objects.select_related("pool").get(pk=member_id)
    _refuse_if_locked(member.pool.ceremony_id)
    member.delete()
    _bump(member.pool_id)


@transaction.atomic
def member_remove(*, pool_id: int, member_id: int) -> None:
    """The host removes a member, at any time (a name that should not be there)."""
    deleted, _ = Member.objects.filter(pool_id=pool_id, pk=member_id).delete()
    if not deleted:
        raise PoolError("That member is not in this pool (removed already?).")
    _bump(pool_id)


@transaction.atomic
def pool_set_answer(*, pool_id: int, answer: int | None) -> None:
    """The host gives the tiebreak's true answer (after the show), or takes it back."""
    Pool.objects.filter(pk=pool_id).update(tiebreak_answer=_answer(answer))
    _bump(pool_id)


@transaction.atomic
def pool_delete(*, pool_id: int) -> None:
    Pool.objects.filter(pk=pool_id).delete()
