"""The system check that refuses a database part way through the squashed migrations."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from ceremony.checks import SQUASHED, squashed_migrations_all_or_none

pytestmark = pytest.mark.django_db


def forget(*prefixes: str) -> None:
    """As if the database had never applied the ceremony migrations named by `prefixes`."""
    applied = MigrationRecorder(connection).migration_qs.filter(app="ceremony")
    for prefix in prefixes:
        applied.filter(name__startswith=prefix).delete()


def test_a_database_with_every_migration_applied_passes():
    assert squashed_migrations_all_or_none(databases=["default"]) == []


def test_a_database_that_applied_the_old_migrations_before_the_squash_passes():
    forget(SQUASHED)

    assert squashed_migrations_all_or_none(databases=["default"]) == []


def test_a_database_part_way_through_the_squashed_migrations_is_refused_by_migrate():
    forget(SQUASHED, "0006", "0007", "0008")

    errors = squashed_migrations_all_or_none(databases=["default"])

    assert [e.id for e in errors] == ["ceremony.E001"]
    assert "0005_audit_protect_actions_time_zones" in errors[0].msg
    with pytest.raises(SystemCheckError, match=r"ceremony\.E001"):
        call_command("migrate", skip_checks=False, verbosity=0)
