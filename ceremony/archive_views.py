"""The archive: ceremonies index, film and person pages, search, records and results export.

Each page costs a fixed number of queries however long the history (tests assert the counts).
"""

import csv
import io
import re
from collections import Counter, defaultdict
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Case, FloatField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Greatest
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ceremony import precursors, records
from ceremony.models import AwardBody, Category, Ceremony, Film, Nomination, Person
from ceremony.text import fold_category_name, parse_year, search_keys

PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 20
SEARCH_PREVIEW = 8
# The stable fields of a ceremony's results export (documented in docs/archive.md).
EXPORT_FIELDS = [
    "ceremony",
    "ceremony_slug",
    "body",
    "edition",
    "date",
    "category",
    "category_slug",
    "canonical_category",
    "competitive",
    "category_order",
    "tie",
    "nomination_id",
    "nomination_order",
    "film",
    "films",
    "film_imdb_ids",
    "nominee",
    "people",
    "person_imdb_ids",
    "detail",
    "won",
    # Added later, so at the end: the source's note (a refusal, a placement, a tie).
    "note",
]
# A spreadsheet runs a cell starting with one of these as a formula: the CSV quotes them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@cache
def best_picture_names() -> frozenset:
    """Folded names of each body's top film award, from precursors.json's Best Picture rule."""
    for rule in precursors.precursor_rules():
        if "best picture" in rule["oscar"]:
            return frozenset(rule["oscar"] | rule["globes"])
    return frozenset({"best picture"})


def is_best_picture(category: Category) -> bool:
    names = best_picture_names()
    return (
        fold_category_name(category.name) in names
        or fold_category_name(category.canonical_name) in names
    )


# --- ceremonies index -------------------------------------------------------------------------


@require_safe
def ceremony_index(request):
    """Every public ceremony, by award body and year, with its Best Picture and top film."""
    held = Ceremony.objects.held()
    # A tab per body with a held ceremony: never a rehearsal copy's body, nor an empty tab.
    bodies = list(AwardBody.objects.filter(ceremonies__in=held).distinct())
    ceremonies = held.select_related("body").latest_first()
    body = next((b for b in bodies if b.slug == request.GET.get("body")), None)
    if body:
        ceremonies = ceremonies.filter(body=body)
    page = Paginator(ceremonies, PAGE_SIZE).get_page(request.GET.get("page"))
    wins = (
        Nomination.objects.filter(
            category__ceremony__in=[c.pk for c in page], category__competitive=True, won=True
        )
        .select_related("category")
        .prefetch_related("films")
    )
    best_picture: dict[int, list[Film]] = defaultdict(list)
    tallies: dict[int, Counter] = defaultdict(Counter)
    films: dict[int, Film] = {}
    for nomination in wins:
        ceremony_id = nomination.category.ceremony_id
        for film in nomination.films.all():
            films[film.pk] = film
            tallies[ceremony_id][film.pk] += 1
            if is_best_picture(nomination.category) and film not in best_picture[ceremony_id]:
                best_picture[ceremony_id].append(film)
    rows = []
    for ceremony in page:
        tally = tallies[ceremony.pk]
        top = max(tally.values(), default=0)
        rows.append(
            {
                "ceremony": ceremony,
                "best_picture": best_picture[ceremony.pk],
                "most_awarded": [films[pk] for pk, n in tally.items() if n == top and top],
                "most_awards": top,
            }
        )
    return render(
        request,
        "ceremony/list.html",
        {
            "page": page,
            "rows": rows,
            "bodies": bodies,
            "body": body,
            "pager_query": urlencode({"body": body.slug}) + "&" if body else "",
        },
    )


# --- film and person --------------------------------------------------------------------------


def _nominations():
    # Rehearsal copies share films and people with the real ceremony; they are no one's history.
    return (
        Nomination.objects.exclude(category__ceremony__rehearsal=True)
        .select_related("category__ceremony__body")
        .order_by("category__ceremony__date", "category__order", "order", "pk")
    )


