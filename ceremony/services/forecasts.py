"""The forecast's one write: fit it on the archive, season by season, and store every Oscar
nomination's probability as it stood before its night; ceremonies whose odds changed get a new
version. Run after every import (the commands) and by `manage.py forecast_fit`."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ceremony.forecast import features, fitting
from ceremony.forecast.models import Odds
from ceremony.models import AuditEntry
from ceremony.precursors import SUCCESSOR_BODY
from ceremony.services.versioning import Who, ceremony_lock, version_bump

# Probabilities closer than this are the same fit (the solver is deterministic; floats wobble).
SAME = 1e-9


@dataclass(frozen=True)
class FitSummary:
    ceremonies: int  # forecast
    nominations: int
    changed: int  # ceremonies whose odds changed, each given a new version

    def __str__(self):
        return (
            f"Forecast: {self.nominations} nominations of {self.ceremonies} Oscar ceremonies, "
            f"each from the seasons before it; {self.changed} ceremonies' odds changed."
        )


@transaction.atomic
def forecast_fit(*, editor: AbstractBaseUser | None = None, actor: str = "") -> FitSummary:
    """Fit the forecast on the archive and store the odds of every Oscar ceremony."""
    who = Who(editor, actor or "forecast_fit")
    groups = features.read_groups()
    forecasts = fitting.walk_forward(groups)
    new: dict[int, tuple[float, int]] = {}
    ceremony_of: dict[int, int] = {}
    for group in groups:
        forecast = forecasts.get(group.ceremony_id)
        if forecast is None:
            continue
        for nomination_id, p in zip(
            group.ids, forecast.probabilities[group.category_id], strict=True
        ):
            new[nomination_id] = (p, forecast.seasons)
            ceremony_of[nomination_id] = group.ceremony_id
    old = {}
    for nomination_id, p, seasons, ceremony_id in Odds.objects.filter(
        nomination__category__ceremony__body__name=SUCCESSOR_BODY
    ).values_list("nomination_id", "probability", "seasons", "nomination__category__ceremony_id"):
        old[nomination_id] = (p, seasons)
        ceremony_of.setdefault(nomination_id, ceremony_id)
    changed = {
        ceremony_of[n]
        for n in new.keys() | old.keys()
        if n not in new
        or n not in old
        or abs(new[n][0] - old[n][0]) > SAME
        or new[n][1] != old[n][1]
    }
    for ceremony_id in sorted(changed):
        ceremony = ceremony_lock(ceremony_id)
        Odds.objects.of_ceremony(ceremony_id).delete()
        Odds.objects.bulk_create(
            Odds(nomination_id=n, probability=p, seasons=s)
            for n, (p, s) in new.items()
            if ceremony_of[n] == ceremony_id
        )
        forecast = forecasts.get(ceremony_id)
        version_bump(
            ceremony,
            AuditEntry.Action.PRECURSOR,
            who,
            after={"forecast": forecast.seasons if forecast else None},
        )
    return FitSummary(ceremonies=len(forecasts), nominations=len(new), changed=len(changed))
