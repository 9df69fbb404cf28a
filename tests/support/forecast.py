"""Stored odds for a small ceremony, as a fit leaves them. (The archive the figures in
docs/forecast.md are computed on is `every_body` in tests/support/archive.py.)"""

from ceremony import services
from ceremony.forecast.models import Odds
from ceremony.models import Category, Ceremony


def odds_for(ceremony: Ceremony) -> dict[int, float]:
    """Stored odds for every nomination of the ceremony, falling in its order (5, 4, 3, 2, 1
    parts), as a fit leaves them (a demo has no past seasons to fit on), and a new version so
    the pages show them. Returns them by nomination id."""
    stored = {}
    for category in Category.objects.filter(ceremony=ceremony).prefetch_related("nominations"):
        nominations = list(category.nominations.all())
        weights = [len(nominations) - i for i in range(len(nominations))]
        for nomination, weight in zip(nominations, weights, strict=True):
            stored[nomination.pk] = weight / sum(weights)
    Odds.objects.bulk_create(
        Odds(nomination_id=n, probability=p, seasons=96) for n, p in stored.items()
    )
    services.ceremony_touch(ceremony_ids=[ceremony.pk], editor=None, change="odds")
    return stored
