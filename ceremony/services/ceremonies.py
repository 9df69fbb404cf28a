"""A ceremony's status (draft -> live -> final) and its running order on the night."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ceremony.forecast.models import Odds
from ceremony.models import AuditEntry, AwardBody, Category, Ceremony, Nomination, PrecursorLink
from ceremony.services.freetext import REASON_LIMIT, free_text
from ceremony.services.versioning import (
    ServiceError,
    Who,
    category_ceremony_lock,
    ceremony_lock,
    version_bump,
)

STATUS_TRANSITIONS = {
    (Ceremony.Status.DRAFT, Ceremony.Status.LIVE),
    (Ceremony.Status.LIVE, Ceremony.Status.FINAL),
    (Ceremony.Status.LIVE, Ceremony.Status.DRAFT),
    (Ceremony.Status.FINAL, Ceremony.Status.LIVE),
}


@transaction.atomic
def ceremony_set_status(
    *,
    ceremony_id: int,
    status: str,
    editor: AbstractBaseUser | None,
    reason: str = "",
    actor: str = "",
) -> Ceremony:
    """Move a ceremony draft -> live -> final. Reopening a final one needs a reason."""
    ceremony = ceremony_lock(ceremony_id)
    if status not in Ceremony.Status.values:
        raise ServiceError(f"Unknown status {status!r}; use one of {', '.join(Ceremony.Status)}.")
    if (ceremony.status, status) not in STATUS_TRANSITIONS:
        raise ServiceError(f"{ceremony.name} cannot go from {ceremony.status} to {status}.")
    reason = free_text(reason, what="The reason", limit=REASON_LIMIT)
    if ceremony.status == Ceremony.Status.FINAL and not reason:
        raise ServiceError(f"Reopening {ceremony.name} after it was final needs a reason.")
    if (
        status == Ceremony.Status.DRAFT
        and Nomination.objects.filter(category__ceremony=ceremony, won=True).exists()
    ):
        raise ServiceError(f"{ceremony.name} has results; it cannot go back to draft.")
    _ceremony_field_set(
        ceremony, "status", status, AuditEntry.Action.STATUS, Who(editor, actor), reason=reason
    )
    return ceremony


def _ceremony_field_set(
    ceremony: Ceremony, field: str, value: object, action: str, who: Who, *, reason: str = ""
) -> None:
    """One field of the ceremony row changed, audited from its old value to the new one."""
    before = {field: getattr(ceremony, field)}
    setattr(ceremony, field, value)
    ceremony.save(update_fields=[field, "updated_at"])
    version_bump(ceremony, action, who, before=before, after={field: value}, reason=reason)


MOVES = ("up", "down", "next")


@transaction.atomic
def category_move(
    *,
    category_id: int,
    move: str,
    editor: AbstractBaseUser | None,
    actor: str = "",
) -> Category:
    """Change the presentation order on the night: one place `up` or `down`, or `next` (before
    every other category not yet announced). Applied to the order as it is under the lock, so
    two editors' moves never undo each other."""
    ceremony = category_ceremony_lock(category_id)
    if move not in MOVES:
        raise ServiceError(f"Unknown move {move!r}; use up, down or next.")
    if ceremony.status == Ceremony.Status.FINAL:
        raise ServiceError(
            f"{ceremony.name} is final: its running order is locked. Reopen it to change it."
        )
    category = Category.objects.get(pk=category_id)
    categories = list(ceremony.categories.in_order())
    before = [c.pk for c in categories]
    order = [c.pk for c in categories]
    position = order.index(category.pk)
    order.remove(category.pk)
    if move == "next":
        if category.nominations.filter(won=True).exists():
            raise ServiceError(f"{category.name} is already announced.")
        undecided = set(
            ceremony.categories.exclude(nominations__won=True).values_list("pk", flat=True)
        )
        target = next((i for i, pk in enumerate(order) if pk in undecided), len(order))
    else:
        target = position + (1 if move == "down" else -1)
        if not 0 <= target <= len(order):
            edge = "first" if move == "up" else "last"
            raise ServiceError(f"{category.name} is already {edge}.")
    order.insert(target, category.pk)
    if order == before:
        raise ServiceError(f"{category.name} is already there.")
    for number, pk in enumerate(order, start=1):
        Category.objects.filter(pk=pk).update(order=number)
    version_bump(
        ceremony,
        AuditEntry.Action.REORDER,
        Who(editor, actor),
        category=category,
        before={"order": before},
        after={"order": order},
    )
    category.refresh_from_db()
    return category


# --- rehearsals -------------------------------------------------------------------------------

REHEARSAL_SUFFIX = "-rehearsal"


def rehearsal_slug(slug: str) -> str:
    return slug if slug.endswith(REHEARSAL_SUFFIX) else slug + REHEARSAL_SUFFIX


def _rehearsal_body(body: AwardBody) -> AwardBody:
    # A body of its own: the copy never shares the real ceremony's (body, edition), nor its
    # records, precursor seasons or archive pages.
    copy, _ = AwardBody.objects.get_or_create(
        slug=f"{body.slug}{REHEARSAL_SUFFIX}",
        defaults={"name": f"{body.name} (rehearsal)", "time_zone": body.time_zone},
    )
    return copy


def _shape(ceremony: Ceremony) -> list[tuple]:
    """What a copy must match: categories and their nominees (in any running order)."""
    return sorted(
        (c.slug, tuple(c.nominations.order_by("order", "pk").values_list("nominee", "film_title")))
        for c in ceremony.categories.all()
    )


