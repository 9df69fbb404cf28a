"""The third-party archive files, read from ../shared/data (never copied into the project): their
paths, their import by the management commands for a whole test class, and oscars.csv read
independently of the importer."""

import csv
import io
from contextlib import contextmanager

from django.core.management import call_command

from ceremony.models import AuditEntry, AwardBody, Ceremony, Film, Nomination, Person
from tests.support.environment import SHARED_DATA, unavailable

OSCARS_CSV = SHARED_DATA / "third_party" / "oscars.csv"
GLOBES_CSV = SHARED_DATA / "third_party" / "golden_globe_awards.csv"


def require(path):
    """Skip without the shared data locally; in CI its absence is a failure."""
    if not path.exists():
        unavailable(f"needs {path} (the shared data, read from ../shared/data)")
    return path


def run(command: str, *args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def wipe() -> None:
    Nomination.films.through.objects.all().delete()
    Nomination.people.through.objects.all().delete()
    # Audit entries protect their ceremonies from deletion; this wipe is tests' own clean-up.
    AuditEntry.objects.all().delete()
    Ceremony.objects.all().delete()
    Film.objects.all().delete()
    Person.objects.all().delete()
    AwardBody.objects.all().delete()


@contextmanager
def imported(django_db_blocker, *commands):
    """Import once for a whole test class (committed), and remove it all afterwards, so other
    tests find the empty database they expect."""
    try:
        with django_db_blocker.unblock():
            outputs = [run(*command) for command in commands]
        yield outputs
    finally:
        with django_db_blocker.unblock():
            wipe()


@contextmanager
def whole_history(django_db_blocker):
    """Everything in ../shared/data for a test class: the Globes (the CSV, then the JSON files
    of 2021-2025) and then every Oscar ceremony of oscars.csv."""
    require(GLOBES_CSV)
    require(OSCARS_CSV)
    globes_json = sorted(SHARED_DATA.glob("golden-globes-*.json"))
    with imported(
        django_db_blocker,
        ("import_globes", GLOBES_CSV, *globes_json),
        ("import_oscars", OSCARS_CSV),
    ) as outputs:
        yield outputs


def oscar_rows() -> list[dict]:
    """oscars.csv read independently of the importer, with the csv module."""
    with OSCARS_CSV.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        return [dict(zip(header, cells + [""] * len(header), strict=False)) for cells in reader]


def is_nomination(row: dict) -> bool:
    """Preliminary lists are not nominations; a winner among them still won."""
    return "NOT AN OFFICIAL NOMINATION" not in row["Note"].upper() or row["Winner"] == "True"


IMDB_AWARDS = SHARED_DATA / "third_party" / "imdb-awards"
# The precursor bodies of the IMDb awards files (import_awards): every body but the Globes'
# and the Oscars' second sources.
PRECURSOR_FILES = ("bafta", "actor-awards", "critics-choice", "spirit-awards")


@contextmanager
def every_body(django_db_blocker):
    """The whole history (`whole_history`) and every precursor body's IMDb awards file, as a user
    would import them, for a test class."""
    require(GLOBES_CSV)
    require(OSCARS_CSV)
    files = [require(IMDB_AWARDS / f"{name}.yml") for name in PRECURSOR_FILES]
    globes_json = sorted(SHARED_DATA.glob("golden-globes-*.json"))
    with imported(
        django_db_blocker,
        ("import_globes", GLOBES_CSV, *globes_json),
        ("import_oscars", OSCARS_CSV),
        ("import_awards", *files),
    ) as outputs:
        yield outputs