def _by_body(nominations) -> list[dict]:
    """Nominations grouped by award body, then ceremony; competitive ones counted."""
    bodies: dict[str, dict] = {}
    for n in nominations:
        ceremony = n.category.ceremony
        body = bodies.setdefault(
            ceremony.body.name,
            {"body": ceremony.body, "ceremonies": {}, "nominations": 0, "wins": 0, "honorary": 0},
        )
        body["ceremonies"].setdefault(ceremony.pk, {"ceremony": ceremony, "nominations": []})[
            "nominations"
        ].append(n)
        if n.category.competitive:
            body["nominations"] += 1
            body["wins"] += n.won
        else:
            body["honorary"] += 1
    groups = sorted(bodies.values(), key=lambda b: b["body"].name != precursors.PRECURSOR_BODY)
    for group in groups:
        group["ceremonies"] = list(group["ceremonies"].values())
    return groups


def other_names(identity: Film | Person, attr: str) -> list[str]:
    """An identity's other titles or spellings: each differing from its own name by more than
    case, accents or punctuation ("F. A. Young" for Freddie Young; never "FREDDIE YOUNG")."""
    seen = {identity.key}
    names = []
    for alias in identity.aliases.all():
        if alias.key not in seen:
            seen.add(alias.key)
            names.append(getattr(alias, attr))
    return names


@require_safe
def film_detail(request, slug):
    film = get_object_or_404(Film.objects.prefetch_related("aliases"), slug=slug)
    nominations = _nominations().filter(films=film).prefetch_related("people")
    return render(
        request,
        "ceremony/film.html",
        {
            "film": film,
            "aliases": other_names(film, "title"),
            "bodies": _by_body(nominations),
        },
    )


@require_safe
def person_detail(request, slug):
    person = get_object_or_404(Person.objects.prefetch_related("aliases"), slug=slug)
    nominations = list(_nominations().filter(people=person).prefetch_related("films"))
    bodies = _by_body(nominations)
    for body in bodies:
        for entry in body["ceremonies"]:
            by_film: dict[str, list] = defaultdict(list)
            for n in entry["nominations"]:
                by_film[n.film_title or "—"].append(n)
            entry["films"] = [{"title": t, "nominations": ns} for t, ns in by_film.items()]
    return render(
        request,
        "ceremony/person.html",
        {"person": person, "aliases": other_names(person, "name"), "bodies": bodies},
    )


# --- search -----------------------------------------------------------------------------------


def _search_names(queryset, keys: list[str]):
    """Folded `keys` (`text.search_keys`: the query's own first, then its numerals written
    the other ways and its words in the other orders) match the name or any alias (another
    title or spelling of the same film or person): substring everywhere; on PostgreSQL also
    trigram word similarity to the query (typos), best match first. `key` columns hold
    accent- and case-folded names already.

    Each result carries `matched_alias`: the alias the query found it by, where its own name
    does not match ("F. A. Young" for a search of "f a young" finding Freddie Young)."""
    # The reverse relation to the film's or person's alias model (FilmAlias, PersonAlias).
    relation = queryset.model.aliases
    aliases = relation.rel.related_model.objects.all()
    owner, alias_name = relation.field.name, aliases.model.name_field
    own = aliases.filter(**{owner: OuterRef("pk")})
    contains = Q()
    for key in keys:
        contains |= Q(key__contains=key)
    if settings.IS_POSTGRES:
        from django.contrib.postgres.search import TrigramWordSimilarity

        def near() -> Q:
            return contains | Q(key__trigram_word_similar=keys[0])

        def similarity():
            scores = [TrigramWordSimilarity(key, "key") for key in keys]
            return Greatest(*scores) if len(scores) > 1 else scores[0]

        ranked = own.filter(near()).annotate(similarity=similarity())
        ranked = ranked.order_by("-similarity", "key")
        # The per-row look-ups run only for the few rows an alias matched (a hashed subplan
        # decides), not for every name a short query finds.
        by_alias = Q(pk__in=aliases.filter(near()).values(owner))
        return (
            queryset.filter(near() | by_alias)
            .annotate(
                name_similarity=similarity(),
                alias_similarity=Case(
                    When(by_alias, then=Subquery(ranked.values("similarity")[:1])),
                    default=Value(0.0),
                    output_field=FloatField(),
                ),
                similarity=Greatest("name_similarity", "alias_similarity"),
                best_alias=Case(
                    When(by_alias, then=Subquery(ranked.values(alias_name)[:1])), default=None
                ),
            )
            .order_by("-similarity", "key", "pk")
        )
    matching = own.filter(contains).order_by("key")
    by_alias = Q(pk__in=aliases.filter(contains).values(owner))
    return (
        queryset.filter(contains | by_alias)
        .annotate(best_alias=Case(When(by_alias, then=Subquery(matching.values(alias_name)[:1]))))
        .order_by("key", "pk")
    )


