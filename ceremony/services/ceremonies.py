"""A ceremony's status (draft -> live -> final) and its running order on the night."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ceremony.models import AuditEntry, Category, Ceremony, Nomination
from ceremony.services.versioning import ServiceError, ceremony_lock, version_bump

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
    try:
        ceremony = ceremony_lock(ceremony_id)
    except Ceremony.DoesNotExist:
        raise ServiceError(f"There is no ceremony with id {ceremony_id}.") from None
    if status not in Ceremony.Status.values:
        raise ServiceError(f"Unknown status {status!r}; use one of {', '.join(Ceremony.Status)}.")
    if (ceremony.status, status) not in STATUS_TRANSITIONS:
        raise ServiceError(f"{ceremony.name} cannot go from {ceremony.status} to {status}.")
    reason = reason.strip()
    if ceremony.status == Ceremony.Status.FINAL and not reason:
        raise ServiceError(f"Reopening {ceremony.name} after it was final needs a reason.")
    if (
        status == Ceremony.Status.DRAFT
        and Nomination.objects.filter(category__ceremony=ceremony, won=True).exists()
    ):
        raise ServiceError(f"{ceremony.name} has results; it cannot go back to draft.")
    before = {"status": ceremony.status}
    ceremony.status = status
    ceremony.save(update_fields=["status", "updated_at"])
    version_bump(
        ceremony,
        action=AuditEntry.Action.STATUS,
        editor=editor,
        actor=actor,
        before=before,
        after={"status": status},
        reason=reason,
    )
    return ceremony


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
    try:
        ceremony_id = Category.objects.values_list("ceremony_id", flat=True).get(pk=category_id)
    except Category.DoesNotExist:
        raise ServiceError(f"There is no category with id {category_id}.") from None
    if move not in MOVES:
        raise ServiceError(f"Unknown move {move!r}; use up, down or next.")
    ceremony = ceremony_lock(ceremony_id)
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
        action=AuditEntry.Action.REORDER,
        editor=editor,
        actor=actor,
        category=category,
        before={"order": before},
        after={"order": order},
    )
    category.refresh_from_db()
    return category
