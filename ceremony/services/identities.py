"""Films and people: who a credit is. One set of rules, cached in memory for a bulk import
(`Identities`) or used one credit at a time (`film_resolve`, `person_resolve`).

IMDb ids first. A credit without one is resolved by evidence, never by recency: the person
credited on the same film, then the same field of work and era, else a new person. Films of
different bodies are joined by their titles' keys within a year (`ceremony.text.title_keys`).
Every other spelling seen for one identity is kept as an alias. docs/archive.md has the rules
and what is left for a person to decide; `people_reconcile` makes the result independent of
which file came first.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from ceremony.models import AuditEntry, Film, FilmAlias, Nomination, Person, PersonAlias
from ceremony.services.versioning import ServiceError, ceremony_touch
from ceremony.text import (
    field_of,
    is_latin,
    loose_name_key,
    name_key,
    title_keys,
    title_part_keys,
    title_spaced_keys,
)

# Credits this many years apart in one field are one career.
SAME_ERA_YEARS = 15
# A lone namesake in another field is the same person only this close in time.
OTHER_FIELD_YEARS = 10
HONORARY = "honorary"


def clipped_keys(name: str) -> set[str]:
    """The name's key with one word's final letter dropped, words of four letters or more
    only: "jocelyn lagarde" and "jocelyne lagard" for "Jocelyne Lagarde". Only ever used with
    strict evidence (the same film, or the same field and years)."""
    words = name_key(name).split()
    return {
        " ".join([*words[:i], word[:-1], *words[i + 1 :]])
        for i, word in enumerate(words)
        if len(word) >= 4 and word.isalpha()
    }


def slug_base(text: str) -> str:
    """A slug for any name, never empty: Latin names in ASCII ("emilia-perez"), names in other
    scripts in their own letters ("東京物語")."""
    latin = all(is_latin(ch) for ch in text if ch.isalpha())
    slug = slugify(text) if latin else slugify(text, allow_unicode=True)
    return (slug or slugify(text, allow_unicode=True) or "untitled")[:300]


def unique_slug(base: str, taken: set[str]) -> str:
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


@dataclass(frozen=True)
class Credit:
    """What is known of a credit besides the name: its nomination's films (saved, with pks),
    the field of work of its category, the films' year, and whether it was competitive."""

    film_ids: frozenset[int]
    field: str
    year: int

    @classmethod
    def of(cls, nomination: Nomination, film_ids=None) -> "Credit":
        category = nomination.category
        return cls(
            film_ids=frozenset(
                film_ids if film_ids is not None else (f.pk for f in nomination.films.all())
            ),
            field=work_field(category.name, category.competitive),
            year=int(category.ceremony.film_year[:4] or category.ceremony.date.year - 1),
        )


def _words(title: str) -> tuple[str, ...]:
    """A title's words in any order, articles aside: for near misses only."""
    return tuple(sorted(set(name_key(title).split()) - {"the", "a", "an"}))


def work_field(category_name: str, competitive: bool) -> str:
    return field_of(category_name) if competitive else HONORARY


@dataclass
class Evidence:
    """A person's credits as far as telling namesakes apart needs them."""

    film_ids: set[int] = field(default_factory=set)
    work: set[tuple[str, int]] = field(default_factory=set)

    def add(self, credit: Credit) -> None:
        self.film_ids |= credit.film_ids
        self.work.add((credit.field, credit.year))

    def same_film(self, credit: Credit) -> bool:
        return bool(self.film_ids & credit.film_ids)

    def same_field_and_era(self, credit: Credit) -> bool:
        return any(
            f == credit.field and abs(y - credit.year) <= SAME_ERA_YEARS for f, y in self.work
        )

    def near_in_time(self, credit: Credit) -> bool:
        return any(abs(y - credit.year) <= OTHER_FIELD_YEARS for _, y in self.work)

    def plausible(self, credit: Credit) -> bool:
        """A lone namesake: the same field at any time, an honorary award on either side, or
        another field within a few years."""
        return not self.work or any(
            f == credit.field
            or HONORARY in (f, credit.field)
            or abs(y - credit.year) <= OTHER_FIELD_YEARS
            for f, y in self.work
        )


