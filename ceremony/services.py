"""The one write path.

Every write validates, changes the rows, bumps the ceremony's version and appends an audit entry in
one transaction, then publishes the new snapshot once the transaction commits. A refused call raises
`ServiceError` (or `ConflictError`) with a message meant for the editor, and writes nothing.
"""

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from ceremony import live
from ceremony.models import (
    AuditEntry,
    AwardBody,
    Category,
    Ceremony,
    Film,
    Nomination,
    Person,
    PrecursorLink,
    name_key,
)

log = logging.getLogger(__name__)

PRECURSORS_PATH = Path(__file__).with_name("data") / "precursors.json"
# Globes held this long before an Oscar ceremony count as its season's precursor.
SEASON_WINDOW = dt.timedelta(days=120)
SYSTEM_ACTOR = "system"
# precursors.json maps the Golden Globes' categories onto the Academy Awards'.
PRECURSOR_BODY = "Golden Globe Awards"
SUCCESSOR_BODY = "Academy Awards"


class ServiceError(Exception):
    """A write was refused. The message says why, in words an editor understands."""


class ConflictError(ServiceError):
    """Someone else changed the category since the editor looked at it."""

    def __init__(self, message: str, *, current: dict[str, Any]):
        super().__init__(message)
        self.current = current


# --- helpers ----------------------------------------------------------------------------------


def _actor_name(editor: AbstractBaseUser | None, actor: str) -> str:
    if editor is not None:
        return editor.get_username()
    return actor or SYSTEM_ACTOR


def _lock_ceremony(ceremony_id: int) -> Ceremony:
    # The row lock serializes every write to one ceremony, so versions never skip or repeat.
    return Ceremony.objects.select_for_update().get(pk=ceremony_id)


def _winners_state(category: Category) -> dict[str, Any]:
    winners = [
        {"id": n.pk, "label": str(n)} for n in category.nominations.filter(won=True).order_by("pk")
    ]
    return {"winners": winners, "tie": category.is_tie}


def _describe(state: dict[str, Any]) -> str:
    labels = [w["label"] for w in state["winners"]]
    if not labels:
        return "nothing recorded"
    return " and ".join(labels) + (" (tie)" if state.get("tie") else "")


def _commit_write(
    ceremony: Ceremony,
    *,
    action: str,
    editor: AbstractBaseUser | None,
    actor: str = "",
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
        editor=editor,
        editor_name=_actor_name(editor, actor),
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
    live.publish_on_commit(ceremony)
    return entry


def _touch_successors(
    ceremony: Ceremony, *, editor: AbstractBaseUser | None, actor: str, cause: str
) -> None:
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
        _commit_write(
            _lock_ceremony(successor_id),
            action=AuditEntry.Action.PRECURSOR,
            editor=editor,
            actor=actor,
            after={"precursor": ceremony.slug, "cause": cause},
        )


def _save_result(
    ceremony: Ceremony,
    category: Category,
    *,
    action: str,
    editor: AbstractBaseUser | None,
    actor: str,
    before: dict[str, Any],
    reason: str = "",
) -> None:
    category.recorded_by = editor
    category.revision += 1
    category.save()
    _commit_write(
        ceremony,
        action=action,
        editor=editor,
        actor=actor,
        category=category,
        before=before,
        after=_winners_state(category),
        reason=reason,
    )
    _touch_successors(ceremony, editor=editor, actor=actor, cause=f"{action} {category.slug}")


def _category_for_write(
    category_id: int, expected_revision: int | None
) -> tuple[Ceremony, Category]:
    try:
        ceremony_id = Category.objects.values_list("ceremony_id", flat=True).get(pk=category_id)
    except Category.DoesNotExist:
        raise ServiceError(f"There is no category with id {category_id}.") from None
    ceremony = _lock_ceremony(ceremony_id)
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
            f"Recorded now: {_describe(state)}. Nothing was saved; check and try again.",
            current={**state, "revision": category.revision},
        )
    return ceremony, category


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


