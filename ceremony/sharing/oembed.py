"""The oEmbed provider's rules (https://oembed.com): which URLs it answers for (this site's
ceremony and result pages only), the sizes it allows, and the `rich` response it gives."""

from urllib.parse import urlsplit

from django import forms
from django.urls import Resolver404, resolve
from django.utils.html import format_html

# The embed's size: its default, and the bounds any maxwidth/maxheight is held within.
DEFAULT_WIDTH, MAX_WIDTH = 600, 1200
DEFAULT_HEIGHT, MAX_HEIGHT = 640, 1600
CATEGORY_HEIGHT = 260


class OEmbedQuery(forms.Form):
    # Checked by target_of: a page of this very host (a URLField would refuse "localhost:8000").
    url = forms.CharField(max_length=2000)
    format = forms.CharField(max_length=10, required=False)
    maxwidth = forms.IntegerField(min_value=1, max_value=10**9, required=False)
    maxheight = forms.IntegerField(min_value=1, max_value=10**9, required=False)

    def one_line_error(self) -> str:
        field, errors = next(iter(self.errors.items()))
        return f"{field}: {errors[0]}"


def target_of(url: str, host: str) -> tuple[str, str | None] | None:
    """(ceremony slug, category slug or None) of a ceremony or result page of `host`, else
    None: a foreign site's URL, or a page of this site with no embed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != host.lower():
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name == "ceremony:detail":
        return match.kwargs["slug"], None
    if match.view_name == "sharing:result":
        return match.kwargs["slug"], match.kwargs["category"]
    return None


def bounded_size(maxwidth: int | None, maxheight: int | None, *, single: bool) -> tuple[int, int]:
    """The iframe's size: the consumer's maximum width (the embed fits any), the default height,
    never over the consumer's maximum nor past the provider's bounds (a huge maxwidth gets
    MAX_WIDTH)."""
    width = min(maxwidth, MAX_WIDTH) if maxwidth else DEFAULT_WIDTH
    height = CATEGORY_HEIGHT if single else DEFAULT_HEIGHT
    return width, min(height, maxheight, MAX_HEIGHT) if maxheight else height


def iframe(embed_url: str, *, title: str, width: int, height: int) -> str:
    """The HTML another site pastes (or its CMS gets from oEmbed) to embed."""
    return format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" style="border:0;max-width:100%" '
        'loading="lazy"></iframe>',
        embed_url,
        width,
        height,
        title,
    )


def rich_response(*, embed_url: str, title: str, width: int, height: int, provider_url: str):
    html = iframe(embed_url, title=title, width=width, height=height)
    return {
        "version": "1.0",
        "type": "rich",
        "provider_name": "Awards tracker",
        "provider_url": provider_url,
        "title": title,
        "html": str(html),
        "width": width,
        "height": height,
        "cache_age": 300,
    }
