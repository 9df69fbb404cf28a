"""The archive importers: oscars.csv and golden_globe_awards.csv (formats in shared/data/README.md).

Files are read and checked row by row first (a malformed row is reported with its line number and
skipped); then each ceremony is written in its own transaction through `ceremony_rows_import`,
which follows the services' rules: lock, write, bump the version, audit, publish after commit.
Identities go through `services.film_resolve` / `services.person_resolve` whenever an existing row
might be adopted; rows that are certainly new are created in bulk, which keeps the full Oscars
file well under a minute.
"""

import csv
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from ceremony import services
from ceremony.models import (
    AuditEntry,
    AwardBody,
    Category,
    Ceremony,
    Film,
    Nomination,
    Person,
    name_key,
)

OSCARS = "Academy Awards"
GLOBES = "Golden Globe Awards"

OSCAR_COLUMNS = [
    "Ceremony",
    "Year",
    "Class",
    "CanonicalCategory",
    "Category",
    "Film",
    "FilmId",
    "Name",
    "Nominees",
    "NomineeIds",
    "Winner",
    "Detail",
    "Note",
    "Citation",
]
OSCAR_CLASSES = {"Acting", "Directing", "Writing", "Music", "Production", "Title"}
# Honorary and scientific/technical awards: kept and shown apart, never tallied.
OSCAR_NON_COMPETITIVE = {"SciTech", "Special"}
UNOFFICIAL = "NOT AN OFFICIAL NOMINATION"
SONG = "MUSIC (Original Song)"
# The names the JSON files (and readers) use for today's categories, so that a ceremony imported
# from both sources is one ceremony with one set of categories, whichever came first.
OSCAR_DISPLAY_NAMES = {
    "ACTOR IN A LEADING ROLE": "Best Actor",
    "ACTOR IN A SUPPORTING ROLE": "Best Supporting Actor",
    "ACTRESS IN A LEADING ROLE": "Best Actress",
    "ACTRESS IN A SUPPORTING ROLE": "Best Supporting Actress",
    "ANIMATED FEATURE FILM": "Best Animated Feature",
    "ANIMATED SHORT FILM": "Best Animated Short",
    "SHORT FILM (Animated)": "Best Animated Short",
    "BEST PICTURE": "Best Picture",
    "CINEMATOGRAPHY": "Best Cinematography",
    "COSTUME DESIGN": "Best Costume Design",
    "DIRECTING": "Best Director",
    "DOCUMENTARY FEATURE FILM": "Best Documentary Feature",
    "DOCUMENTARY (Feature)": "Best Documentary Feature",
    "DOCUMENTARY SHORT FILM": "Best Documentary Short",
    "DOCUMENTARY (Short Subject)": "Best Documentary Short",
    "FILM EDITING": "Best Film Editing",
    "INTERNATIONAL FEATURE FILM": "Best International Feature Film",
    "MAKEUP AND HAIRSTYLING": "Best Makeup and Hairstyling",
    "MUSIC (Original Score)": "Best Original Score",
    "MUSIC (Original Song)": "Best Original Song",
    "PRODUCTION DESIGN": "Best Production Design",
    "SHORT FILM (Live Action)": "Best Live Action Short",
    "LIVE ACTION SHORT FILM": "Best Live Action Short",
    "SOUND": "Best Sound",
    "VISUAL EFFECTS": "Best Visual Effects",
    "WRITING (Adapted Screenplay)": "Best Adapted Screenplay",
    "WRITING (Original Screenplay)": "Best Original Screenplay",
}
CREDIT_LABEL = re.compile(r"^(in collaboration with|with)\s+", re.IGNORECASE)
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to"}
ROMAN = re.compile(r"^[IVX]+$")

GLOBE_COLUMNS = ["year_film", "year_award", "ceremony", "category", "nominee", "title", "win"]
# Categories whose `nominee` column names the film (the `title` column is empty or the country).
GLOBE_FILM_NOMINEE = {
    "Picture",
    "Picture - Comedy",
    "Picture - Musical",
    "Best Motion Picture - Drama",
    "Best Motion Picture - Musical or Comedy",
    "Best Motion Picture - Animated",
    "Best Motion Picture - Foreign Language",
    "Documentary",
    "Outstanding Use Of Color",
}
# Their `nominee` is a country and a director, not people we can identify.
GLOBE_COUNTRY_NOMINEE = {
    "Best Motion Picture - Foreign Language",
    "Foreign Film - Foreign Language",
    "Foreign Film - English Language",
    "Samuel Goldwyn International Award",
}
GLOBE_NON_COMPETITIVE = {
    "Cecil B. deMille Award",
    "Henrietta Award (World Film Favorite)",
    "Henrietta Award (World Film Favorites)",
    "Special Achievement Award",
    "Hollywood Citizenship Award",
    "International News Coverage",
    "Famous Silent Filmstars",
    "Juvenile Performance",
}
INVERTED_ARTICLE = re.compile(r"^(?P<rest>.+), (?P<article>The|A|An)$")
TITLE_YEAR = re.compile(r"\s+\(\d{4}\)$")