def _mark_aliases(items: list, keys: list[str]) -> list:
    """Set `matched_alias` where the name itself does not match (or, on PostgreSQL, an alias
    matches better than the name)."""
    for item in items:
        alias = getattr(item, "best_alias", None)
        if alias and not any(key in item.key for key in keys):
            name_score = getattr(item, "name_similarity", None)
            if name_score is None or item.alias_similarity > name_score:
                item.matched_alias = alias
                continue
        item.matched_alias = None
    return items


# Names readers use for a body that its own name does not contain.
BODY_NICKNAMES = {
    "oscar": "Academy Awards",
    "oscars": "Academy Awards",
    "globe": "Golden Globe",
    "globes": "Golden Globe",
}
YEAR = re.compile(r"[0-9]{4}")


def _search_ceremonies(query: str):
    """Every word must match. A year ("2025") is the year a ceremony was held (the 97th Academy
    Awards, in 2025), never its films' year (the 98th's films are from 2025); other words match
    the name ("97th"), the films' year ("1927/28") or the body ("academy", "oscars")."""
    found = Ceremony.objects.held().select_related("body")
    for word in query.split():
        if YEAR.fullmatch(word) and (year := parse_year(word)):
            found = found.filter(date__year=year)
            continue
        match = (
            Q(name__icontains=word) | Q(film_year__icontains=word) | Q(body__name__icontains=word)
        )
        if nickname := BODY_NICKNAMES.get(word.casefold()):
            match |= Q(body__name__icontains=nickname)
        found = found.filter(match)
    return found.latest_first()


SEARCH_KINDS = {
    "films": lambda q, keys: _search_names(Film.objects.all(), keys),
    "people": lambda q, keys: _search_names(Person.objects.all(), keys),
    "ceremonies": lambda q, keys: _search_ceremonies(q),
}