def _set_winners(category: Category, winners: list[Nomination]) -> None:
    category.nominations.update(won=False)
    Nomination.objects.filter(pk__in=[n.pk for n in winners]).update(won=True)


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
) -> Category:
    """Record the winner(s) of a category not yet announced."""
    ceremony, category = _category_for_write(category_id, expected_revision)
    before = _winners_state(category)
    if before["winners"]:
        raise ConflictError(
            f"{category.name} is already recorded: {_describe(before)}. "
            "To change it, make a correction with a reason.",
            current={**before, "revision": category.revision},
        )
    winners = _winning_nominations(category, nomination_ids, tie)
    _set_winners(category, winners)
    category.announced_at = timezone.now()
    category.corrected_at = None
    category.is_tie = tie
    _save_result(
        ceremony,
        category,
        action=AuditEntry.Action.TIE if tie else AuditEntry.Action.RECORD,
        editor=editor,
        actor=actor,
        before=before,
    )
    return category


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
) -> Category:
    """Replace a recorded result, visibly: readers see it marked as corrected."""
    ceremony, category = _category_for_write(category_id, expected_revision)
    reason = reason.strip()
    if not reason:
        raise ServiceError("A correction needs a short reason (readers and the audit log see it).")
    before = _winners_state(category)
    if not before["winners"]:
        raise ServiceError(f"{category.name} has no result yet: record it instead of correcting.")
    winners = _winning_nominations(category, nomination_ids, tie)
    if sorted(n.pk for n in winners) == sorted(w["id"] for w in before["winners"]) and (
        tie == category.is_tie
    ):
        raise ServiceError(f"That is what {category.name} already records; nothing to correct.")
    _set_winners(category, winners)
    category.corrected_at = timezone.now()
    category.is_tie = tie
    _save_result(
        ceremony,
        category,
        action=AuditEntry.Action.CORRECT,
        editor=editor,
        actor=actor,
        before=before,
        reason=reason,
    )
    return category


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
    ceremony, category = _category_for_write(category_id, expected_revision)
    reason = reason.strip()
    if not reason:
        raise ServiceError("Withdrawing a result needs a short reason.")
    before = _winners_state(category)
    if not before["winners"]:
        raise ServiceError(f"{category.name} has no result to withdraw.")
    _set_winners(category, [])
    category.announced_at = None
    category.corrected_at = timezone.now()
    category.is_tie = False
    _save_result(
        ceremony,
        category,
        action=AuditEntry.Action.WITHDRAW,
        editor=editor,
        actor=actor,
        before=before,
        reason=reason,
    )
    return category


