import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from ceremony import services
from ceremony.importers import oscars_csv
from ceremony.importers.rows import ImportProblem
from ceremony.realtime import publish
from ceremony.text import ordinal


class Command(BaseCommand):
    help = (
        "Import every Academy Awards ceremony from oscars.csv (tab-separated, DLu/oscar_data "
        "format). Running it twice changes nothing; a malformed row is reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--ceremony",
            type=int,
            action="append",
            metavar="N",
            help="Import only ceremony N (repeatable).",
        )

    def handle(self, *args, path, ceremony, **options):
        started = time.monotonic()
        try:
            read = oscars_csv.read_oscars(path, editions=ceremony)
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file.") from None
        except (UnicodeDecodeError, ImportProblem) as exc:
            raise CommandError(f"{exc}. Nothing was imported.") from None
        for problem in read.problems:
            self.stderr.write(f"{path}: {problem}")
        groups = read.by_edition()
        if ceremony and (missing := sorted(set(ceremony) - set(groups))):
            raise CommandError(f"{path}: no ceremony {', '.join(map(str, missing))} in the file.")
        tally = run_import(
            self,
            groups,
            body=oscars_csv.OSCARS,
            name=lambda n: f"{ordinal(n)} Academy Awards",
            date=lambda n, rows: oscars_csv.oscar_date(rows[0].film_year),
            source=str(path),
        )
        report(self, tally, read, time.monotonic() - started)


def run_import(command, groups, *, body, name, date, source) -> dict:
    """Import each ceremony in its own transaction, with a progress bar over the rows."""
    tally = dict.fromkeys(
        ("created", "updated", "same", "imported", "merged", "unchanged", "failed"), 0
    )
    body_obj = services.body_named(body)
    identities = services.Identities()
    total = sum(len(rows) for rows in groups.values())
    bar = tqdm(total=total, unit="row", file=command.stderr._out, disable=total < 1)
    with bar, publish.unpublished():
        for edition, rows in groups.items():
            try:
                summary = services.ceremony_rows_import(
                    body=body_obj,
                    edition=edition,
                    name=name(edition),
                    date=date(edition, rows),
                    rows=rows,
                    identities=identities,
                    source=source,
                )
            except (services.ServiceError, DatabaseError) as exc:
                # That ceremony's transaction rolled back: forget what it had created.
                identities.reload()
                tally["failed"] += 1
                command.stderr.write(f"{name(edition)}: not imported ({exc}).")
                bar.update(len(rows))
                continue
            bar.update(len(rows))
            for note in summary.notes:
                command.stdout.write(note)
            key = "created" if summary.created else "updated" if summary.changed else "same"
            tally[key] += 1
            tally["imported"] += summary.imported
            tally["merged"] += summary.updated
            tally["unchanged"] += summary.unchanged
    return tally


def report(command, tally: dict, read, elapsed: float) -> None:
    command.stdout.write(
        f"Ceremonies: {tally['created']} created, {tally['updated']} updated, "
        f"{tally['same']} unchanged, {tally['failed']} failed.\n"
        f"Rows: {tally['imported']} imported, {tally['merged']} merged into existing "
        f"nominations, {tally['unchanged']} unchanged, {read.skipped} skipped as malformed, "
        f"{read.ignored} not nominations (or out of scope).\n"
        f"Took {elapsed:.1f} s."
    )
