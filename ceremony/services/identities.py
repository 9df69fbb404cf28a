"""Films and people: one way to find or create them, cached for bulk imports or not."""

from collections import defaultdict

from django.db.models import Q
from django.utils.text import slugify

from ceremony.models import Film, Person
from ceremony.text import name_key


def unique_slug(model, base: str) -> str:
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
        title=title, key=key, year=year, imdb_id=imdb_id or None, slug=unique_slug(Film, slug_base)
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
        name=name, key=key, imdb_id=imdb_id or None, slug=unique_slug(Person, slugify(name))
    )


class Identities:
    """Films and people in memory, so a 12,000-row file costs a few queries per ceremony.

    Anything that could adopt an existing row is handed to film_resolve /
    person_resolve (one place for those rules); what is certainly new is created in bulk.
    """

    def __init__(self):
        self.reload()

    def reload(self) -> None:
        self.films_by_imdb: dict[str, Film] = {}
        self.films_by_key: dict[str, list[Film]] = defaultdict(list)
        self.people_by_imdb: dict[str, Person] = {}
        self.people_by_key: dict[str, list[Person]] = defaultdict(list)
        for film in Film.objects.only("pk", "title", "slug", "imdb_id", "year", "key"):
            self._index_film(film)
        for person in Person.objects.only("pk", "name", "slug", "imdb_id", "key"):
            self._index_person(person)
        self.film_slugs = {f.slug for films in self.films_by_key.values() for f in films}
        self.person_slugs = {p.slug for people in self.people_by_key.values() for p in people}
        self.new_films: list[Film] = []
        self.new_people: list[Person] = []

    def _index_film(self, film: Film) -> None:
        if film.imdb_id:
            self.films_by_imdb[film.imdb_id] = film
        if film not in self.films_by_key[film.key]:
            self.films_by_key[film.key].append(film)

    def _index_person(self, person: Person) -> None:
        if person.imdb_id:
            self.people_by_imdb[person.imdb_id] = person
        if person not in self.people_by_key[person.key]:
            self.people_by_key[person.key].append(person)

    @staticmethod
    def _slug(base: str, taken: set[str]) -> str:
        base = (base or "untitled")[:300]
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        return slug

    def film(self, title: str, year: int | None, imdb_id: str | None) -> Film:
        if imdb_id and imdb_id in self.films_by_imdb:
            return self.films_by_imdb[imdb_id]
        key = name_key(title)
        candidates = [
            f
            for f in self.films_by_key.get(key, ())
            if (year is None or f.year is None or abs(f.year - year) <= 1)
            and not (imdb_id and f.imdb_id)
        ]
        if candidates:
            self.flush()
            film = film_resolve(title=title, year=year, imdb_id=imdb_id)
            self._index_film(film)
            return film
        base = slugify(title) + (f"-{year}" if year else "")
        film = Film(
            title=title,
            key=key,
            year=year,
            imdb_id=imdb_id,
            slug=self._slug(base, self.film_slugs),
        )
        self.new_films.append(film)
        self._index_film(film)
        return film

    def person(self, name: str, imdb_id: str | None) -> Person:
        if imdb_id and imdb_id in self.people_by_imdb:
            return self.people_by_imdb[imdb_id]
        key = name_key(name)
        namesakes = self.people_by_key.get(key, ())
        if any(not (imdb_id and p.imdb_id) for p in namesakes):
            self.flush()
            person = person_resolve(name=name, imdb_id=imdb_id)
            self._index_person(person)
            return person
        person = Person(
            name=name, key=key, imdb_id=imdb_id, slug=self._slug(slugify(name), self.person_slugs)
        )
        self.new_people.append(person)
        self._index_person(person)
        return person

    def flush(self) -> None:
        if self.new_films:
            Film.objects.bulk_create(self.new_films, batch_size=500)
            self.new_films = []
        if self.new_people:
            Person.objects.bulk_create(self.new_people, batch_size=500)
            self.new_people = []
