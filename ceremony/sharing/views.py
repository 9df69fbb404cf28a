"""The sharing routes: a page and a card per result, the ballot card, embeds, oEmbed and the
Atom feed (ceremony/sharing/feeds.py). Each reads the ceremony's current snapshot; a slug or
category that does not exist is a 404, bad query input one line of 400."""

from csp.decorators import csp_replace
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from ceremony.models import Ceremony
from ceremony.realtime import pagecache, snapshots
from ceremony.sharing import cards, oembed
from ceremony.sharing.results import (
    Result,
    ballot_card_text,
    result_card_text,
    result_of,
    scoreboard_order,
)


def _ceremony_snapshot(slug: str) -> tuple[Ceremony, snapshots.Snapshot]:
    # A rehearsal copy is never shared: nothing of it is public outside its own page.
    ceremony = get_object_or_404(Ceremony.objects.real().select_related("body"), slug=slug)
    return ceremony, snapshots.current_snapshot(ceremony)


def _result(snap: snapshots.Snapshot, category: str) -> Result:
    result = result_of(snap.data, category)
    if result is None:
        raise Http404(f"No category {category!r} in this ceremony.")
    return result


def _png(png: bytes, *, lasting: bool) -> HttpResponse:
    response = HttpResponse(png, content_type="image/png")
    # A URL that names what the card says (a ballot's score, a result's revision as the meta
    # tags give it) may be kept a day; any other only a minute, as a correction may follow.
    response["Cache-Control"] = f"public, max-age={86400 if lasting else 60}"
    return response


@require_safe
def result_page(request, slug, category):
    ceremony, snap = _ceremony_snapshot(slug)
    result = _result(snap, category)
    width, height = oembed.bounded_size(None, None, single=True)
    embed_code = oembed.iframe(
        request.build_absolute_uri(reverse("sharing:embed-category", args=[slug, category])),
        title=result.title,
        width=width,
        height=height,
    )
    return render(
        request,
        "sharing/result.html",
        {"ceremony": ceremony, "snapshot": snap.data, "result": result, "embed_code": embed_code},
    )


@require_safe
def result_card(request, slug, category):
    _, snap = _ceremony_snapshot(slug)
    result = _result(snap, category)
    if not result.shareable:
        raise Http404(f"{result.name} has no result yet.")
    current = request.GET.get("r") == str(result.category["revision"])
    return _png(cards.card_png(result_card_text(result)), lasting=current)


def _ballot(slug: str, called: int, total: int) -> tuple[Ceremony, snapshots.Snapshot]:
    """The ceremony of a ballot score; a 404 for a score no ballot of it can have."""
    ceremony, snap = _ceremony_snapshot(slug)
    most = snap.data["progress"]["total"]
    if not 0 < total <= most or called > total:
        raise Http404(f"A ballot of {ceremony.name} scores at most {most}.")
    return ceremony, snap


@require_safe
def ballot_card(request, slug, called, total):
    _, snap = _ballot(slug, called, total)
    return _png(cards.card_png(ballot_card_text(snap.data, called, total)), lasting=True)


@require_safe
def ballot_page(request, slug, called, total):
    ceremony, snap = _ballot(slug, called, total)
    return render(
        request,
        "sharing/ballot.html",
        {"ceremony": ceremony, "snapshot": snap.data, "called": called, "total": total},
    )


def framable(view):
    """Other sites may frame this view (CSP frame-ancestors *, no X-Frame-Options); every
    other page stays unframeable (settings: frame-ancestors 'none', X-Frame-Options DENY)."""
    return xframe_options_exempt(csp_replace({"frame-ancestors": ["*"]})(view))


@require_safe
@framable
def embed_scoreboard(request, slug):
    ceremony, snap = _ceremony_snapshot(slug)
    response = render(
        request,
        "sharing/embed.html",
        {"ceremony": ceremony, "snapshot": snap.data, "rows": scoreboard_order(snap.data)},
    )
    # Kept per version in front of Django, as the ceremony page is: a news site's live page
    # brings its readers' loads here all at once.
    return pagecache.mark(response, ceremony.pk, snap.version)


@require_safe
@framable
def embed_category(request, slug, category):
    ceremony, snap = _ceremony_snapshot(slug)
    result = _result(snap, category)
    return render(
        request,
        "sharing/embed.html",
        {"ceremony": ceremony, "snapshot": snap.data, "rows": [result], "one": result},
    )


@require_safe
def oembed_endpoint(request):
    query = oembed.OEmbedQuery(request.GET)
    if not query.is_valid():
        return HttpResponseBadRequest(query.one_line_error(), content_type="text/plain")
    if query.cleaned_data["format"] not in ("", "json"):
        return HttpResponse("Only format=json is served.", status=501, content_type="text/plain")
    target = oembed.target_of(query.cleaned_data["url"], request.get_host())
    if target is None:
        raise Http404("No embed for that URL: only this site's ceremony and result pages.")
    slug, category = target
    ceremony, snap = _ceremony_snapshot(slug)
    if category is None:
        embed_path, title = reverse("sharing:embed", args=[slug]), ceremony.name
    else:
        result = _result(snap, category)
        embed_path, title = reverse("sharing:embed-category", args=[slug, category]), result.title
    width, height = oembed.bounded_size(
        query.cleaned_data["maxwidth"], query.cleaned_data["maxheight"], single=category is not None
    )
    response = JsonResponse(
        oembed.rich_response(
            embed_url=request.build_absolute_uri(embed_path),
            title=title,
            width=width,
            height=height,
            provider_url=request.build_absolute_uri("/"),
        ),
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "public, max-age=300"
    return response
