import datetime as dt
import zoneinfo

from django import template
from django.utils.formats import date_format

register = template.Library()


@register.filter
def local_time(value: str | None, tz_name: str) -> str:
    """An ISO timestamp from a snapshot, as the time in the ceremony's zone: '5:47 PM PST'."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value).astimezone(zoneinfo.ZoneInfo(tz_name))
    return moment.strftime("%-I:%M %p %Z")


@register.filter
def held_on(ceremony, fmt: str = "j F Y") -> str:
    """When a ceremony was held, in the `date` filter's `fmt`; the year alone where only the
    year is known (`date_exact` False: the stored day is a placeholder, never shown)."""
    if not ceremony.date_exact:
        return str(ceremony.date.year)
    return date_format(ceremony.date, fmt)