class ImportProblem(Exception):
    """A row that cannot be imported; the message names what is wrong with it."""


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st, 22nd, 101st, 111th."""
    if n % 100 in (11, 12, 13):
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def display_category(name: str) -> str:
    """'ACTOR IN A LEADING ROLE' -> 'Best Actor'; older names in title case, as a reader expects."""
    if name in OSCAR_DISPLAY_NAMES:
        return OSCAR_DISPLAY_NAMES[name]
    words = []
    for index, word in enumerate(name.split(" ")):
        if word.isupper() and not ROMAN.match(word.strip("()")):
            word = word.lower() if index and word.lower() in SMALL_WORDS else word.capitalize()
        words.append(word)
    return " ".join(words)


def first_year(film_year: str) -> int:
    return int(film_year[:4])


def oscar_date(film_year: str) -> dt.date:
    """oscars.csv has no dates: the ceremony is dated 1 March after its films' (last) year.

    '1927/28' -> 1929-03-01. A ceremony also imported from JSON keeps the JSON's exact date.
    """
    last = int(film_year[:4]) if "/" not in film_year else int(film_year[:2] + film_year[-2:])
    return dt.date(last + 1, 3, 1)


def globe_date(year_award: int) -> dt.date:
    """golden_globe_awards.csv has no dates either: 20 January of the award year."""
    return dt.date(year_award, 1, 20)


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# --- rows -------------------------------------------------------------------------------------


@dataclass
class Row:
    """One nomination as read from a file, before any identity is resolved."""

    line: int
    edition: int
    film_year: str
    category: str
    canonical: str
    competitive: bool
    films: list[tuple[str, str | None]]
    nominee: str
    people: list[tuple[str, str | None]]
    won: bool
    detail: str = ""
    song: bool = False


@dataclass
class ReadResult:
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: int = 0
    # Rows that are not nominations (the 1930s preliminary lists) or out of scope (television).
    ignored: int = 0

    def by_edition(self) -> dict[int, list[Row]]:
        groups: dict[int, list[Row]] = defaultdict(list)
        for row in self.rows:
            groups[row.edition].append(row)
        return dict(sorted(groups.items()))


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|")] if value.strip() else []


def parse_oscar_row(line: int, cells: list[str]) -> Row | None:
    """A row of oscars.csv, or None for a row that is not a nomination; raises ImportProblem."""
    if len(cells) > len(OSCAR_COLUMNS):
        raise ImportProblem(f"{len(cells)} columns, at most {len(OSCAR_COLUMNS)} expected")
    if len(cells) < 6:
        raise ImportProblem(f"{len(cells)} columns, at least 6 (Ceremony to Film) expected")
    d = dict(zip(OSCAR_COLUMNS, [c.strip() for c in cells] + [""] * 14, strict=False))
    # The 1930s preliminary lists are not nominations; but a winner among them (the 2nd
    # ceremony announced winners only; write-in winners) did win, so it is kept.
    if UNOFFICIAL in d["Note"].upper() and d["Winner"] != "True":
        return None
    if not d["Ceremony"].isdigit() or int(d["Ceremony"]) < 1:
        raise ImportProblem(f"Ceremony {d['Ceremony']!r} is not a ceremony number")
    if not re.fullmatch(r"\d{4}(/\d{2})?", d["Year"]):
        raise ImportProblem(f"Year {d['Year']!r} is not a film year like 2024 or 1927/28")
    if d["Class"] not in OSCAR_CLASSES | OSCAR_NON_COMPETITIVE:
        raise ImportProblem(f"Class {d['Class']!r} is unknown")
    if not d["Category"]:
        raise ImportProblem("Category is empty")
    if d["Winner"] not in ("", "True", "False"):
        raise ImportProblem(f"Winner {d['Winner']!r} is not True or empty")
    titles, film_ids = _split(d["Film"]), _split(d["FilmId"])
    if film_ids and len(film_ids) != len(titles):
        raise ImportProblem(f"{len(titles)} films but {len(film_ids)} film ids")
    names, ids = _split(d["Nominees"]), _split(d["NomineeIds"])
    if ids and len(ids) != len(names):
        raise ImportProblem(f"{len(names)} nominees but {len(ids)} nominee ids")
    if not (titles or names or d["Name"] or d["Citation"]):
        raise ImportProblem("names neither a film nor a nominee")
    ids = ids or [""] * len(names)
    film_ids = film_ids or [""] * len(titles)
    people = []
    for name, imdb_id in zip(names, ids, strict=True):
        name = CREDIT_LABEL.sub("", name)
        # Only IMDb name ids identify a person: `co` ids are companies, `?` is unknown.
        if imdb_id.startswith("nm"):
            people.append((name, imdb_id))
    credited = [CREDIT_LABEL.sub("", n) for n in names]
    song = d["CanonicalCategory"] == SONG
    detail = d["Detail"].replace("|", "; ")
    # A song's nominee is its title, as in the JSON files.
    nominee = detail if song and detail else join_names(credited) or d["Name"]
    return Row(
        line=line,
        edition=int(d["Ceremony"]),
        film_year=d["Year"],
        category=display_category(d["Category"]),
        canonical=d["CanonicalCategory"],
        competitive=d["Class"] not in OSCAR_NON_COMPETITIVE,
        films=[
            (t, i if i.startswith("tt") else None) for t, i in zip(titles, film_ids, strict=True)
        ],
        nominee=nominee[:1000],
        people=people,
        won=d["Winner"] == "True",
        detail=(detail or d["Citation"])[:1000],
        song=song,
    )


def read_oscars(path: Path, *, editions: Iterable[int] | None = None) -> ReadResult:
    wanted = set(editions) if editions else None
    result = ReadResult()
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:5]] != OSCAR_COLUMNS[:5]:
            raise ImportProblem(f"{path}: not oscars.csv (the header should start Ceremony, Year)")
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if wanted and cells[0].strip().isdigit() and int(cells[0]) not in wanted:
                continue
            try:
                row = parse_oscar_row(reader.line_num, cells)
            except ImportProblem as exc:
                result.problems.append(f"line {reader.line_num}: {exc}; skipped")
                result.skipped += 1
                continue
            if row is None:
                result.ignored += 1
            else:
                result.rows.append(row)
    return result


def globe_title(title: str) -> str:
    """'Two Popes, The' -> 'The Two Popes'; 'Cyrano de Bergerac (1950)' -> 'Cyrano de Bergerac'."""
    title = TITLE_YEAR.sub("", title.strip())
    match = INVERTED_ARTICLE.match(title)
    return f"{match['article']} {match['rest']}" if match else title


def is_television(category: str) -> bool:
    return any(w in category for w in ("Television", "Series", "Carol Burnett"))


def parse_globe_row(line: int, d: dict[str, str]) -> Row | None:
    if None in d or any(d.get(c) is None for c in GLOBE_COLUMNS):
        raise ImportProblem(f"{len(GLOBE_COLUMNS)} columns expected")
    d = {k: (v or "").strip() for k, v in d.items()}
    category = d["category"]
    if not category:
        raise ImportProblem("category is empty")
    if is_television(category):
        return None
    for column in ("year_film", "year_award", "ceremony"):
        if not d[column].isdigit():
            raise ImportProblem(f"{column} {d[column]!r} is not a number")
    if d["win"].upper() not in ("TRUE", "FALSE"):
        raise ImportProblem(f"win {d['win']!r} is not TRUE or FALSE")
    nominee, title = d["nominee"], d["title"]
    if not nominee and not title:
        raise ImportProblem("names neither a nominee nor a film")
    people: list[tuple[str, str | None]] = []
    detail = ""
    song = "Song" in category
    if category in GLOBE_FILM_NOMINEE:
        film, nominee = nominee, title
    else:
        film = title
        if song:
            detail, _, credits = nominee.partition(", ")
            people = [(n, None) for n in credits.split(", ") if n]
            nominee = detail
        elif category not in GLOBE_COUNTRY_NOMINEE:
            people = [(n.strip(), None) for n in nominee.split(", ") if n.strip()]
    return Row(
        line=line,
        edition=int(d["ceremony"]),
        film_year=d["year_film"],
        category=category,
        canonical="",
        competitive=category not in GLOBE_NON_COMPETITIVE,
        films=[(globe_title(film), None)] if film else [],
        nominee=nominee[:1000],
        people=people,
        won=d["win"].upper() == "TRUE",
        detail=detail,
        song=song,
    )


def read_globes(path: Path) -> tuple[ReadResult, dict[int, int]]:
    """The rows, and each ceremony's award year (for its date)."""
    result = ReadResult()
    years: dict[int, int] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != GLOBE_COLUMNS:
            raise ImportProblem(f"{path}: not golden_globe_awards.csv (header {GLOBE_COLUMNS})")
        for d in reader:
            try:
                row = parse_globe_row(reader.line_num, d)
            except ImportProblem as exc:
                result.problems.append(f"line {reader.line_num}: {exc}; skipped")
                result.skipped += 1
                continue
            if row is None:
                result.ignored += 1
                continue
            years.setdefault(row.edition, int(d["year_award"]))
            result.rows.append(row)
    return result, years


# --- identities -------------------------------------------------------------------------------


class Identities:
    """Films and people in memory, so a 12,000-row file costs a few queries per ceremony.

    Anything that could adopt an existing row is handed to services.film_resolve /
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
            film = services.film_resolve(title=title, year=year, imdb_id=imdb_id)
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
            person = services.person_resolve(name=name, imdb_id=imdb_id)
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


# --- writing ----------------------------------------------------------------------------------


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
            slug=services._unique_slug(Ceremony, slugify(name)),
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

    summary.precursor_links = services.precursors_update(
        ceremony=ceremony,
        results_changed=bool(summary.results_changed and not summary.created),
        editor=None,
        actor=actor,
        source=source,
    )
    if summary.changed:
        services._commit_write(
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
