"""Trigram search on the folded names (PostgreSQL only; SQLite searches by substring)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "ceremony_film_key_trgm": "ceremony_film",
    "ceremony_person_key_trgm": "ceremony_person",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (key gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("ceremony", "0003_editors_desk_and_audit_only")]

    operations = [
        # A no-op on other databases.
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
