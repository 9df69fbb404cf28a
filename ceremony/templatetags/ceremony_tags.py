import datetime as dt
import zoneinfo

from django import template

register = template.Library()


@register.filter
def local_time(value: str | None, tz_name: str) -> str:
    """An ISO timestamp from a snapshot, as the time in the ceremony's zone: '5:47 PM PST'."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value).astimezone(zoneinfo.ZoneInfo(tz_name))
    return moment.strftime("%-I:%M %p %Z")
