"""The precursor rules: which Golden Globe category precedes which Oscar category, and which
ceremonies make one awards season. Pure and read-only; the links are written by
`ceremony.services.precursors`, the verdicts read by `ceremony.scoreboard`.
"""

import datetime as dt
import json
from functools import cache
from pathlib import Path

from ceremony.models import Ceremony
from ceremony.text import fold_category_name

PRECURSORS_PATH = Path(__file__).with_name("data") / "precursors.json"
# Globes held this long before an Oscar ceremony count as its season's precursor.
SEASON_WINDOW = dt.timedelta(days=120)
# precursors.json maps the Golden Globes' categories onto the Academy Awards'.
PRECURSOR_BODY = "Golden Globe Awards"
SUCCESSOR_BODY = "Academy Awards"


@cache
def precursor_rules() -> list[dict]:
    with PRECURSORS_PATH.open(encoding="utf-8") as fh:
        rules = json.load(fh)["categories"]
    return [
        {
            "oscar": {fold_category_name(n) for n in rule["oscar"]},
            "globes": {fold_category_name(n) for n in rule["globes"]},
            "match": rule["match"],
        }
        for rule in rules
    ]


def season_partners(ceremony: Ceremony, partner_body: str) -> list[Ceremony]:
    """The other body's ceremonies of the same awards season."""
    others = Ceremony.objects.filter(body__name=partner_body)
    if ceremony.film_year:
        return list(others.filter(film_year=ceremony.film_year))
    if partner_body == SUCCESSOR_BODY:  # a Globe ceremony: the Oscars held in the window after it
        return list(others.filter(date__gt=ceremony.date, date__lte=ceremony.date + SEASON_WINDOW))
    return list(
        others.filter(date__lt=ceremony.date, date__gte=ceremony.date - SEASON_WINDOW).order_by(
            "-date"
        )[:1]
    )