@require_safe
def search(request):
    """/search/?q=: films, people and ceremonies; ?kind=films&page=2 pages through one kind."""
    # PostgreSQL refuses a NUL character in a query parameter (a 500, not "nothing found").
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    keys = search_keys(query)
    kind = request.GET.get("kind")
    sections = []
    if keys:
        kinds = [kind] if kind in SEARCH_KINDS else list(SEARCH_KINDS)
        for name in kinds:
            found = SEARCH_KINDS[name](query, keys)
            if len(kinds) == 1:
                page = Paginator(found, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
                items = list(page)
                if name != "ceremonies":
                    _mark_aliases(items, keys)
                sections.append({"kind": name, "items": items, "page": page})
            else:
                items = list(found[: SEARCH_PREVIEW + 1])
                if name != "ceremonies":
                    _mark_aliases(items, keys)
                sections.append(
                    {
                        "kind": name,
                        "items": items[:SEARCH_PREVIEW],
                        "more": len(items) > SEARCH_PREVIEW,
                    }
                )
    return render(
        request,
        "ceremony/search.html",
        {
            "query": query,
            "sections": sections,
            "pager_query": urlencode({"q": query, "kind": kind}) + "&",
        },
    )


# --- records ----------------------------------------------------------------------------------


@require_safe
def records_page(request):
    bodies = [
        {
            "body": body["body"],
            "career": [r for r in body["records"] if r["kind"] in records.CAREER_KINDS],
            "night": [r for r in body["records"] if r["kind"] not in records.CAREER_KINDS],
        }
        for body in records.all_records()
    ]
    return render(request, "ceremony/records.html", {"bodies": bodies})


@require_safe
def api_records(request):
    return JsonResponse(
        {"bodies": records.all_records()}, json_dumps_params={"ensure_ascii": False}
    )


# --- export -----------------------------------------------------------------------------------


def export_rows(ceremony: Ceremony) -> list[dict]:
    """A ceremony's results as flat rows of EXPORT_FIELDS, in presentation order."""
    categories = (
        Category.objects.filter(ceremony=ceremony)
        .in_order()
        .prefetch_related(
            Prefetch(
                "nominations",
                queryset=Nomination.objects.order_by("order", "pk").prefetch_related(
                    "films", "people"
                ),
            )
        )
    )
    rows = []
    for category in categories:
        for n in category.nominations.all():
            films, people = list(n.films.all()), list(n.people.all())
            rows.append(
                {
                    "ceremony": ceremony.name,
                    "ceremony_slug": ceremony.slug,
                    "body": ceremony.body.name,
                    "edition": ceremony.edition,
                    "date": records.date_value(ceremony.date, ceremony.date_exact),
                    "category": category.name,
                    "category_slug": category.slug,
                    "canonical_category": category.canonical_name,
                    "competitive": category.competitive,
                    "category_order": category.order,
                    # Declared ties only: several winners by design are not a tie.
                    "tie": category.is_tie and n.won,
                    "nomination_id": n.pk,
                    "nomination_order": n.order,
                    "film": n.film_title or " / ".join(f.title for f in films),
                    "films": "|".join(f.slug for f in films),
                    "film_imdb_ids": "|".join(f.imdb_id or "" for f in films),
                    "nominee": n.nominee,
                    "people": "|".join(p.slug for p in people),
                    "person_imdb_ids": "|".join(p.imdb_id or "" for p in people),
                    "detail": n.detail,
                    "won": n.won,
                    "note": n.note,
                }
            )
    return rows


def export_document(ceremony: Ceremony, rows: list[dict]) -> dict:
    """The JSON export: the shared import format (so it imports back) plus the flat rows."""
    categories: dict[str, dict] = {}
    for row in rows:
        category = categories.setdefault(
            row["category_slug"],
            {
                "name": row["category"],
                "slug": row["category_slug"],
                "canonical_name": row["canonical_category"],
                "competitive": row["competitive"],
                "nominees": [],
            },
        )
        category["nominees"].append(
            {"film": row["film"], "nominee": row["nominee"] or None, "won": row["won"]}
        )
    return {
        "ceremony": ceremony.name,
        "body": ceremony.body.name,
        "edition": ceremony.edition,
        # The import format wants a day: a year-only ceremony gives its placeholder day here,
        # with date_exact false (its rows' `date` is the year alone).
        "date": ceremony.date.isoformat(),
        "date_exact": ceremony.date_exact,
        "venue": ceremony.venue,
        "status": ceremony.status,
        "version": ceremony.version,
        "categories": list(categories.values()),
        "fields": EXPORT_FIELDS,
        "results": rows,
    }


def csv_cell(value):
    """A cell a spreadsheet shows as text: one starting with = + - @, a tab or a carriage
    return gets a leading single quote, so it is never run as a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else value


@require_safe
def api_results(request, slug):
    """GET /api/ceremonies/<slug>/results/ (JSON) or ?format=csv. A draft's too, as its live
    page is public: its nominees, and no winners yet."""
    ceremony = get_object_or_404(Ceremony.objects.select_related("body"), slug=slug)
    rows = export_rows(ceremony)
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        # CRLF line ends (RFC 4180): Python 3.11's writer quotes a cell holding a carriage
        # return only when that is part of the line terminator.
        writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{ceremony.slug}-results.csv"'
        return response
    return JsonResponse(export_document(ceremony, rows), json_dumps_params={"ensure_ascii": False})
