"""The archive: ceremonies index, film and person pages, search, records and results export.

Each page costs a fixed number of queries however long the history (tests assert the counts).
"""

import csv
import io
from collections import Counter, defaultdict
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ceremony import precursors, records
from ceremony.models import AwardBody, Category, Ceremony, Film, Nomination, Person
from ceremony.text import fold_category_name, name_key

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
]


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
    bodies = list(AwardBody.objects.filter(ceremonies__isnull=False).distinct())
    ceremonies = Ceremony.objects.held().select_related("body").latest_first()
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


@require_safe
def film_detail(request, slug):
    film = get_object_or_404(Film, slug=slug)
    nominations = _nominations().filter(films=film).prefetch_related("people")
    return render(request, "ceremony/film.html", {"film": film, "bodies": _by_body(nominations)})


@require_safe
def person_detail(request, slug):
    person = get_object_or_404(Person, slug=slug)
    nominations = list(_nominations().filter(people=person).prefetch_related("films"))
    bodies = _by_body(nominations)
    for body in bodies:
        for entry in body["ceremonies"]:
            by_film: dict[str, list] = defaultdict(list)
            for n in entry["nominations"]:
                by_film[n.film_title or "—"].append(n)
            entry["films"] = [{"title": t, "nominations": ns} for t, ns in by_film.items()]
    return render(request, "ceremony/person.html", {"person": person, "bodies": bodies})


# --- search -----------------------------------------------------------------------------------


def _search_names(queryset, key: str):
    """Folded `key` matches: substring everywhere; on PostgreSQL also trigram word similarity
    (typos), best match first. `key` columns hold accent- and case-folded names already."""
    if settings.IS_POSTGRES:
        from django.contrib.postgres.search import TrigramWordSimilarity

        return (
            queryset.filter(Q(key__contains=key) | Q(key__trigram_word_similar=key))
            .annotate(similarity=TrigramWordSimilarity(key, "key"))
            .order_by("-similarity", "key", "pk")
        )
    return queryset.filter(key__contains=key).order_by("key", "pk")


def _search_ceremonies(query: str):
    found = Ceremony.objects.held().select_related("body")
    words = query.split()
    for word in words:
        found = found.filter(
            Q(name__icontains=word) | Q(film_year__icontains=word) | Q(body__name__icontains=word)
        )
    return found.latest_first()


SEARCH_KINDS = {
    "films": lambda q, key: _search_names(Film.objects.all(), key),
    "people": lambda q, key: _search_names(Person.objects.all(), key),
    "ceremonies": lambda q, key: _search_ceremonies(q),
}


@require_safe
def search(request):
    """/search/?q=: films, people and ceremonies; ?kind=films&page=2 pages through one kind."""
    # PostgreSQL refuses a NUL character in a query parameter (a 500, not "nothing found").
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    key = name_key(query)
    kind = request.GET.get("kind")
    sections = []
    if key:
        kinds = [kind] if kind in SEARCH_KINDS else list(SEARCH_KINDS)
        for name in kinds:
            found = SEARCH_KINDS[name](query, key)
            if len(kinds) == 1:
                page = Paginator(found, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
                sections.append({"kind": name, "items": list(page), "page": page})
            else:
                items = list(found[: SEARCH_PREVIEW + 1])
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
    return render(request, "ceremony/records.html", {"bodies": records.all_records()})


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
        nominations = list(category.nominations.all())
        tie = category.is_tie or sum(n.won for n in nominations) > 1
        for n in nominations:
            films, people = list(n.films.all()), list(n.people.all())
            rows.append(
                {
                    "ceremony": ceremony.name,
                    "ceremony_slug": ceremony.slug,
                    "body": ceremony.body.name,
                    "edition": ceremony.edition,
                    "date": ceremony.date.isoformat(),
                    "category": category.name,
                    "category_slug": category.slug,
                    "canonical_category": category.canonical_name,
                    "competitive": category.competitive,
                    "category_order": category.order,
                    "tie": tie and n.won,
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
        "date": ceremony.date.isoformat(),
        "venue": ceremony.venue,
        "status": ceremony.status,
        "version": ceremony.version,
        "categories": list(categories.values()),
        "fields": EXPORT_FIELDS,
        "results": rows,
    }


@require_safe
def api_results(request, slug):
    """GET /api/ceremonies/<slug>/results/ (JSON) or ?format=csv. A draft's too, as its live
    page is public: its nominees, and no winners yet."""
    ceremony = get_object_or_404(Ceremony.objects.select_related("body"), slug=slug)
    rows = export_rows(ceremony)
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{ceremony.slug}-results.csv"'
        return response
    return JsonResponse(export_document(ceremony, rows), json_dumps_params={"ensure_ascii": False})