# --- ceremony ---------------------------------------------------------------------------------

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
        ceremony = _lock_ceremony(ceremony_id)
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
    _commit_write(
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
    ceremony = _lock_ceremony(ceremony_id)
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
    _commit_write(
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


@transaction.atomic
def ceremony_touch(
    *,
    ceremony_ids: Sequence[int],
    editor: AbstractBaseUser | None,
    change: str,
    actor: str = "",
) -> None:
    """Give ceremonies a new version after an edit made outside the live desk (the admin's
    forms for ceremonies, categories, nominations, films, people, precursor links), so every
    reader's page and every cache moves on to it, with an audit entry saying what changed."""
    edited = set(ceremony_ids)
    # Successors read the edited ceremonies' rows for their precursor flags; each ceremony
    # moves on by exactly one version, however many of these paths lead to it.
    successors = set(
        PrecursorLink.objects.filter(precursor__ceremony__in=edited).values_list(
            "category__ceremony", flat=True
        )
    )
    for ceremony_id in sorted(edited | successors):
        _commit_write(
            _lock_ceremony(ceremony_id),
            action=AuditEntry.Action.EDIT if ceremony_id in edited else AuditEntry.Action.PRECURSOR,
            editor=editor,
            actor=actor,
            after={"change": change},
        )


# --- identities -------------------------------------------------------------------------------


def _unique_slug(model, base: str) -> str:
    base = (base or "untitled")[:300]
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def film_resolve(*, title: str, year: int | None, imdb_id: str | None = None) -> Film:
    """The film with this IMDb id, else the same title within a year of `year`, else a new one."""
    key = name_key(title)
    if imdb_id:
        film = Film.objects.filter(imdb_id=imdb_id).first()
        if film:
            return film
    candidates = Film.objects.filter(key=key)
    if year is not None:
        candidates = candidates.filter(
            Q(year__isnull=True) | Q(year__gte=year - 1, year__lte=year + 1)
        )
    if imdb_id:
        candidates = candidates.filter(imdb_id__isnull=True)
    film = candidates.order_by("-year").first()
    if film:
        if imdb_id and not film.imdb_id:
            film.imdb_id = imdb_id
            film.save(update_fields=["imdb_id"])
        return film
    slug_base = slugify(title) + (f"-{year}" if year else "")
    return Film.objects.create(
        title=title, key=key, year=year, imdb_id=imdb_id or None, slug=_unique_slug(Film, slug_base)
    )


def person_resolve(*, name: str, imdb_id: str | None = None) -> Person:
    """The person with this IMDb id, else one of the same (folded) name, else a new one."""
    key = name_key(name)
    if imdb_id:
        person = Person.objects.filter(imdb_id=imdb_id).first()
        if person:
            return person
        # A name-only person (from a JSON import) is adopted by the first IMDb id seen for it.
        person = Person.objects.filter(key=key, imdb_id__isnull=True).order_by("pk").first()
        if person:
            person.imdb_id = imdb_id
            person.save(update_fields=["imdb_id"])
            return person
    else:
        # Without an id, the most recently added of the namesakes is the likeliest.
        person = Person.objects.filter(key=key).order_by("-pk").first()
        if person:
            return person
    return Person.objects.create(
        name=name, key=key, imdb_id=imdb_id or None, slug=_unique_slug(Person, slugify(name))
    )


def split_credit(nominee: str) -> list[str]:
    """'A, B and C' -> ['A', 'B', 'C']."""
    parts = []
    for chunk in nominee.split(", "):
        parts.extend(chunk.split(" and "))
    return [p.strip() for p in parts if p.strip()]


# --- precursors -------------------------------------------------------------------------------


def fold_category_name(name: str) -> str:
    return " ".join(name.replace("\u2013", "-").replace("\u2014", "-").casefold().split())


@cache
def precursor_rules() -> list[dict]:
    with PRECURSORS_PATH.open(encoding="utf-8") as fh:
        rules = json.load(fh)["categories"]
    return [
        {
            "oscar": {fold_category_name(n) for n in rule["oscar"]},
            "globes": {fold_category_name(n) for n in rule["globes"]},
            "match": rule["match"],
        }
        for rule in rules
    ]


def _season_partners(ceremony: Ceremony, partner_body: str) -> list[Ceremony]:
    """The other body's ceremonies of the same awards season."""
    others = Ceremony.objects.filter(body__name=partner_body)
    if ceremony.film_year:
        return list(others.filter(film_year=ceremony.film_year))
    if partner_body == SUCCESSOR_BODY:  # a Globe ceremony: the Oscars held in the window after it
        return list(others.filter(date__gt=ceremony.date, date__lte=ceremony.date + SEASON_WINDOW))
    return list(
        others.filter(date__lt=ceremony.date, date__gte=ceremony.date - SEASON_WINDOW).order_by(
            "-date"
        )[:1]
    )


def precursors_link(*, ceremony: Ceremony) -> dict[Ceremony, int]:
    """Link `ceremony`'s categories to their precursors (or successors) of the same season.

    Idempotent, and never removes a link an editor added by hand. Returns the links created per
    Oscar-side ceremony (whose snapshot they change).
    """
    rules = precursor_rules()
    body = ceremony.body.name
    if body == SUCCESSOR_BODY:
        oscar_ceremonies = [ceremony]
        globe_ceremonies = _season_partners(ceremony, PRECURSOR_BODY)
    elif body == PRECURSOR_BODY:
        oscar_ceremonies = _season_partners(ceremony, SUCCESSOR_BODY)
        globe_ceremonies = [ceremony]
    else:
        return {}
    created: dict[Ceremony, int] = {}
    for oscars in oscar_ceremonies:
        for globes in globe_ceremonies:
            globe_categories = list(globes.categories.all())
            for category in oscars.categories.all():
                names = {
                    fold_category_name(category.name),
                    fold_category_name(category.canonical_name),
                }
                for rule in rules:
                    if not names & rule["oscar"]:
                        continue
                    for precursor in globe_categories:
                        if fold_category_name(precursor.name) in rule["globes"]:
                            _, was_created = PrecursorLink.objects.get_or_create(
                                category=category,
                                precursor=precursor,
                                defaults={"match": rule["match"]},
                            )
                            if was_created:
                                created[oscars] = created.get(oscars, 0) + 1
    return created


@transaction.atomic
def precursors_update(
    *,
    ceremony: Ceremony,
    results_changed: bool,
    editor: AbstractBaseUser | None,
    actor: str,
    source: str,
) -> int:
    """After an import: link the season's precursors, and give every other ceremony whose
    precursor flags changed (new links, or this ceremony's results) a new version. Returns the
    number of links made."""
    links = precursors_link(ceremony=ceremony)
    for partner in links:
        if partner.pk != ceremony.pk:
            _commit_write(
                _lock_ceremony(partner.pk),
                action=AuditEntry.Action.IMPORT,
                editor=editor,
                actor=actor,
                after={"precursor_links_from": source, "links": links[partner]},
            )
    if results_changed:
        _touch_successors(ceremony, editor=editor, actor=actor, cause=f"import {source}")
    return sum(links.values())


# --- import -----------------------------------------------------------------------------------


@dataclass
class ImportSummary:
    ceremony: Ceremony
    created: bool
    categories_created: int = 0
    nominations_created: int = 0
    results_changed: int = 0
    precursor_links: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.categories_created
            or self.nominations_created
            or self.results_changed
            or self.precursor_links
        )

    def __str__(self):
        if not self.changed:
            return f"{self.ceremony.name}: unchanged."
        return (
            f"{self.ceremony.name}: {'created' if self.created else 'updated'}; "
            f"{self.categories_created} categories and {self.nominations_created} nominations "
            f"added, {self.results_changed} results changed, "
            f"{self.precursor_links} precursor links made (version {self.ceremony.version})."
        )


def _require(cond: bool, where: str, problem: str) -> None:
    if not cond:
        raise ServiceError(f"{where}: {problem}")


def validate_ceremony_data(data: Any, *, source: str) -> dict:
    """Check the whole file before anything is written; the first problem is named exactly."""
    _require(isinstance(data, dict), source, "the top level must be an object")
    for key in ("ceremony", "body"):
        _require(
            isinstance(data.get(key), str) and data[key].strip(), source, f'"{key}" is missing'
        )
    _require(
        type(data.get("edition")) is int and data["edition"] > 0,
        source,
        '"edition" must be a positive whole number',
    )
    for key, field_name in (("ceremony", "name"), ("venue", "venue")):
        limit = Ceremony._meta.get_field(field_name).max_length
        _require(
            len(data.get(key) or "") <= limit, source, f'"{key}" is longer than {limit} characters'
        )
    try:
        dt.date.fromisoformat(str(data.get("date")))
    except ValueError:
        raise ServiceError(
            f'{source}: "date" must be YYYY-MM-DD, not {data.get("date")!r}'
        ) from None
    categories = data.get("categories")
    _require(
        isinstance(categories, list) and categories, source, '"categories" must be a non-empty list'
    )
    seen = set()
    for index, category in enumerate(categories, start=1):
        where = f"{source}: category {index}"
        _require(isinstance(category, dict), where, "must be an object")
        name = category.get("name")
        _require(isinstance(name, str) and name.strip(), where, '"name" is missing')
        where = f"{source}: category {index} ({name})"
        limit = Category._meta.get_field("name").max_length
        _require(len(name) <= limit, where, f'"name" is longer than {limit} characters')
        _require(slugify(name) not in seen, where, "appears twice")
        seen.add(slugify(name))
        nominees = category.get("nominees")
        _require(
            isinstance(nominees, list) and nominees, where, '"nominees" must be a non-empty list'
        )
        for n, nominee in enumerate(nominees, start=1):
            at = f"{where}, nominee {n}"
            _require(isinstance(nominee, dict), at, "must be an object")
            _require(
                isinstance(nominee.get("film"), str) and nominee["film"].strip(),
                at,
                '"film" is missing',
            )
            _require(
                nominee.get("nominee") is None or isinstance(nominee["nominee"], str),
                at,
                '"nominee" must be text or null',
            )
            for key, field_name in (("film", "film_title"), ("nominee", "nominee")):
                limit = Nomination._meta.get_field(field_name).max_length
                _require(
                    len(nominee.get(key) or "") <= limit,
                    at,
                    f'"{key}" is longer than {limit} characters',
                )
            _require(isinstance(nominee.get("won", False), bool), at, '"won" must be true or false')
    return data


def _is_song_category(name: str) -> bool:
    return "song" in name.casefold()


@transaction.atomic
def ceremony_import(
    *,
    data: dict,
    source: str,
    with_results: bool = True,
    editor: AbstractBaseUser | None = None,
    actor: str = "import",
) -> ImportSummary:
    """Load a ceremony in the shared JSON format (a second run changes nothing).

    With results, `won` flags are the ceremony's results and a fully decided ceremony is final.
    Without, only nominees are loaded: that is how a ceremony is prepared before the show.
    """
    validate_ceremony_data(data, source=source)
    date = dt.date.fromisoformat(data["date"])
    film_year = date.year - 1
    body, _ = AwardBody.objects.get_or_create(
        name=data["body"].strip(), defaults={"slug": slugify(data["body"])}
    )
    ceremony = (
        Ceremony.objects.select_for_update().filter(body=body, edition=data["edition"]).first()
    )
    created = ceremony is None
    if created:
        taken = Ceremony.objects.filter(slug=slugify(data["ceremony"])).first()
        if taken:
            raise ServiceError(
                f"{source}: the name {data['ceremony']!r} is already taken by "
                f"{taken.body} edition {taken.edition}; check the file's name, body and edition."
            )
        ceremony = Ceremony.objects.create(
            body=body,
            edition=data["edition"],
            name=data["ceremony"].strip(),
            slug=slugify(data["ceremony"]),
            date=date,
            film_year=str(film_year),
            venue=data.get("venue") or "",
            time_zone=body.time_zone,
        )
    elif with_results and ceremony.status == Ceremony.Status.LIVE:
        raise ServiceError(
            f"{source}: {ceremony.name} is live; results are recorded on the live desk, "
            "not imported. Use --without-results to add nominees."
        )
    summary = ImportSummary(ceremony=ceremony, created=created)
    existing = {c.slug: c for c in ceremony.categories.all()}
    for position, category_data in enumerate(data["categories"], start=1):
        name = category_data["name"].strip()
        category = existing.get(slugify(name))
        if category is None:
            category = Category.objects.create(
                ceremony=ceremony, name=name, slug=slugify(name), order=position
            )
            summary.categories_created += 1
        known = {
            (name_key(n.film_title), name_key(n.nominee)): n for n in category.nominations.all()
        }
        winners = set()
        for n_order, row in enumerate(category_data["nominees"], start=1):
            film_title = row["film"].strip()
            nominee_text = (row.get("nominee") or "").strip()
            nomination = known.get((name_key(film_title), name_key(nominee_text)))
            if nomination is None:
                # Merging into a ceremony from oscars.csv, which credits differently ("Ed
                # Lachman", the country for International Feature): the film's only nomination.
                same_film = [n for (f, _), n in known.items() if f == name_key(film_title)]
                if len(same_film) == 1:
                    nomination = same_film[0]
            if nomination is None:
                song = _is_song_category(name)
                nomination = Nomination.objects.create(
                    category=category,
                    film_title=film_title,
                    nominee=nominee_text,
                    detail=nominee_text if song else "",
                    order=n_order,
                )
                nomination.films.add(film_resolve(title=film_title, year=film_year))
                if nominee_text and not song:
                    nomination.people.add(
                        *[person_resolve(name=p) for p in split_credit(nominee_text)]
                    )
                summary.nominations_created += 1
            if row.get("won"):
                winners.add(nomination.pk)
        if with_results:
            current = set(category.nominations.filter(won=True).values_list("pk", flat=True))
            if current != winners:
                _set_winners(category, list(Nomination.objects.filter(pk__in=winners)))
                category.is_tie = len(winners) > 1
                category.save(update_fields=["is_tie"])
                summary.results_changed += 1
    if with_results and created:
        decided = all(any(n.get("won") for n in c["nominees"]) for c in data["categories"])
        if decided:
            ceremony.status = Ceremony.Status.FINAL
            ceremony.save(update_fields=["status"])
    summary.precursor_links = precursors_update(
        ceremony=ceremony,
        results_changed=bool(summary.results_changed and not created),
        editor=editor,
        actor=actor,
        source=source,
    )
    if summary.changed:
        _commit_write(
            ceremony,
            action=AuditEntry.Action.IMPORT,
            editor=editor,
            actor=actor,
            after={
                "source": source,
                "categories_created": summary.categories_created,
                "nominations_created": summary.nominations_created,
                "results_changed": summary.results_changed,
            },
        )
    return summary
