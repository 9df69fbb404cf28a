from django import template

register = template.Library()


@register.filter
def timeline(snapshot: dict) -> list[dict]:
    """The announced categories of a snapshot, first announced first."""
    announced = [c for c in snapshot["categories"] if c["announced"] and c["announced_at"]]
    return sorted(announced, key=lambda c: c["announced_at"])
