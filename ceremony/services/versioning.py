"""The only way a write reaches readers: lock the ceremony, bump its version, append the audit
entry, publish the new snapshot once the transaction commits. Every service ends its write here.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ceremony.models import AuditEntry, Category, Ceremony, PrecursorLink
from ceremony.realtime import publish, snapshots

log = logging.getLogger("ceremony.services")

SYSTEM_ACTOR = "system"


class ServiceError(Exception):
    """A write was refused. The message says why, in words an editor understands."""


class ConflictError(ServiceError):
    """Someone else changed the category since the editor looked at it."""

    def __init__(self, message: str, *, current: dict[str, Any]):
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Who:
    """Who makes a write, as its audit entry records it: the editor's account, or (None) the
    command, import or other process named by `actor`. Each public service builds it once from
    its `editor=` and `actor=` arguments."""

    editor: AbstractBaseUser | None
    actor: str = ""

    @property
    def name(self) -> str:
        if self.editor is not None:
            return self.editor.get_username()
        return self.actor or SYSTEM_ACTOR


def ceremony_lock(ceremony_id: int) -> Ceremony:
    """The ceremony, its row locked; ServiceError if there is none."""
    # The row lock serializes every write to one ceremony, so versions never skip or repeat.
    try:
        return Ceremony.objects.select_for_update().get(pk=ceremony_id)
    except Ceremony.DoesNotExist:
        raise ServiceError(f"There is no ceremony with id {ceremony_id}.") from None


def category_ceremony_lock(category_id: int) -> Ceremony:
    """The ceremony of a category, its row locked; ServiceError if there is no such category."""
    try:
        ceremony_id = Category.objects.values_list("ceremony_id", flat=True).get(pk=category_id)
    except Category.DoesNotExist:
        raise ServiceError(f"There is no category with id {category_id}.") from None
    return ceremony_lock(ceremony_id)


def version_bump(
    ceremony: Ceremony,
    action: str,
    who: Who,
    *,
    category: Category | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Bump the version, append the audit entry and publish after commit."""
    ceremony.version += 1
    ceremony.save(update_fields=["version", "updated_at"])
    entry = AuditEntry.objects.create(
        ceremony=ceremony,
        category=category,
        action=action,
        editor=who.editor,
        editor_name=who.name,
        version=ceremony.version,
        before=before or {},
        after=after or {},
        reason=reason,
    )
    log.info(
        "write ceremony=%s version=%s action=%s category=%s editor=%s",
        ceremony.slug,
        ceremony.version,
        action,
        category.slug if category else "-",
        entry.editor_name,
    )
    try:
        publish.publish_on_commit(ceremony)
    except snapshots.TooLarge as exc:
        # The import or the desk write rolls back whole: one line says why.
        raise ServiceError(str(exc)) from None
    return entry


def successors_touch(ceremony: Ceremony, who: Who, *, cause: str) -> None:
    """Give a new version to every ceremony whose precursor flags read this one's results.

    Their snapshots (and the caches keyed by their versions) would otherwise go on showing the
    old verdicts. Locks go from precursor to successor only, so two writes never deadlock.
    """
    successor_ids = set(
        PrecursorLink.objects.filter(precursor__ceremony=ceremony)
        .exclude(category__ceremony=ceremony)
        .values_list("category__ceremony", flat=True)
    )
    for successor_id in sorted(successor_ids):
        version_bump(
            ceremony_lock(successor_id),
            AuditEntry.Action.PRECURSOR,
            who,
            after={"precursor": ceremony.slug, "cause": cause},
        )


@transaction.atomic
def ceremony_touch(
    *,
    ceremony_ids: Sequence[int],
    editor: AbstractBaseUser | None,
    change: str,
    actor: str = "",
    action: str = AuditEntry.Action.EDIT,
) -> None:
    """Give ceremonies a new version after an edit made outside the live desk (the admin's
    forms for ceremonies, categories, nominations, films, people, precursor links; identities
    merged, split or reconciled), so every reader's page and every cache moves on to it, with
    an audit entry saying what changed."""
    # A deleted ceremony has no version left to move on (its readers' next resync finds a 404).
    edited = set(Ceremony.objects.filter(pk__in=ceremony_ids).values_list("pk", flat=True))
    # Successors read the edited ceremonies' rows for their precursor flags; each ceremony
    # moves on by exactly one version, however many of these paths lead to it.
    successors = set(
        PrecursorLink.objects.filter(precursor__ceremony__in=edited).values_list(
            "category__ceremony", flat=True
        )
    )
    who = Who(editor, actor)
    for ceremony_id in sorted(edited | successors):
        version_bump(
            ceremony_lock(ceremony_id),
            action if ceremony_id in edited else AuditEntry.Action.PRECURSOR,
            who,
            after={"change": change},
        )
