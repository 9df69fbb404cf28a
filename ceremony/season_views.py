"""The archive's upsets and seasons: every historical upset ranked by how strongly the Globe
winner was favoured, and each season's Golden Globes beside its Oscars with the carry-over rate.

Everything is read from `history.current()` (worked out once per archive change), so a page costs
one query (the history's fingerprint) however long the history. The rules: docs/archive.md.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ceremony import history

PAGE_SIZE = 50
# The carry-over chart: one row per category, one column per decade.
CHART = {"label": 210, "cell": 58, "row": 26, "top": 30}


def _category_choices(past: history.History) -> list[dict]:
    return [
        {"slug": history.track_slug(k), "label": history.track_label(k)}
        for k in past.decades["keys"]
    ]


# /upsets/?rank=: against the Golden Globes (their record) or against the season's consensus.
RANKS = {"globe": "the Golden Globes' record", "season": "the season's consensus"}


@require_safe
def upsets(request):
    """GET /upsets/?rank=season&category=<slug>&decade=<1990>&page=N: server-rendered, so every
    filter is a permalink."""
    past = history.current()
    categories = _category_choices(past)
    rank = request.GET.get("rank") if request.GET.get("rank") in RANKS else "globe"
    ranked = past.season_upset_rows if rank == "season" else past.upset_rows
    decades = sorted({r["season"].year // 10 * 10 for r in ranked})
    category = next((c for c in categories if c["slug"] == request.GET.get("category")), None)
    decade = request.GET.get("decade", "")
    decade = int(decade) if decade.isdigit() and int(decade) in decades else None
    rows = [
        r
        for r in ranked
        if (category is None or history.track_slug(r["season"].key) == category["slug"])
        and (decade is None or r["season"].year // 10 * 10 == decade)
    ]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {
        k: v
        for k, v in (
            ("rank", rank if rank != "globe" else None),
            ("category", category and category["slug"]),
            ("decade", decade),
        )
        if v
    }
    return render(
        request,
        "ceremony/upsets.html",
        {
            "page": page,
            "first_rank": page.start_index(),
            "total": len(rows),
            "categories": categories,
            "category": category,
            "decades": decades,
            "decade": decade,
            "rank": rank,
            "ranks": RANKS,
            "pager_query": urlencode(query) + "&" if query else "",
        },
    )


def chart(past: history.History) -> dict:
    """The carry-over chart's cells, laid out for the template's SVG (no script, no library)."""
    grid = past.decades
    size = CHART
    cells = []
    for row, key in enumerate(grid["keys"]):
        for col, decade in enumerate(grid["decades"]):
            held, counted = grid["cells"].get((key, decade), (0, 0))
            if not counted:
                continue
            share = held / counted
            cells.append(
                {
                    "x": size["label"] + col * size["cell"],
                    "y": size["top"] + row * size["row"],
                    # A count under 10 seasons, never a percentage (docs/archive.md).
                    "text": f"{round(100 * share)}%"
                    if counted >= history.MIN_SEASONS
                    else f"{held}/{counted}",
                    "title": f"{history.track_label(key)}, {decade}s: {held} of {counted}",
                    "opacity": round(0.12 + 0.78 * share, 2),
                }
            )
    return {
        "width": size["label"] + len(grid["decades"]) * size["cell"],
        "height": size["top"] + len(grid["keys"]) * size["row"] + 4,
        "cell_w": size["cell"] - 4,
        "cell_h": size["row"] - 4,
        "rows": [
            {"label": history.track_label(k), "y": size["top"] + i * size["row"]}
            for i, k in enumerate(grid["keys"])
        ],
        "columns": [
            {"label": f"{d}s", "x": size["label"] + i * size["cell"]}
            for i, d in enumerate(grid["decades"])
        ],
        "cells": cells,
    }


@require_safe
def seasons(request):
    """GET /seasons/: the carry-over rate per category across the decades (an SVG chart) and
    per year, each year linked to its season."""
    past = history.current()
    return render(
        request,
        "ceremony/seasons.html",
        {
            "years": past.years,
            "chart": chart(past),
            "several": any(y["favoured"] for y in past.years),
        },
    )


@require_safe
def season(request, year: int):
    """GET /seasons/<year>/: the Globes' winners beside the Oscars' in every linked category."""
    past = history.current()
    found = next((y for y in past.years if y["year"] == year), None)
    if found is None:
        raise Http404(f"No season with precursor links held in {year}.")
    years = [y["year"] for y in past.years]
    index = years.index(year)
    rows = []
    for s in found["seasons"]:
        track = past.track(s.key, s.date)
        view = past.season_view(s)
        rows.append(
            {
                "season": s,
                "label": history.track_label(s.key),
                "grade": (view["grade"] or history.grade(track)) if s.status == "upset" else None,
                "view": view,
            }
        )
    return render(
        request,
        "ceremony/season.html",
        {
            "year": found,
            "rows": rows,
            "several": any(r["view"]["several"] for r in rows),
            "newer": years[index - 1] if index > 0 else None,
            "older": years[index + 1] if index + 1 < len(years) else None,
        },
    )
