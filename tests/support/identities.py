"""Importing specs in a given order and reading back who is credited where, by identity: what
must not depend on the order in which files were imported."""

import pytest
from django.db import transaction

from ceremony import services
from ceremony.importers.spec import CeremonySpec
from ceremony.models import Film, Nomination, Person


def import_all(*specs: CeremonySpec, force: bool = False) -> None:
    identities = services.Identities()
    for s in specs:
        services.ceremony_import(spec=s, identities=identities, force=force)
    services.people_reconcile(identities=identities)


def credits() -> set[tuple]:
    """Who is credited where, by identity: the order-independent content of the archive."""
    return {
        (n.category.ceremony.name, n.category.name, f.title, f.imdb_id, p.imdb_id or p.name)
        for n in Nomination.objects.select_related("category__ceremony").prefetch_related(
            "films", "people"
        )
        for f in n.films.all()
        for p in n.people.all()
    }


class _Rollback(Exception):
    pass


def results() -> set[tuple]:
    """Every ceremony, category and nomination with its result, as readers see them."""
    return {
        (
            n.category.ceremony.name,
            n.category.ceremony.slug,
            n.category.ceremony.date,
            n.category.ceremony.date_exact,
            n.category.ceremony.venue,
            n.category.ceremony.status,
            n.category.name,
            n.category.competitive,
            n.category.is_tie,
            n.nominee,
            n.film_title,
            n.won,
        )
        for n in Nomination.objects.select_related("category__ceremony")
    }


def state_after(*specs: CeremonySpec, force: bool = False) -> tuple[set, set, set, set]:
    """The archive after importing `specs` in this order (rolled back afterwards)."""
    with pytest.raises(_Rollback), transaction.atomic():  # noqa: PT012
        import_all(*specs, force=force)
        result = (
            credits(),
            results(),
            set(Person.objects.values_list("name", "imdb_id", "slug")),
            set(Film.objects.values_list("title", "imdb_id", "year")),
        )
        raise _Rollback
    return result
