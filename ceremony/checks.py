"""System checks of the database a process is given: run by `migrate` (and `check --database`).

Migrations 0001-0008 were squashed into one that replaces them (docs/architecture.md, *Repeated
code*). A database that stopped part way through them would otherwise get nothing from
`migrate`, silently: the squashed migration is not applied over a partial set, and the old files
are gone. Upgrading past 0008: docs/deploy.md.
"""

from importlib import import_module

from django.core.checks import Error, Tags, register
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

SQUASHED = "0001_squashed_0008_ceremony_starts_at"


@register(Tags.database)
def squashed_migrations_all_or_none(app_configs=None, databases=None, **kwargs) -> list[Error]:
    replaced = {
        name for _, name in import_module(f"ceremony.migrations.{SQUASHED}").Migration.replaces
    }
    errors = []
    for alias in databases or ():
        recorder = MigrationRecorder(connections[alias])
        if not recorder.has_table():
            continue
        applied = {name for app, name in recorder.applied_migrations() if app == "ceremony"}
        done = applied & replaced
        if done and done != replaced and SQUASHED not in applied:
            errors.append(
                Error(
                    f"Database {alias!r} is part way through the ceremony migrations 0001-0008 "
                    f"(the last applied is {max(done)}): migrate cannot finish them here.",
                    hint="Migrate with the release before the squash first, then this one "
                    "(docs/deploy.md, Upgrading past 0008).",
                    id="ceremony.E001",
                )
            )
    return errors
