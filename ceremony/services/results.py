"""Results on the night: record, correct, withdraw. Each checks the editor's revision token and
the ceremony's status under its lock, then ends in `versioning.version_bump`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ceremony.models import AuditEntry, Category, Ceremony, Nomination
from ceremony.services.freetext import REASON_LIMIT, free_text
from ceremony.services.versioning import (
    ConflictError,
    ServiceError,
    Who,
    category_ceremony_lock,
    successors_touch,
    version_bump,
)
from ceremony.text import describe_winners


def _winners_state(category: Category) -> dict[str, Any]:
    winners = [
        {"id": n.pk, "label": str(n)} for n in category.nominations.filter(won=True).order_by("pk")
    ]
    state = {"winners": winners, "tie": category.is_tie}
    if category.note:
        state["note"] = category.note
    return state


NOTE_LIMIT = 280


def _clean_note(note: str) -> str:
    """One line of plain text, at most NOTE_LIMIT characters (whitespace runs become a space)."""
    return free_text(note, what="The note", limit=NOTE_LIMIT)


@dataclass
class _ResultWrite:
    """One write to a category's result, under its ceremony's lock: who makes it, and the
    result recorded before it (for the audit entry)."""

    ceremony: Ceremony
    category: Category
    who: Who
    before: dict[str, Any]

    def change_reason(self, reason: str, needs_reason: str, no_result: str) -> str:
        """A correction or a withdrawal: it needs a reason (returned cleaned, at most
        REASON_LIMIT characters) and a result."""
        reason = free_text(reason, what="The reason", limit=REASON_LIMIT)
        if not reason:
            raise ServiceError(needs_reason)
        if not self.before["winners"]:
            raise ServiceError(f"{self.category.name} {no_result}")
        return reason

    def audit(self, action: str, *, before: dict, after: dict, reason: str = "") -> None:
        """The category's change audited under a new version of its ceremony."""
        version_bump(
            self.ceremony,
            action,
            self.who,
            category=self.category,
            before=before,
            after=after,
            reason=reason,
        )

    def save(
        self, action: str, winners: list[Nomination], *, tie=False, note="", reason=""
    ) -> Category:
        """The new winners saved, audited under a new version, and the successors told."""
        category = self.category
        set_winners(category, winners)
        category.is_tie = tie
        category.note = note
        category.recorded_by = self.who.editor
        category.revision += 1
        category.save()
        self.audit(action, before=self.before, after=_winners_state(category), reason=reason)
        successors_touch(self.ceremony, self.who, cause=f"{action} {category.slug}")
        return category


def _category_for_write(
    category_id: int, expected_revision: int | None
) -> tuple[Ceremony, Category]:
    ceremony = category_ceremony_lock(category_id)
    category = Category.objects.select_for_update().get(pk=category_id)
    if ceremony.status != Ceremony.Status.LIVE:
        raise ServiceError(
            f"{ceremony.name} is {ceremony.get_status_display().lower()}: "
            "results are recorded only while it is live."
        )
    if expected_revision is not None and category.revision != expected_revision:
        state = _winners_state(category)
        who = category.recorded_by.get_username() if category.recorded_by else "another editor"
        raise ConflictError(
            f"{category.name} was changed by {who} since you opened it. "
            f"Recorded now: {describe_winners(state)}. Nothing was saved; check and try again.",
            current={**state, "revision": category.revision},
        )
    return ceremony, category


def _result_write(category_id: int, expected_revision: int | None, who: Who) -> _ResultWrite:
    ceremony, category = _category_for_write(category_id, expected_revision)
    return _ResultWrite(ceremony, category, who, before=_winners_state(category))


def _winning_nominations(category: Category, nomination_ids: Sequence[int], tie: bool):
    ids = list(dict.fromkeys(int(i) for i in nomination_ids))
    if not ids:
        raise ServiceError(f"Choose the winner of {category.name}.")
    if len(ids) > 1 and not tie:
        raise ServiceError(
            f"{len(ids)} winners chosen for {category.name}: more than one winner is "
            "recorded only as a tie."
        )
    if tie and len(ids) < 2:
        raise ServiceError(f"A tie needs at least two winners; {len(ids)} chosen.")
    found = {n.pk: n for n in Nomination.objects.filter(pk__in=ids)}
    for nomination_id in ids:
        nomination = found.get(nomination_id)
        if nomination is None:
            raise ServiceError(f"There is no nomination with id {nomination_id}.")
        if nomination.category_id != category.pk:
            raise ServiceError(
                f"{nomination} is not a nominee in {category.name} "
                f"(it is nominated in {nomination.category.name})."
            )
    return [found[i] for i in ids]


def set_winners(category: Category, winners: list[Nomination]) -> None:
    category.nominations.update(won=False)
    Nomination.objects.filter(pk__in=[n.pk for n in winners]).update(won=True)