# What a rehearsal copy takes from the real ceremony, its categories and its nominations: no
# result, no version, no audit.
CEREMONY_COPIED = ("edition", "date", "date_exact", "film_year", "venue", "time_zone")
CATEGORY_COPIED = ("name", "slug", "canonical_name", "order", "competitive")
NOMINATION_COPIED = ("nominee", "detail", "film_title", "order", "note")


def _fields(row, names: tuple[str, ...]) -> dict:
    return {name: getattr(row, name) for name in names}


def _copy_categories(source: Ceremony, copy: Ceremony) -> None:
    copy.categories.all().delete()
    for category in source.categories.in_order().prefetch_related(
        "nominations__films", "nominations__people", "precursor_links"
    ):
        twin = Category.objects.create(ceremony=copy, **_fields(category, CATEGORY_COPIED))
        for nomination in category.nominations.all():
            twin_nomination = Nomination.objects.create(
                category=twin, **_fields(nomination, NOMINATION_COPIED)
            )
            twin_nomination.films.set(nomination.films.all())
            twin_nomination.people.set(nomination.people.all())
        PrecursorLink.objects.bulk_create(
            PrecursorLink(category=twin, precursor_id=link.precursor_id, match=link.match)
            for link in category.precursor_links.all()
        )


def _copy_odds(source: Ceremony, copy: Ceremony) -> None:
    """The forecast's odds of the real ceremony's nominees, given to the copy's (which is never
    forecast on its own), as they stand at each reset."""

    def nominations(ceremony):
        return Nomination.objects.filter(category__ceremony=ceremony).order_by(
            "category__slug", "order", "pk"
        )

    odds = {o.nomination_id: o for o in Odds.objects.of_ceremony(source.pk)}
    Odds.objects.of_ceremony(copy.pk).delete()
    Odds.objects.bulk_create(
        Odds(nomination=twin, probability=odds[real].probability, seasons=odds[real].seasons)
        for real, twin in zip(
            nominations(source).values_list("pk", flat=True), nominations(copy), strict=True
        )
        if real in odds
    )


@transaction.atomic
def ceremony_rehearsal_reset(
    *, ceremony_id: int, editor: AbstractBaseUser | None, actor: str = ""
) -> Ceremony:
    """The rehearsal copy of a ceremony (slug `<slug>-rehearsal`), made or set back to the real
    one's nominees and running order with no result, in draft. The real ceremony is only read:
    its version, results and audit log stay as they are."""
    try:
        source = Ceremony.objects.select_related("body").get(pk=ceremony_id)
    except Ceremony.DoesNotExist:
        raise ServiceError(f"There is no ceremony with id {ceremony_id}.") from None
    if source.rehearsal:
        raise ServiceError(f"{source.name} is a rehearsal copy; name the real ceremony.")
    slug = rehearsal_slug(source.slug)
    copy = Ceremony.objects.select_for_update().filter(slug=slug).first()
    if copy is not None and not copy.rehearsal:
        raise ServiceError(f"The slug {slug!r} belongs to a real ceremony, {copy.name}.")
    if copy is None:
        copy = Ceremony.objects.create(
            **_fields(source, CEREMONY_COPIED),
            body=_rehearsal_body(source.body),
            name=f"{source.name} (rehearsal)",
            slug=slug,
            rehearsal=True,
        )
        before = {}
    else:
        before = {"status": copy.status}
    if _shape(copy) == _shape(source):
        # The same categories: results cleared in place, the real running order restored.
        order = dict(source.categories.values_list("slug", "order"))
        for category in copy.categories.all():
            category.nominations.update(won=False)
            category.announced_at = category.corrected_at = category.recorded_by = None
            category.is_tie = False
            category.note = ""
            category.order = order[category.slug]
            category.revision += 1
            category.save()
    else:
        _copy_categories(source, copy)
    _copy_odds(source, copy)
    copy.status = Ceremony.Status.DRAFT
    copy.save(update_fields=["status", "updated_at"])
    version_bump(
        copy,
        AuditEntry.Action.REHEARSAL,
        Who(editor, actor),
        before=before,
        after={"status": Ceremony.Status.DRAFT, "rehearsal_of": source.slug},
    )
    return copy


# --- the home page ----------------------------------------------------------------------------


@transaction.atomic
def ceremony_pin(
    *, ceremony_id: int | None, editor: AbstractBaseUser | None, actor: str = ""
) -> Ceremony | None:
    """Feature one ceremony on the home page whatever its status, or (None) go back to the
    automatic choice. Audited on each ceremony pinned or unpinned."""
    chosen = None
    if ceremony_id is not None:
        chosen = ceremony_lock(ceremony_id)
        if chosen.rehearsal:
            raise ServiceError(f"{chosen.name} is a rehearsal: it is never featured.")
        if chosen.pinned:
            raise ServiceError(f"{chosen.name} is already pinned to the home page.")
    previous = list(Ceremony.objects.select_for_update().filter(pinned=True))
    if chosen is None and not previous:
        raise ServiceError("No ceremony is pinned; the home page already chooses by itself.")
    who = Who(editor, actor)
    for ceremony in previous:
        _ceremony_field_set(ceremony, "pinned", False, AuditEntry.Action.UNPIN, who)
    if chosen is not None:
        _ceremony_field_set(chosen, "pinned", True, AuditEntry.Action.PIN, who)
    return chosen
