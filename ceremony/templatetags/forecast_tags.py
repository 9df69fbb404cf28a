"""The forecast on the ceremony page, from the snapshot (static/ceremony/odds.js renders the same
on a live page): a nominee's odds, how surprising a result was, the forecast's ballot."""

from django import template

from ceremony.forecast import odds

register = template.Library()


@register.simple_tag
def odds_of(cat: dict, nomination_id: int) -> str:
    """'62%' (or 'under 1%') for a nominee with odds, else ''."""
    p = dict(cat.get("forecast") or []).get(nomination_id)
    return "" if p is None else odds.percent(p)


@register.simple_tag
def surprise(snapshot: dict, slug: str) -> str:
    return odds.surprise(snapshot, slug)


@register.simple_tag
def forecast_ballot(snapshot: dict) -> str:
    return odds.ballot_text(snapshot)
