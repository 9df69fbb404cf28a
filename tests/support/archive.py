"""The third-party archive files, read from ../shared/data (never copied into the project): their
paths, their import by the management commands for a whole test class, and oscars.csv read
independently of the importer.

Each run of import commands is done once per test session. On PostgreSQL, after each command
the tables an import writes (rows and id sequences) are copied out into memory; a class whose
commands begin with commands already run has that copy loaded back (the rows, ids and outputs a
fresh import gives) and runs only the rest. Copied, not a database template: nothing to
reconnect, and a class importing more than another reuses its start. The why and the figures:
docs/performance.md (*The test suite's real-data imports*)."""

import csv
import io
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction

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
    if connection.vendor == "postgresql":
        # The deletes below in one statement: every table an import writes (and the pools on
        # its ceremonies); the deletes took 6-15 s (docs/performance.md).
        tables = ", ".join(f'"{table}"' for table, _ in _archive_tables())
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} CASCADE")
        return
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
            outputs = _import(commands)
        yield outputs
    finally:
        with django_db_blocker.unblock():
            wipe()


# What an import writes: the archive's tables and the forecast's.
ARCHIVE_APPS = ("ceremony", "forecast")


@dataclass(frozen=True)
class _Saved:
    tables: dict[str, bytes]
    sequences: dict[str, tuple[int, bool]]
    outputs: tuple[str, ...]


# The archive as each run of commands left it, for the test session, by those commands (the
# files they name do not change during a session).
_saved: dict[tuple, _Saved] = {}


def _import(commands) -> list[str]:
    if connection.vendor != "postgresql" or not _archive_empty():
        return [run(*command) for command in commands]
    keys = [tuple(str(a) for a in command) for command in commands]
    done = max(n for n in range(len(keys) + 1) if n == 0 or tuple(keys[:n]) in _saved)
    outputs = []
    if done:
        saved = _saved[tuple(keys[:done])]
        _restore(saved)
        outputs = list(saved.outputs)
    for n in range(done, len(commands)):
        outputs.append(run(*commands[n]))
        _saved[tuple(keys[: n + 1])] = _save(outputs)
    return outputs


def _archive_tables() -> list[tuple[str, str]]:
    """Each table an import writes, with its primary key's column."""
    return [
        (model._meta.db_table, model._meta.pk.column)
        for label in ARCHIVE_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]


def _archive_empty() -> bool:
    with connection.cursor() as cursor:
        for table, _ in _archive_tables():
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')
            if cursor.fetchone()[0]:
                return False
    return True


def _save(outputs: list[str]) -> _Saved:
    tables, sequences = {}, {}
    with connection.cursor() as cursor:
        for table, pk in _archive_tables():
            with cursor.cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT BINARY)') as copy:
                tables[table] = b"".join(bytes(block) for block in copy)
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [f'"{table}"', pk])
            if sequence := cursor.fetchone()[0]:
                cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
                sequences[sequence] = cursor.fetchone()
    return _Saved(tables, sequences, tuple(outputs))


def _restore(saved: _Saved) -> None:
    # Django's foreign keys are checked at commit, so the tables load in any order.
    with transaction.atomic(), connection.cursor() as cursor:
        for table, data in saved.tables.items():
            with cursor.cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT BINARY)') as copy:
                copy.write(data)
        for sequence, (value, called) in saved.sequences.items():
            cursor.execute("SELECT setval(%s, %s, %s)", [sequence, value, called])


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
