"""The forecast in tests: the archive its figures in docs/forecast.md are computed on, for a test
class (everything `whole_history` imports, then the four precursor bodies of the IMDb awards
files, import_awards, as docs/forecast.md says); and stored odds for a small ceremony."""

from contextlib import contextmanager

from ceremony import services
from ceremony.forecast.models import Odds
from ceremony.models import Category, Ceremony
from tests.support.archive import GLOBES_CSV, OSCARS_CSV, imported, require
from tests.support.environment import SHARED_DATA

AWARDS = SHARED_DATA / "third_party" / "imdb-awards"
BODIES = ("bafta", "actor-awards", "critics-choice", "spirit-awards")


@contextmanager
def forecast_archive(django_db_blocker):
    require(GLOBES_CSV)
    require(OSCARS_CSV)
    bodies = [require(AWARDS / f"{name}.yml") for name in BODIES]
    globes_json = sorted(SHARED_DATA.glob("golden-globes-*.json"))
    with imported(
        django_db_blocker,
        ("import_globes", GLOBES_CSV, *globes_json),
        ("import_oscars", OSCARS_CSV),
        ("import_awards", *bodies),
    ) as outputs:
        yield outputs


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