class Identities:
    """Films and people in memory, so a 12,000-row file costs a few queries per ceremony.
    New rows are created in bulk by `flush()`; a ceremony whose transaction rolled back calls
    `reload()`."""

    def __init__(self):
        self.reload()

    # --- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        self.films_by_imdb: dict[str, Film] = {}
        self.films_by_key: dict[str, list[Film]] = defaultdict(list)
        self.films_by_spaced_key: dict[str, list[Film]] = defaultdict(list)
        self.films_by_part: dict[str, list[Film]] = defaultdict(list)
        self.films_by_words: dict[tuple[str, ...], list[Film]] = defaultdict(list)
        self.film_keys: dict[int, set[str]] = defaultdict(set)  # id(film) -> name keys
        self.people_by_imdb: dict[str, Person] = {}
        self.people_by_key: dict[str, list[Person]] = defaultdict(list)
        self.people_by_loose_key: dict[str, list[Person]] = defaultdict(list)
        # By the keys of their name with one word's final letter dropped ("jocelyn lagarde"
        # for "Jocelyne Lagarde"): the other spelling's key finds them.
        self.people_by_clipped_key: dict[str, list[Person]] = defaultdict(list)
        self.person_keys: dict[int, set[str]] = defaultdict(set)  # id(person) -> name keys
        self.evidence: dict[int, Evidence] = defaultdict(Evidence)  # id(person) ->
        self.new_films: list[Film] = []
        self.new_people: list[Person] = []
        self.new_film_aliases: list[tuple[Film, str]] = []
        self.new_person_aliases: list[tuple[Person, str]] = []
        self.near_misses: list[str] = []

        films = {f.pk: f for f in Film.objects.only("pk", "title", "slug", "imdb_id", "year")}
        for film in films.values():
            self._index_film(film, film.title)
        for film_id, title in FilmAlias.objects.values_list("film_id", "title"):
            self._index_film(films[film_id], title)
        people = {p.pk: p for p in Person.objects.only("pk", "name", "slug", "imdb_id", "key")}
        for person in people.values():
            self._index_person(person, person.name)
        for person_id, name in PersonAlias.objects.values_list("person_id", "name"):
            self._index_person(people[person_id], name)
        self.film_slugs = {f.slug for f in films.values()}
        self.person_slugs = {p.slug for p in people.values()}

        films_of = defaultdict(set)
        for nomination_id, film_id in Nomination.films.through.objects.values_list(
            "nomination_id", "film_id"
        ):
            films_of[nomination_id].add(film_id)
        for (
            person_id,
            nomination_id,
            name,
            competitive,
            film_year,
            date,
        ) in Nomination.people.through.objects.values_list(
            "person_id",
            "nomination_id",
            "nomination__category__name",
            "nomination__category__competitive",
            "nomination__category__ceremony__film_year",
            "nomination__category__ceremony__date",
        ):
            year = int(film_year[:4]) if film_year[:4].isdigit() else date.year - 1
            self.evidence[id(people[person_id])].add(
                Credit(frozenset(films_of[nomination_id]), work_field(name, competitive), year)
            )

    def _index_film(self, film: Film, title: str) -> None:
        if film.imdb_id:
            self.films_by_imdb[film.imdb_id] = film
        for key in title_keys(title):
            if film not in self.films_by_key[key]:
                self.films_by_key[key].append(film)
        for key in title_spaced_keys(title):
            if film not in self.films_by_spaced_key[key]:
                self.films_by_spaced_key[key].append(film)
        for key in title_part_keys(title):
            if film not in self.films_by_part[key]:
                self.films_by_part[key].append(film)
        self.film_keys[id(film)].add(name_key(title))
        self.films_by_words[_words(title)].append(film)

    def _index_person(self, person: Person, name: str) -> None:
        if person.imdb_id:
            self.people_by_imdb[person.imdb_id] = person
        key = name_key(name)
        if person not in self.people_by_key[key]:
            self.people_by_key[key].append(person)
        loose = loose_name_key(name)
        if person not in self.people_by_loose_key[loose]:
            self.people_by_loose_key[loose].append(person)
        for clipped in clipped_keys(name):
            if person not in self.people_by_clipped_key[clipped]:
                self.people_by_clipped_key[clipped].append(person)
        self.person_keys[id(person)].add(key)

    # --- films ---------------------------------------------------------------------------

    def film(self, title: str, year: int | None, imdb_id: str | None = None) -> Film:
        """The film this listing is: by IMDb id; else a film whose title joins this one within
        a year (an id'd listing adopts a film known by its title only); else a new film."""
        if imdb_id and imdb_id in self.films_by_imdb:
            film = self.films_by_imdb[imdb_id]
            if film.title == imdb_id and title != imdb_id:
                self._film_title_given(film, title)
            elif title != imdb_id:
                self._film_alias(film, title)
            return film
        candidates = self._film_candidates(title, year)
        if imdb_id:
            unidentified = [f for f in candidates if not f.imdb_id]
            if unidentified:
                film = unidentified[0]
                # The id'd listing names the film; the other title stays as an alias.
                old_title = film.title
                film.imdb_id, film.title, film.year = imdb_id, title, year or film.year
                film.key = name_key(title)
                if film.pk:
                    Film.objects.filter(pk=film.pk).update(
                        imdb_id=imdb_id, title=title, key=name_key(title), year=film.year
                    )
                self._index_film(film, title)
                self._film_alias(film, old_title)
                return film
        elif candidates:
            film = candidates[0]
            self._film_alias(film, title)
            return film
        elif year is not None:
            self._note_near_miss(title, year)
        film = Film(
            title=title,
            key=name_key(title),
            year=year,
            imdb_id=imdb_id or None,
            slug=unique_slug(slug_base(title + (f" {year}" if year else "")), self.film_slugs),
        )
        self.new_films.append(film)
        self._index_film(film, title)
        return film

    def _film_title_given(self, film: Film, title: str) -> None:
        """A film known by its IMDb id only (the IMDb awards files name no titles) takes the
        title a later listing gives it, on its page and on the rows that showed the id."""
        film.title, film.key = title, name_key(title)
        if film.pk:
            Film.objects.filter(pk=film.pk).update(title=title, key=film.key)
            Nomination.objects.filter(films=film, film_title=film.imdb_id).update(
                film_title=title[:600]
            )
        self._index_film(film, title)

    def _film_candidates(self, title: str, year: int | None) -> list[Film]:
        """Films this title joins, best first: the whole title in the same year, then within a
        year; then, in the same year only, one listing's part against the other's whole title."""
        keys = title_keys(title)
        whole = {id(f): f for k in keys for f in self.films_by_key.get(k, ())}.values()

        def near(films, spread):
            return [
                f for f in films if year is None or f.year is None or abs(f.year - year) <= spread
            ]

        found = near(whole, 0) or near(whole, 1)
        if not found and year is not None:
            parts = [f for k in title_part_keys(title) for f in self.films_by_spaced_key.get(k, ())]
            parts += [f for k in title_spaced_keys(title) for f in self.films_by_part.get(k, ())]
            found = list({id(f): f for f in near(parts, 0)}.values())
        folded = name_key(title)
        return sorted(
            found,
            key=lambda f: (
                folded not in self.film_keys[id(f)],
                f.year != year,
                not f.imdb_id,
                f.pk or 0,
            ),
        )

    def _note_near_miss(self, title: str, year: int) -> None:
        """A title that joined nothing but shares every word with a film of the same years:
        printed by the importers, for a person to decide ("The Road a Year Long")."""
        for film in self.films_by_words.get(_words(title), ()):
            if film.year is not None and abs(film.year - year) <= 1:
                self.near_misses.append(
                    f"not joined: {title!r} ({year}) and {film.title!r} ({film.year})"
                )
                return

    def _film_alias(self, film: Film, title: str) -> None:
        key = name_key(title)
        if key not in self.film_keys[id(film)]:
            self._index_film(film, title)
            self.new_film_aliases.append((film, title))

    # --- people --------------------------------------------------------------------------

    def person(self, name: str, imdb_id: str | None, credit: Credit) -> Person:
        """The person this credit names: by IMDb id; else, among the people known by this name
        or an alias of it, the one the evidence points to (id'd people first); else a new one."""
        if imdb_id and imdb_id in self.people_by_imdb:
            person = self.people_by_imdb[imdb_id]
            self._person_alias(person, name)
        elif imdb_id:
            # Name-only namesakes are not adopted here but credit by credit, once the whole
            # file is in (`people_reconcile`), so the order of imports does not matter.
            person = self._new_person(name, imdb_id)
        else:
            identified, strict = self.identified_namesakes(name)
            namesakes = self.people_by_key.get(name_key(name), [])
            person = self.by_evidence(identified, credit, strict=strict) or self.by_evidence(
                [p for p in namesakes if not p.imdb_id], credit
            )
            if person is None:
                if strict == "film" and identified:
                    self.near_misses.append(
                        f"not joined: {name!r} and {identified[0].name!r} "
                        f"({identified[0].imdb_id}): a letter apart, no film in common"
                    )
                person = self._new_person(name, None)
            else:
                self._person_alias(person, name)
        self.evidence[id(person)].add(credit)
        return person

    def identified_namesakes(self, name: str) -> tuple[list[Person], bool | str]:
        """The people with IMDb ids known by this name or an alias of it; failing those, by
        its loose key ("J. Carroll Naish"), which then needs strict evidence (True); failing
        those, a final letter apart ("Jocelyn Lagarde"), which needs the same film ("film")."""
        same = [p for p in self.people_by_key.get(name_key(name), []) if p.imdb_id]
        if same:
            return same, False
        loose = [p for p in self.people_by_loose_key.get(loose_name_key(name), []) if p.imdb_id]
        if loose:
            return loose, True
        # A name spelled with and without a final letter ("Jocelyn" and "Jocelyne Lagarde").
        clipped = [p for k in clipped_keys(name) for p in self.people_by_key.get(k, ())]
        clipped += self.people_by_clipped_key.get(name_key(name), [])
        return list({id(p): p for p in clipped if p.imdb_id}.values()), "film"

    def by_evidence(
        self, candidates: list[Person], credit: Credit, *, strict: bool | str = False
    ) -> Person | None:
        """The candidate credited on the same film; else in the same field and era; else (not
        when `strict`) the only one active within a few years, or a lone plausible one."""
        if not candidates:
            return None
        evidence = [(p, self.evidence[id(p)]) for p in candidates]
        same_film = [p for p, e in evidence if e.same_film(credit)]
        if same_film:
            return min(same_film, key=lambda p: (not self._in_field(p, credit), p.pk or 0))
        if strict == "film":  # a spelling a letter apart: the same film or no one
            return None
        same_era = [p for p, e in evidence if e.same_field_and_era(credit)]
        if same_era:
            return min(same_era, key=lambda p: (self._distance(p, credit), p.pk or 0))
        if strict:
            return None
        # An honorary award or another field: the one namesake active within a few years.
        near = [p for p, e in evidence if e.near_in_time(credit)]
        if len(near) == 1:
            return near[0]
        if not strict and len(candidates) == 1 and evidence[0][1].plausible(credit):
            return candidates[0]
        return None

    def _in_field(self, person: Person, credit: Credit) -> bool:
        return any(f == credit.field for f, _ in self.evidence[id(person)].work)

    def _distance(self, person: Person, credit: Credit) -> int:
        return min(
            abs(y - credit.year) for f, y in self.evidence[id(person)].work if f == credit.field
        )

    def _new_person(self, name: str, imdb_id: str | None) -> Person:
        person = Person(
            name=name,
            key=name_key(name),
            imdb_id=imdb_id,
            slug=unique_slug(slug_base(name), self.person_slugs),
        )
        self.new_people.append(person)
        self._index_person(person, name)
        return person

    def _person_alias(self, person: Person, name: str) -> None:
        if name_key(name) not in self.person_keys[id(person)]:
            self._index_person(person, name)
            self.new_person_aliases.append((person, name))

    def aliases_add(self, aliases: dict[str, set[str]]) -> None:
        """Other spellings a file gives for IMDb ids (oscars.csv credits one person several
        ways): kept as aliases of the people with those ids."""
        for imdb_id, names in aliases.items():
            person = self.people_by_imdb.get(imdb_id)
            if person is not None:
                for name in sorted(names):
                    self._person_alias(person, name)

    # --- writing -------------------------------------------------------------------------

    def flush(self) -> None:
        """Create what is new, in bulk."""
        if self.new_films:
            Film.objects.bulk_create(self.new_films, batch_size=500)
            self.new_films = []
        if self.new_people:
            Person.objects.bulk_create(self.new_people, batch_size=500)
            self.new_people = []
        if self.new_film_aliases:
            FilmAlias.objects.bulk_create(
                [
                    FilmAlias(film=f, title=t[:300], key=name_key(t)[:300])
                    for f, t in self.new_film_aliases
                    if name_key(t) != name_key(f.title)
                ],
                batch_size=500,
                ignore_conflicts=True,
            )
            self.new_film_aliases = []
        if self.new_person_aliases:
            PersonAlias.objects.bulk_create(
                [
                    PersonAlias(person=p, name=n[:300], key=name_key(n)[:300])
                    for p, n in self.new_person_aliases
                    if name_key(n) != p.key
                ],
                batch_size=500,
                ignore_conflicts=True,
            )
            self.new_person_aliases = []