def _first_announced_at(category: Category) -> datetime | None:
    """When a category without winners was first announced, if it ever was (then withdrawn):
    from the latest withdrawal's audit entry, else its first recorded result's."""
    entries = AuditEntry.objects.filter(category=category)
    withdrawn = entries.filter(action=AuditEntry.Action.WITHDRAW).order_by("-pk").first()
    if withdrawn is None:
        return None
    if first := withdrawn.before.get("announced_at"):
        return datetime.fromisoformat(first)
    recorded = entries.filter(action__in=[AuditEntry.Action.RECORD, AuditEntry.Action.TIE])
    first_record = recorded.order_by("pk").first()
    return first_record.created_at if first_record else withdrawn.created_at


# --- results ----------------------------------------------------------------------------------


@transaction.atomic
def result_record(
    *,
    category_id: int,
    nomination_ids: Sequence[int],
    editor: AbstractBaseUser | None,
    tie: bool = False,
    expected_revision: int | None = None,
    actor: str = "",
    note: str = "",
) -> Category:
    """Record the winner(s) of a category not yet announced, with the editor's note if any.
    In a category announced before and then withdrawn, this is a correction: its first
    announcement's time is kept and `corrected_at` set."""
    note = _clean_note(note)
    write = _result_write(category_id, expected_revision, Who(editor, actor))
    category = write.category
    if write.before["winners"]:
        raise ConflictError(
            f"{category.name} is already recorded: {describe_winners(write.before)}. "
            "To change it, make a correction with a reason.",
            current={**write.before, "revision": category.revision},
        )
    winners = _winning_nominations(category, nomination_ids, tie)
    first_announced = _first_announced_at(category)
    if first_announced is None:
        category.announced_at = timezone.now()
    else:
        # Announced before, then withdrawn: a new winner now is a correction of that result.
        category.announced_at = first_announced
        category.corrected_at = timezone.now()
    action = AuditEntry.Action.TIE if tie else AuditEntry.Action.RECORD
    return write.save(action, winners, tie=tie, note=note)


@transaction.atomic
def result_correct(
    *,
    category_id: int,
    nomination_ids: Sequence[int],
    editor: AbstractBaseUser | None,
    reason: str,
    tie: bool = False,
    expected_revision: int | None = None,
    actor: str = "",
    note: str = "",
) -> Category:
    """Replace a recorded result, visibly: readers see it marked as corrected. The note given
    replaces the old one (which was about the old winner)."""
    note = _clean_note(note)
    write = _result_write(category_id, expected_revision, Who(editor, actor))
    reason = write.change_reason(
        reason,
        "A correction needs a short reason (readers and the audit log see it).",
        "has no result yet: record it instead of correcting.",
    )
    category = write.category
    winners = _winning_nominations(category, nomination_ids, tie)
    if sorted(n.pk for n in winners) == sorted(w["id"] for w in write.before["winners"]) and (
        tie == category.is_tie
    ):
        raise ServiceError(f"That is what {category.name} already records; nothing to correct.")
    category.corrected_at = timezone.now()
    return write.save(AuditEntry.Action.CORRECT, winners, tie=tie, note=note, reason=reason)


@transaction.atomic
def result_withdraw(
    *,
    category_id: int,
    editor: AbstractBaseUser | None,
    reason: str,
    expected_revision: int | None = None,
    actor: str = "",
) -> Category:
    """Take a recorded result back: the category is not announced any more."""
    write = _result_write(category_id, expected_revision, Who(editor, actor))
    reason = write.change_reason(
        reason, "Withdrawing a result needs a short reason.", "has no result to withdraw."
    )
    category = write.category
    # Kept in the audit entry, so a result recorded after this one keeps the first time.
    write.before["announced_at"] = (
        category.announced_at.isoformat() if category.announced_at else None
    )
    category.announced_at = None
    category.corrected_at = timezone.now()
    return write.save(AuditEntry.Action.WITHDRAW, [], reason=reason)


@transaction.atomic
def result_note(
    *,
    category_id: int,
    note: str,
    editor: AbstractBaseUser | None,
    expected_revision: int | None = None,
    actor: str = "",
) -> Category:
    """Set, change or clear the note published with a recorded result: audited, and readers
    get it with the new version like any change to the result."""
    note = _clean_note(note)
    write = _result_write(category_id, expected_revision, Who(editor, actor))
    category = write.category
    if not write.before["winners"]:
        raise ServiceError(f"{category.name} has no result yet: a note goes with a result.")
    if note == category.note:
        raise ServiceError(f"That is already the note on {category.name}; nothing to change.")
    before = {"note": category.note}
    category.note = note
    category.revision += 1
    category.save(update_fields=["note", "revision"])
    write.audit(AuditEntry.Action.NOTE, before=before, after={"note": note})
    return category
