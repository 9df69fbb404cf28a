"""`{% ceremony_sharing_head snapshot %}` and `{% result_sharing_head result %}`: the meta tags
(Open Graph, Twitter), the oEmbed and Atom discovery links and the JSON-LD a page's head
carries; `{% follow_panel snapshot %}`: the alerts' choices on a ceremony page."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from ceremony.sharing import structured
from ceremony.sharing.results import (
    Result,
    ballot_card_text,
    result_card_text,
    shareable_results,
)

register = template.Library()


def _links(request, page_path: str, slug: str) -> dict[str, str]:
    page = request.build_absolute_uri(page_path)
    return {
        "url": page,
        "oembed": reverse("sharing:oembed") + "?" + urlencode({"url": page, "format": "json"}),
        "feed": reverse("sharing:feed", args=[slug]),
    }


def _card_url(request, result: Result) -> str:
    path = reverse("sharing:card", args=[result.ceremony["slug"], result.slug])
    # The revision in the query: a correction makes a new URL, so platforms fetch the new card.
    return request.build_absolute_uri(f"{path}?r={result.category['revision']}")


@register.inclusion_tag("sharing/_head.html", takes_context=True)
def ceremony_sharing_head(context, snapshot):
    request = context["request"]
    c = snapshot["ceremony"]
    links = _links(request, reverse("ceremony:detail", args=[c["slug"]]), c["slug"])
    latest = shareable_results(snapshot)[:1]
    progress = snapshot["progress"]
    description = f"{progress['announced']} of {progress['total']} categories awarded."
    if latest:
        description = f"Latest: {latest[0].title}. {description}"
    return {
        **links,
        "title": c["name"],
        "description": description,
        "image": _card_url(request, latest[0]) if latest else "",
        "image_alt": latest[0].title if latest else "",
        "jsonld": structured.script_text(
            structured.ceremony_nodes(
                snapshot,
                links["url"],
                lambda category: request.build_absolute_uri(
                    reverse("sharing:result", args=[c["slug"], category])
                ),
            )
        ),
    }


@register.inclusion_tag("sharing/_head.html", takes_context=True)
def result_sharing_head(context, result: Result):
    request = context["request"]
    slug = result.ceremony["slug"]
    links = _links(request, reverse("sharing:result", args=[slug, result.slug]), slug)
    card = result_card_text(result)
    return {
        **links,
        "title": f"{result.title} · {result.ceremony['name']}",
        "description": result.summary,
        "image": _card_url(request, result) if result.shareable else "",
        "image_alt": f"{card.title}: {card.headline}",
    }


@register.inclusion_tag("sharing/_head.html", takes_context=True)
def ballot_sharing_head(context, snapshot, called: int, total: int):
    request = context["request"]
    slug = snapshot["ceremony"]["slug"]
    links = _links(request, reverse("sharing:ballot", args=[slug, called, total]), slug)
    card = ballot_card_text(snapshot, called, total)
    return {
        **links,
        "title": f"{card.headline} · {card.kicker}",
        "description": f"{card.headline} at the {card.kicker}. {card.verdict}",
        "image": request.build_absolute_uri(
            reverse("sharing:ballot-card", args=[slug, called, total])
        ),
        "image_alt": f"A card: {card.headline} at the {card.kicker}.",
    }


@register.inclusion_tag("sharing/_follow.html")
def follow_panel(snapshot):
    films = sorted({(t["slug"], t["film"]) for t in snapshot["tallies"]}, key=lambda f: f[1])
    return {
        "ceremony": snapshot["ceremony"],
        "categories": snapshot["categories"],
        "films": [{"slug": slug, "title": title} for slug, title in films],
    }