@transaction.atomic
def people_reconcile(*, identities: Identities) -> set[int]:
    """Give each credit of a name-only person to the identified namesake the evidence points
    to, credit by credit, person by person, in the order the ceremonies were held; a name-only
    person left with no credit is removed (its spelling kept as an alias). Returns the ids of
    the ceremonies whose credits moved. A few queries in all, however many credits move."""
    identities.flush()
    PersonLink, FilmLink = Nomination.people.through, Nomination.films.through
    candidates = {}
    for people in identities.people_by_key.values():
        for person in people:
            if not person.imdb_id and person.pk not in candidates:
                identified, strict = identities.identified_namesakes(person.name)
                if identified:
                    candidates[person.pk] = (person, identified, strict)
    if not candidates:
        return set()
    links = list(
        PersonLink.objects.filter(person_id__in=list(candidates)).values_list(
            "id",
            "person_id",
            "nomination_id",
            "nomination__category__name",
            "nomination__category__competitive",
            "nomination__category__ceremony_id",
            "nomination__category__ceremony__film_year",
            "nomination__category__ceremony__date",
        )
    )
    nomination_ids = {link[2] for link in links}
    films_of = defaultdict(set)
    for nomination_id, film_id in FilmLink.objects.filter(
        nomination_id__in=nomination_ids
    ).values_list("nomination_id", "film_id"):
        films_of[nomination_id].add(film_id)
    linked = set(
        PersonLink.objects.filter(nomination_id__in=nomination_ids).values_list(
            "nomination_id", "person_id"
        )
    )
    left = Counter(link[1] for link in links)
    moved, created, heirs, touched = [], [], {}, set()
    for (
        link_id,
        person_id,
        nomination_id,
        name,
        competitive,
        ceremony_id,
        film_year,
        date,
    ) in sorted(links, key=lambda link: (link[1], link[7], link[2])):
        person, identified, strict = candidates[person_id]
        year = int(film_year[:4]) if film_year[:4].isdigit() else date.year - 1
        credit = Credit(frozenset(films_of[nomination_id]), work_field(name, competitive), year)
        target = identities.by_evidence(identified, credit, strict=strict)
        if target is None:
            continue
        moved.append(link_id)
        if (nomination_id, target.pk) not in linked:
            linked.add((nomination_id, target.pk))
            created.append(PersonLink(nomination_id=nomination_id, person_id=target.pk))
        identities.evidence[id(target)].add(credit)
        identities._person_alias(target, person.name)
        touched.add(ceremony_id)
        left[person_id] -= 1
        heirs[person_id] = target
    for start in range(0, len(moved), 1000):
        PersonLink.objects.filter(id__in=moved[start : start + 1000]).delete()
    PersonLink.objects.bulk_create(created, batch_size=1000, ignore_conflicts=True)
    retired = [candidates[pk][0] for pk in heirs if not left[pk]]
    _people_retire(identities, retired, heirs)
    identities.flush()
    return touched


