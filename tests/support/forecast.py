"""The archive the forecast's figures in docs/forecast.md are computed on, for a test class:
everything `whole_history` imports, then the four precursor bodies of the IMDb awards files
(import_awards), as docs/forecast.md says."""

from contextlib import contextmanager

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
