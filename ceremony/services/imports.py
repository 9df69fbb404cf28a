"""The one import writer: a `CeremonySpec` from any parser (the ceremony JSON, oscars.csv, the
Golden Globes CSV) merged into the archive under one set of rules, so that the result never
depends on which file came first (docs/archive.md).

A ceremony that is live or final is left alone unless the caller forces the merge, and results
are never imported over a live one: those belong to the live desk.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from ceremony.importers.spec import CategorySpec, CeremonySpec, NominationSpec
from ceremony.models import AuditEntry, AwardBody, Category, Ceremony, Film, Nomination, Person
from ceremony.services.identities import Credit, Identities, slug_base, work_field
from ceremony.services.precursors import precursors_update
from ceremony.services.versioning import ServiceError, Who, version_bump
from ceremony.text import name_key


@dataclass
class ImportSummary:
    ceremony: Ceremony
    created: bool
    # Why the ceremony was not touched at all ("final: left alone ...").
    left_alone: str = ""
    categories_created: int = 0
    categories_changed: int = 0
    nominations_created: int = 0
    nominations_updated: int = 0
    nominations_unchanged: int = 0
    results_changed: int = 0
    details_changed: int = 0
    precursor_links: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.categories_created
            or self.categories_changed
            or self.nominations_created
            or self.nominations_updated
            or self.results_changed
            or self.details_changed
            or self.precursor_links
        )

    def __str__(self):
        name = self.ceremony.name
        if self.left_alone:
            return f"{name}: {self.left_alone}"
        if not self.changed:
            return f"{name}: unchanged."
        return (
            f"{name}: {'created' if self.created else 'updated'}; "
            f"{self.categories_created} categories and {self.nominations_created} nominations "
            f"added, {self.nominations_updated} nominations completed, "
            f"{self.results_changed} results changed, "
            f"{self.precursor_links} precursor links made (version {self.ceremony.version})."
        )


def body_resolve(name: str) -> AwardBody:
    """The award body of this name; one differing only in case is a mistake, not a new body."""
    body = AwardBody.objects.filter(name__iexact=name).first()
    if body is None:
        return AwardBody.objects.create(name=name, slug=slug_base(name))
    if body.name != name:
        raise ServiceError(f"the body {name!r} differs only in case from {body.name!r}")
    return body


@transaction.atomic
def ceremony_import(
    *,
    spec: CeremonySpec,
    identities: Identities | None = None,
    force: bool = False,
    editor: AbstractBaseUser | None = None,
    actor: str = "import",
) -> ImportSummary:
    """Write one ceremony (a second run of the same spec changes nothing).

    Merging into a ceremony already there: categories matched by name, canonical name or shared
    films; nominations by film, then nominee, song and people. A curated source (the JSON files)
    sets the running order and the credits' wording; a listing (the CSVs) fills in what is
    missing. An exact date replaces a year-only one. With results, a fully decided ceremony
    imported as a draft becomes final.
    """
    identities = identities or Identities()
    body = body_resolve(spec.body)
    ceremony = Ceremony.objects.select_for_update().filter(body=body, edition=spec.edition).first()
    created = ceremony is None
    if created:
        ceremony = _ceremony_create(spec, body)
    summary = ImportSummary(ceremony=ceremony, created=created)
    if not created and ceremony.status != Ceremony.Status.DRAFT and not force:
        summary.left_alone = (
            f"{ceremony.get_status_display().lower()}: left alone, nothing changed "
            "(use --force to merge this file into it)."
        )
        return summary
    live = ceremony.status == Ceremony.Status.LIVE
    if live and spec.has_results:
        summary.notes.append(
            f"{ceremony.name} is live: nominees merged, results left to the live desk."
        )
    if not created:
        summary.details_changed += _details_merge(ceremony, spec)

    year = spec.first_film_year
    # Films first, in bulk: people are told apart by the films they are credited on.
    films = [
        [[identities.film(f.title, year, f.imdb_id) for f in n.films] for n in c.nominations]
        for c in spec.categories
    ]
    identities.flush()
    categories = list(
        ceremony.categories.prefetch_related("nominations__films", "nominations__people")
    )
    # Each category's nominations as this import leaves them, and the films they name.
    nominations_of = {c.pk: list(c.nominations.all()) for c in categories}
    films_of = {
        c.pk: {f.pk for n in nominations_of[c.pk] for f in n.films.all()} for c in categories
    }
    writes = _Writes()
    # Categories whose competitive flag, canonical name or tie changed.
    changed_categories: set[int] = set()
    max_order = max((c.order for c in categories), default=0)
    positions: list[Category] = []
    for category_spec, category_films in zip(spec.categories, films, strict=True):
        film_ids = {f.pk for fs in category_films for f in fs}
        category = _category_match(categories, category_spec, film_ids, films_of)
        if category is None:
            max_order += 1
            category = Category.objects.create(
                ceremony=ceremony,
                name=category_spec.name,
                slug=_category_slug(categories, category_spec.name),
                canonical_name=category_spec.canonical,
                order=max_order,
                competitive=category_spec.competitive is not False,
            )
            categories.append(category)
            nominations_of[category.pk], films_of[category.pk] = [], set()
            summary.categories_created += 1
        elif _category_update(category, category_spec):
            changed_categories.add(category.pk)
            summary.categories_changed += 1
        positions.append(category)
        field_name = work_field(category.name, category.competitive)
        existing = nominations_of[category.pk]
        taken: set[int] = set()
        winners: list[Nomination] = []
        new_winner = False
        for n_order, (nomination_spec, nomination_films) in enumerate(
            zip(category_spec.nominations, category_films, strict=True), start=1
        ):
            credit = Credit(frozenset(f.pk for f in nomination_films), field_name, year)
            people = list(
                {
                    id(p): p
                    for p in (
                        identities.person(r.name, r.imdb_id, credit) for r in nomination_spec.people
                    )
                }.values()
            )
            nomination = _nomination_match(existing, nomination_spec, credit.film_ids, taken)
            if nomination is None:
                nomination = Nomination(
                    category=category,
                    nominee=nomination_spec.nominee,
                    detail=nomination_spec.detail,
                    film_title=" / ".join(f.title for f in nomination_spec.films)[:600],
                    note=nomination_spec.note,
                    order=n_order if spec.curated else len(existing) + 1,
                    won=nomination_spec.won and spec.has_results and not live,
                )
                existing.append(nomination)
                writes.new.append((nomination, nomination_films, people))
                summary.nominations_created += 1
                new_winner = new_winner or nomination.won
            else:
                taken.add(nomination.pk)
                if writes.complete(nomination, nomination_spec, nomination_films, people, spec):
                    summary.nominations_updated += 1
                else:
                    summary.nominations_unchanged += 1
                if spec.curated and nomination.order != n_order:
                    writes.fields[nomination].add("order")
                    nomination.order = n_order
            if nomination_spec.won:
                winners.append(nomination)
        if spec.has_results and not live:
            writes.results.append((category, category_spec, winners, existing))
            summary.results_changed += new_winner and not created
    identities.flush()
    writes.save()
    for category, category_spec, winners, nominations in writes.results:
        winners_changed, tie_changed = _results_set(category, category_spec, winners, nominations)
        summary.results_changed += winners_changed
        if tie_changed and category.pk not in changed_categories:
            changed_categories.add(category.pk)
            summary.categories_changed += 1
    if spec.curated:
        summary.details_changed += _order_set(ceremony, positions)
    if spec.has_results and ceremony.status == Ceremony.Status.DRAFT and spec.decided:
        ceremony.status = Ceremony.Status.FINAL
        ceremony.save(update_fields=["status", "updated_at"])
        summary.details_changed += not created

    summary.precursor_links = precursors_update(
        ceremony=ceremony,
        results_changed=bool(summary.results_changed and not created),
        editor=editor,
        actor=actor,
        source=spec.source,
    )
    if summary.changed:
        version_bump(
            ceremony,
            AuditEntry.Action.IMPORT,
            Who(editor, actor),
            after={
                "source": spec.source,
                "categories_created": summary.categories_created,
                "categories_changed": summary.categories_changed,
                "nominations_created": summary.nominations_created,
                "nominations_updated": summary.nominations_updated,
                "results_changed": summary.results_changed,
            },
        )
    return summary


def _ceremony_create(spec: CeremonySpec, body: AwardBody) -> Ceremony:
    slug = slug_base(spec.name)
    taken = Ceremony.objects.filter(slug=slug).first()
    if taken:
        raise ServiceError(
            f"{spec.source}: the name {spec.name!r} is already taken by {taken.body} edition "
            f"{taken.edition}; check the file's name, body and edition."
        )
    return Ceremony.objects.create(
        body=body,
        edition=spec.edition,
        name=spec.name,
        slug=slug,
        date=spec.date,
        date_exact=spec.date_exact,
        film_year=spec.film_year,
        venue=spec.venue,
        time_zone=body.time_zone,
        film_only=spec.film_only,
    )


def _details_merge(ceremony: Ceremony, spec: CeremonySpec) -> int:
    """An exact date replaces a year-only one; a venue or film year fills a blank."""
    fields = []
    if spec.date_exact and (not ceremony.date_exact or ceremony.date != spec.date):
        ceremony.date, ceremony.date_exact = spec.date, True
        fields += ["date", "date_exact"]
    if spec.venue and not ceremony.venue:
        ceremony.venue = spec.venue
        fields.append("venue")
    if spec.film_year and not ceremony.film_year:
        ceremony.film_year = spec.film_year
        fields.append("film_year")
    if fields:
        ceremony.save(update_fields=[*fields, "updated_at"])
    return bool(fields)


def _category_slug(categories: list[Category], name: str) -> str:
    base = slug_base(name)
    taken = {c.slug for c in categories}
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _category_match(
    categories: list[Category], spec: CategorySpec, film_ids: set[int], films_of: dict
) -> Category | None:
    """The ceremony's category these nominations belong to: the same name, the same canonical
    name, or, for one listed under other names, the one sharing most of its films."""
    slug = slugify(spec.name, allow_unicode=True)
    for category in categories:
        if category.slug == slug or name_key(category.name) == name_key(spec.name):
            return category
    if spec.canonical:
        for category in categories:
            if category.canonical_name == spec.canonical:
                return category
    best, best_overlap = None, 0
    for category in categories:
        overlap = len(films_of[category.pk] & film_ids)
        if overlap > best_overlap:
            best, best_overlap = category, overlap
    if best is not None and best_overlap * 2 >= max(len(film_ids), 1):
        return best
    return None


def _category_update(category: Category, spec: CategorySpec) -> bool:
    fields = {}
    if spec.canonical and category.canonical_name != spec.canonical:
        fields["canonical_name"] = spec.canonical
    if spec.competitive is not None and category.competitive != spec.competitive:
        fields["competitive"] = spec.competitive
    if fields:
        Category.objects.filter(pk=category.pk).update(**fields)
        for attr, value in fields.items():
            setattr(category, attr, value)
    return bool(fields)


def _nomination_match(
    nominations: list[Nomination], spec: NominationSpec, film_ids: frozenset, taken: set[int]
) -> Nomination | None:
    """The existing nomination this one is: the same film(s), then the same nominee or song,
    then the most people in common."""
    nominee_key = name_key(spec.nominee)
    # Saved nominations only: two rows of one file are two nominations.
    candidates = [
        n
        for n in nominations
        if n.pk is not None
        and n.pk not in taken
        and (
            {f.pk for f in n.films.all()} & film_ids
            or (not film_ids and name_key(n.nominee) == nominee_key)
        )
    ]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    people_keys = {name_key(p.name) for p in spec.people}

    def score(n: Nomination) -> tuple:
        return (
            name_key(n.nominee) == nominee_key,
            bool(spec.detail) and name_key(n.detail) == name_key(spec.detail),
            len({p.key for p in n.people.all()} & people_keys),
        )

    best = max(candidates, key=score)
    return best if any(score(best)) else None


class _Writes:
    """What one ceremony's import writes, gathered so it is written in bulk."""

    def __init__(self):
        self.new: list[tuple[Nomination, list[Film], list[Person]]] = []
        self.film_links: list[tuple[int, int]] = []
        self.people_links: list[tuple[int, Person]] = []
        self.fields: dict[Nomination, set[str]] = defaultdict(set)
        self.results: list[tuple[Category, CategorySpec, list[Nomination], list[Nomination]]] = []

    def complete(
        self,
        nomination: Nomination,
        spec: NominationSpec,
        films: list[Film],
        people: list[Person],
        ceremony_spec: CeremonySpec,
    ) -> bool:
        """Add what the existing nomination lacks; a curated source also sets its wording."""
        have_films = {f.pk for f in nomination.films.all()}
        have_people = {p.pk for p in nomination.people.all()}
        missing_films = [f for f in films if f.pk not in have_films]
        missing_people = [p for p in people if p.pk is None or p.pk not in have_people]
        self.film_links += [(nomination.pk, f.pk) for f in missing_films]
        self.people_links += [(nomination.pk, p) for p in missing_people]
        # A curated source sets the wording; a listing only fills what is blank.
        wording = {"note": spec.note, "nominee": spec.nominee, "detail": spec.detail}
        for name, value in wording.items():
            current = getattr(nomination, name)
            settable = ceremony_spec.curated or name == "note" or not current
            if settable and value and current != value:
                setattr(nomination, name, value)
                self.fields[nomination].add(name)
        return bool(missing_films or missing_people or self.fields.get(nomination))

    def save(self) -> None:
        Nomination.objects.bulk_create([n for n, _, _ in self.new], batch_size=500)
        for nomination, films, people in self.new:
            self.film_links += [(nomination.pk, f.pk) for f in films]
            self.people_links += [(nomination.pk, p) for p in people]
        for nomination, names in self.fields.items():
            Nomination.objects.filter(pk=nomination.pk).update(
                **{name: getattr(nomination, name) for name in names}
            )
        FilmLink, PersonLink = Nomination.films.through, Nomination.people.through
        FilmLink.objects.bulk_create(
            [FilmLink(nomination_id=n, film_id=f) for n, f in set(self.film_links)],
            batch_size=1000,
            ignore_conflicts=True,
        )
        PersonLink.objects.bulk_create(
            [
                PersonLink(nomination_id=n, person_id=p.pk)
                for n, p in {(n, p.pk): (n, p) for n, p in self.people_links}.values()
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )


def _results_set(
    category: Category, spec: CategorySpec, winners: list[Nomination], nominations: list[Nomination]
) -> tuple[bool, bool]:
    """The category's winners as the source states them; a tie only where it says so. New
    nominations were created with their flag already; only a change costs a query. Returns
    whether the winners changed, and whether the tie did."""
    tie = bool(category.competitive and spec.tie and len(winners) > 1)
    wanted = {id(n) for n in winners}
    wrong = [n for n in nominations if n.won != (id(n) in wanted)]
    if wrong:
        for won in (True, False):
            Nomination.objects.filter(pk__in=[n.pk for n in wrong if n.won != won]).update(won=won)
        for n in wrong:
            n.won = not n.won
    tie_changed = category.is_tie != tie
    if tie_changed:
        Category.objects.filter(pk=category.pk).update(is_tie=tie)
        category.is_tie = tie
    return bool(wrong), tie_changed


def _order_set(ceremony: Ceremony, positions: list[Category]) -> bool:
    """The curated running order: the file's categories first, in its order, then the rest
    as they were."""
    listed = list(dict.fromkeys(c.pk for c in positions))
    rest = [
        pk for pk in ceremony.categories.in_order().values_list("pk", flat=True) if pk not in listed
    ]
    order = listed + rest
    current = list(ceremony.categories.in_order().values_list("pk", flat=True))
    orders = dict(ceremony.categories.values_list("pk", "order"))
    if current == order and all(orders[pk] == i for i, pk in enumerate(order, start=1)):
        return False
    for number, pk in enumerate(order, start=1):
        if orders[pk] != number:
            Category.objects.filter(pk=pk).update(order=number)
    return current != order