def _people_retire(identities: Identities, people: list[Person], heirs: dict) -> None:
    """Remove name-only people whose credits all went to identified ones. Then the identified
    people of each name take the slugs of their name in the order they were created
    ("steve-mcqueen", "steve-mcqueen-2" ...), as they would have had if the name-only person had
    never been: permalinks do not depend on the order of imports."""
    if not people:
        return
    gone = {p.pk for p in people}
    for alias in PersonAlias.objects.filter(person_id__in=gone):
        alias.person = heirs[alias.person_id]
        PersonAlias.objects.filter(pk=alias.pk).update(person=alias.person)
    for index in (identities.people_by_key, identities.people_by_loose_key):
        for key, indexed in index.items():
            if any(p.pk in gone for p in indexed):
                index[key] = [p for p in indexed if p.pk not in gone]
    for start in range(0, len(people), 500):
        Person.objects.filter(pk__in=[p.pk for p in people[start : start + 500]]).delete()
    identities.person_slugs -= {p.slug for p in people}
    for heir in {id(h): h for h in heirs.values()}.values():
        _slugs_renumber(identities, heir)


def _slugs_renumber(identities: Identities, heir: Person) -> None:
    base = slug_base(heir.name)
    group = sorted(
        (
            p
            for p in identities.people_by_key.get(heir.key, [])
            if p.imdb_id and slug_base(p.name) == base
        ),
        key=lambda p: p.pk,
    )
    held = identities.person_slugs - {p.slug for p in group}
    wanted = [unique_slug(base, held) for _ in group]
    moving = [(p, slug) for p, slug in zip(group, wanted, strict=True) if p.slug != slug]
    # Two steps, so that two people swapping slugs never collide.
    for p, _ in moving:
        Person.objects.filter(pk=p.pk).update(slug=f"{p.slug}-{p.pk}-moving")
    for p, slug in moving:
        Person.objects.filter(pk=p.pk).update(slug=slug)
        p.slug = slug
    identities.person_slugs = held


