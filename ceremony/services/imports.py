"""The import writers: a ceremony from the JSON format, and a ceremony's rows from the CSVs."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from ceremony.importers.json_file import validate_ceremony_data
from ceremony.importers.oscars_csv import first_year
from ceremony.importers.rows import ImportProblem, Row
from ceremony.models import AuditEntry, AwardBody, Category, Ceremony, Film, Nomination, Person
from ceremony.services.identities import Identities, film_resolve, person_resolve, unique_slug
from ceremony.services.precursors import precursors_update
from ceremony.services.results import set_winners
from ceremony.services.versioning import ServiceError, version_bump
from ceremony.text import is_song_category, name_key, split_credit


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
    try:
        validate_ceremony_data(data, source=source)
    except ImportProblem as exc:
        raise ServiceError(str(exc)) from None
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
                song = is_song_category(name)
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
                set_winners(category, list(Nomination.objects.filter(pk__in=winners)))
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
        version_bump(
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


@dataclass
class CeremonySummary:
    ceremony: Ceremony
    created: bool
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    results_changed: int = 0
    # Categories whose competitive flag, canonical name or tie changed.
    categories_changed: int = 0
    precursor_links: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.imported
            or self.updated
            or self.results_changed
            or self.categories_changed
            or self.precursor_links
        )


def _category_for(
    existing: list[Category], prefetched: set[int], name: str, canonical: str, film_keys: set[str]
) -> Category | None:
    """The ceremony's category these rows belong to: same name, same canonical name, or, for a
    ceremony first imported from JSON under other names, the one sharing most of its films."""
    slug = slugify(name)
    for category in existing:
        if category.slug == slug:
            return category
    if canonical:
        for category in existing:
            if category.canonical_name == canonical:
                return category
    best, best_overlap = None, 0
    for category in existing:
        if category.pk not in prefetched:
            continue
        keys = {f.key for n in category.nominations.all() for f in n.films.all()}
        overlap = len(keys & film_keys)
        if overlap > best_overlap:
            best, best_overlap = category, overlap
    if best is not None and best_overlap * 2 >= max(len(film_keys), 1):
        return best
    return None


def _match(nominations: list[Nomination], row: Row, taken: set[int]) -> Nomination | None:
    """The existing nomination this row is: same film(s), then the same nominee or song."""
    film_keys = {name_key(t) for t, _ in row.films}
    nominee_key = name_key(row.nominee)
    people_keys = {name_key(n) for n, _ in row.people}
    candidates = [
        n
        for n in nominations
        if n.pk not in taken
        and (
            {f.key for f in n.films.all()} & film_keys
            or (not film_keys and name_key(n.nominee) == nominee_key)
        )
    ]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None

    def score(n: Nomination) -> tuple:
        return (
            name_key(n.nominee) == nominee_key,
            bool(row.detail) and name_key(n.detail) == name_key(row.detail),
            len({p.key for p in n.people.all()} & people_keys),
        )

    best = max(candidates, key=score)
    return best if any(score(best)) else None


@transaction.atomic
def ceremony_rows_import(
    *,
    body: AwardBody,
    edition: int,
    name: str,
    date: dt.date,
    rows: list[Row],
    identities: Identities,
    source: str,
    actor: str = "import",
) -> CeremonySummary:
    """Write one ceremony's rows (a second run changes nothing); merge with what is there."""
    ceremony = Ceremony.objects.select_for_update().filter(body=body, edition=edition).first()
    created = ceremony is None
    if created:
        ceremony = Ceremony.objects.create(
            body=body,
            edition=edition,
            name=name,
            slug=unique_slug(Ceremony, slugify(name)),
            date=date,
            film_year=rows[0].film_year,
            time_zone=body.time_zone,
        )
    summary = CeremonySummary(ceremony=ceremony, created=created)
    live = ceremony.status == Ceremony.Status.LIVE
    if live:
        summary.notes.append(
            f"{ceremony.name} is live: nominees merged, results left to the live desk."
        )
    existing = list(
        ceremony.categories.prefetch_related("nominations__films", "nominations__people")
    )
    prefetched = {c.pk for c in existing}

    # Resolve every identity first, so new films and people are created in one go.
    year = first_year(rows[0].film_year)
    resolved = [
        (
            row,
            [identities.film(t, year, i) for t, i in row.films],
            list(
                {
                    p.pk or id(p): p for p in (identities.person(n, i) for n, i in row.people)
                }.values()
            ),
        )
        for row in rows
    ]
    identities.flush()

    groups: dict[str, list] = defaultdict(list)
    for item in resolved:
        groups[item[0].category].append(item)
    new_nominations: list[tuple[Nomination, list[Film], list[Person]]] = []
    film_links, people_links = [], []
    results: list[tuple[Category, list[Nomination], set[int], int]] = []
    max_order = max((c.order for c in existing), default=0)
    changed_categories: set[int] = set()
    for name_, items in groups.items():
        first = items[0][0]
        film_keys = {f.key for _, films, _ in items for f in films}
        category = _category_for(existing, prefetched, name_, first.canonical, film_keys)
        if category is None:
            max_order += 1
            category = Category.objects.create(
                ceremony=ceremony,
                name=name_,
                slug=slugify(name_),
                canonical_name=first.canonical,
                order=max_order,
                competitive=first.competitive,
            )
            existing.append(category)
            nominations = []
        else:
            nominations = list(category.nominations.all())
            fields = {}
            if first.canonical and category.canonical_name != first.canonical:
                fields["canonical_name"] = first.canonical
            if category.competitive != first.competitive:
                fields["competitive"] = first.competitive
            if fields:
                Category.objects.filter(pk=category.pk).update(**fields)
                # The tie below is worked out from the new flag.
                for attr, value in fields.items():
                    setattr(category, attr, value)
                changed_categories.add(category.pk)
        taken: set[int] = set()
        winner_pks: set[int] = set()
        new_winners = 0
        order = max((n.order for n in nominations), default=0)
        for row, films, people in items:
            nomination = _match(nominations, row, taken)
            if nomination is None:
                order += 1
                nomination = Nomination(
                    category=category,
                    nominee=row.nominee,
                    detail=row.detail,
                    film_title=" / ".join(t for t, _ in row.films)[:600],
                    order=order,
                    won=row.won and not live,
                )
                new_nominations.append((nomination, films, people))
                summary.imported += 1
                new_winners += row.won
                continue
            taken.add(nomination.pk)
            have_films = {f.pk for f in nomination.films.all()}
            have_people = {p.pk for p in nomination.people.all()}
            missing_films = [f for f in films if f.pk not in have_films]
            missing_people = [p for p in people if p.pk not in have_people]
            film_links += [(nomination.pk, f.pk) for f in missing_films]
            people_links += [(nomination.pk, p.pk) for p in missing_people]
            if missing_films or missing_people:
                summary.updated += 1
            else:
                summary.unchanged += 1
            if row.won:
                winner_pks.add(nomination.pk)
        results.append((category, nominations, winner_pks, new_winners))

    Nomination.objects.bulk_create([n for n, _, _ in new_nominations], batch_size=500)
    for nomination, films, people in new_nominations:
        film_links += [(nomination.pk, f.pk) for f in films]
        people_links += [(nomination.pk, p.pk) for p in people]
    FilmLink, PersonLink = Nomination.films.through, Nomination.people.through
    FilmLink.objects.bulk_create(
        [FilmLink(nomination_id=n, film_id=f) for n, f in film_links], batch_size=1000
    )
    PersonLink.objects.bulk_create(
        [PersonLink(nomination_id=n, person_id=p) for n, p in people_links], batch_size=1000
    )

    decided = True
    for category, nominations, winner_pks, new_winners in results:
        tie = category.competitive and len(winner_pks) + new_winners > 1
        if category.competitive and not (winner_pks or new_winners):
            decided = False
        if live:
            continue
        current = {n.pk for n in nominations if n.won}
        if current != winner_pks:
            Nomination.objects.filter(pk__in=current - winner_pks).update(won=False)
            Nomination.objects.filter(pk__in=winner_pks - current).update(won=True)
            summary.results_changed += 1
        if category.is_tie != tie:
            Category.objects.filter(pk=category.pk).update(is_tie=tie)
            changed_categories.add(category.pk)
    summary.categories_changed = len(changed_categories)
    if decided and ceremony.status == Ceremony.Status.DRAFT and any(r.won for r in rows):
        ceremony.status = Ceremony.Status.FINAL
        ceremony.save(update_fields=["status", "updated_at"])

    summary.precursor_links = precursors_update(
        ceremony=ceremony,
        results_changed=bool(summary.results_changed and not summary.created),
        editor=None,
        actor=actor,
        source=source,
    )
    if summary.changed:
        version_bump(
            ceremony,
            action=AuditEntry.Action.IMPORT,
            editor=None,
            actor=actor,
            after={
                "source": source,
                "rows_imported": summary.imported,
                "rows_updated": summary.updated,
                "results_changed": summary.results_changed,
                "categories_changed": summary.categories_changed,
            },
        )
    return summary


def body_named(name: str) -> AwardBody:
    body, _ = AwardBody.objects.get_or_create(name=name, defaults={"slug": slugify(name)})
    return body
