"""Precursor links between a season's Golden Globe and Academy Awards categories, made after an
import whichever ceremony came first; the rules themselves are in `ceremony.precursors`.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ceremony.models import AuditEntry, Ceremony, PrecursorLink
from ceremony.precursors import (
    PRECURSOR_BODY,
    SUCCESSOR_BODY,
    fold_category_name,
    precursor_rules,
    season_partners,
)
from ceremony.services.versioning import Who, ceremony_lock, successors_touch, version_bump


def precursors_link(*, ceremony: Ceremony) -> dict[Ceremony, int]:
    """Link `ceremony`'s categories to their precursors (or successors) of the same season.

    Idempotent, and never removes a link an editor added by hand. Returns the links created per
    Oscar-side ceremony (whose snapshot they change).
    """
    rules = precursor_rules()
    body = ceremony.body.name
    if body == SUCCESSOR_BODY:
        oscar_ceremonies = [ceremony]
        globe_ceremonies = season_partners(ceremony, PRECURSOR_BODY)
    elif body == PRECURSOR_BODY:
        oscar_ceremonies = season_partners(ceremony, SUCCESSOR_BODY)
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
    who = Who(editor, actor)
    links = precursors_link(ceremony=ceremony)
    for partner in links:
        if partner.pk != ceremony.pk:
            version_bump(
                ceremony_lock(partner.pk),
                AuditEntry.Action.IMPORT,
                who,
                after={"precursor_links_from": source, "links": links[partner]},
            )
    if results_changed:
        successors_touch(ceremony, who, cause=f"import {source}")
    return sum(links.values())