def film_resolve(*, title: str, year: int | None, imdb_id: str | None = None) -> Film:
    """One film, resolved and saved (outside a bulk import)."""
    identities = _one_off()
    film = identities.film(title, year, imdb_id)
    identities.flush()
    return film


def person_resolve(
    *, name: str, imdb_id: str | None = None, credit: Credit | None = None
) -> Person:
    """One person, resolved and saved (outside a bulk import)."""
    identities = _one_off()
    person = identities.person(name, imdb_id, credit or Credit(frozenset(), "other", 0))
    identities.flush()
    return person


def _one_off() -> Identities:
    return Identities()


# --- editors' fixes ------------------------------------------------------------------------


@transaction.atomic
def _merge(model, alias_model, into_id: int, other_ids: list[int], *, editor, actor: str):
    """Make several films or people one: their credits and aliases go to `into_id`, their
    names become its aliases, and every ceremony showing them gets a new version, audited."""
    link_model = Nomination.films.through if model is Film else Nomination.people.through
    field = model._meta.model_name  # "film" or "person"
    label = "title" if model is Film else "name"
    what = model._meta.verbose_name_plural  # "films" or "people"
    target = model.objects.select_for_update().filter(pk=into_id).first()
    if target is None:
        raise ServiceError(f"There is no {field} with id {into_id}.")
    others = list(model.objects.select_for_update().filter(pk__in=other_ids).exclude(pk=into_id))
    if not others:
        raise ServiceError(f"Choose at least one other {field} to merge into this one.")
    ids = {o.imdb_id for o in [target, *others] if o.imdb_id}
    if len(ids) > 1:
        raise ServiceError(
            f"{' and '.join(sorted(ids))} are different IMDb ids: these are different {what}. "
            "Correct the wrong id first if one is wrong."
        )
    ceremonies = set(
        link_model.objects.filter(**{f"{field}__in": [target, *others]}).values_list(
            "nomination__category__ceremony", flat=True
        )
    )
    for other in others:
        for link in link_model.objects.filter(**{field: other}):
            link_model.objects.get_or_create(nomination_id=link.nomination_id, **{field: target})
        link_model.objects.filter(**{field: other}).delete()
        names = [*alias_model.objects.filter(**{field: other}).values_list(label, flat=True)]
        for name in [*names, getattr(other, label)]:
            alias_model.objects.get_or_create(
                **{field: target, "key": name_key(name)}, defaults={label: name}
            )
        other.delete()
    alias_model.objects.filter(**{field: target, "key": name_key(getattr(target, label))}).delete()
    if ids and not target.imdb_id:
        target.imdb_id = ids.pop()
        target.save(update_fields=["imdb_id"])
    merged = ", ".join(getattr(o, label) for o in others)
    change = f"merged {merged} into {getattr(target, label)} ({target.slug})"
    _identity_touch(sorted(ceremonies), change, editor=editor, actor=actor)
    return target


def _identity_touch(
    ceremony_ids: list[int], change: str, *, editor: AbstractBaseUser | None, actor: str
) -> None:
    """An editor's identity fix, audited on (and a new version for) every ceremony showing it."""
    ceremony_touch(
        ceremony_ids=ceremony_ids,
        editor=editor,
        actor=actor,
        change=change,
        action=AuditEntry.Action.IDENTITY,
    )


def people_merge(
    *, into_id: int, person_ids: list[int], editor: AbstractBaseUser | None, actor: str = ""
) -> Person:
    """Make several people one (an editor's fix: one person split by spelling)."""
    return _merge(Person, PersonAlias, into_id, person_ids, editor=editor, actor=actor)


def films_merge(
    *, into_id: int, film_ids: list[int], editor: AbstractBaseUser | None, actor: str = ""
) -> Film:
    """Make several films one (an editor's fix: one film listed under two titles)."""
    return _merge(Film, FilmAlias, into_id, film_ids, editor=editor, actor=actor)


@transaction.atomic
def credit_move(
    *,
    nomination_id: int,
    person_id: int,
    to_person_id: int | None = None,
    new_name: str = "",
    editor: AbstractBaseUser | None,
    actor: str = "",
) -> Person:
    """Take one credit off a person and give it to another (an editor's fix: a namesake's
    nomination on the wrong page): an existing person (`to_person_id`), or a new one of
    `new_name`."""
    link = (
        Nomination.people.through.objects.select_related("nomination__category", "person")
        .filter(nomination_id=nomination_id, person_id=person_id)
        .first()
    )
    if link is None:
        raise ServiceError(f"Person {person_id} is not credited on nomination {nomination_id}.")
    new_name = " ".join(new_name.split())
    if to_person_id is not None:
        target = Person.objects.filter(pk=to_person_id).first()
        if target is None:
            raise ServiceError(f"There is no person with id {to_person_id}.")
        if target.pk == person_id:
            raise ServiceError("That is the person the credit is on already.")
    elif new_name:
        taken = set(Person.objects.values_list("slug", flat=True))
        target = Person.objects.create(
            name=new_name, key=name_key(new_name), slug=unique_slug(slug_base(new_name), taken)
        )
    else:
        raise ServiceError("Choose the person the credit belongs to, or name a new one.")
    nomination = link.nomination
    Nomination.people.through.objects.get_or_create(nomination_id=nomination_id, person=target)
    link.delete()
    change = (
        f"credit {nomination} moved from {link.person.name} ({link.person.slug}) to "
        f"{target.name} ({target.slug})"
    )
    _identity_touch([nomination.category.ceremony_id], change, editor=editor, actor=actor)
    return target
