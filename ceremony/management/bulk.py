"""What the import commands share: each ceremony written in its own transaction through the one
import writer, a progress bar, the summary, the near misses left for a person to decide, and an
exit status that says whether any ceremony failed."""

import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from ceremony import services
from ceremony.importers.spec import CeremonySpec
from ceremony.realtime import publish


def add_bulk_arguments(parser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="Merge into ceremonies that are live or final (results never over a live one).",
    )


def json_import(command: BaseCommand, spec: CeremonySpec, *, force: bool, fit: bool = True) -> None:
    try:
        summary = services.ceremony_import(spec=spec, force=force)
    except services.ServiceError as exc:
        raise CommandError(f"{exc}. Nothing was imported.") from None
    command.stdout.write(str(summary))
    if fit:
        command.stdout.write(str(services.forecast_fit(actor="import")))


@contextmanager
def fitting_once(command: BaseCommand):
    """For a command importing several files: the forecast fitted once after all of them (a fit
    reads the whole archive), also when a file fails (those before it are in)."""
    try:
        yield
    finally:
        with publish.unpublished():
            command.stdout.write(str(services.forecast_fit(actor="import")))


def bulk_import(
    command: BaseCommand,
    read,
    *,
    source: str,
    force: bool,
    identities: services.Identities | None = None,
    fit: bool = True,
) -> None:
    """Import each ceremony of a read file; then give name-only credits to the identified
    people the evidence points to, fit the forecast (unless `fit` is false: the command fits
    once after all its files, `fitting_once`), and report. Several files in one command share
    `identities` (the archive is read once)."""
    started = time.monotonic()
    for problem in read.problems:
        command.stderr.write(f"{source}: {problem}")
    tally = dict.fromkeys(("created", "updated", "same", "left", "failed"), 0)
    rows = dict.fromkeys(("created", "updated", "unchanged"), 0)
    identities = identities or services.Identities()
    first_miss = len(identities.near_misses)
    total = sum(sum(len(c.nominations) for c in spec.categories) for spec in read.ceremonies)
    bar = tqdm(total=total, unit="row", file=command.stderr._out, disable=total < 1)
    # Each near miss with the ceremony whose import left it, for the editors' page.
    misses: list = []
    with bar, publish.unpublished():
        for spec in read.ceremonies:
            size = sum(len(c.nominations) for c in spec.categories)
            seen = len(identities.near_misses)
            try:
                summary = services.ceremony_import(spec=spec, identities=identities, force=force)
                misses += [(summary.ceremony, m) for m in identities.near_misses[seen:]]
            except (services.ServiceError, DatabaseError) as exc:
                # That ceremony's transaction rolled back: forget what it had created.
                identities.reload()
                tally["failed"] += 1
                command.stderr.write(f"{spec.name}: not imported ({exc}).")
                bar.update(size)
                continue
            bar.update(size)
            for note in summary.notes:
                command.stdout.write(note)
            if summary.left_alone:
                tally["left"] += 1
                command.stdout.write(str(summary))
                continue
            key = "created" if summary.created else "updated" if summary.changed else "same"
            tally[key] += 1
            rows["created"] += summary.nominations_created
            rows["updated"] += summary.nominations_updated
            rows["unchanged"] += summary.nominations_unchanged
        identities.aliases_add(getattr(read, "aliases", {}))
        moved = services.people_reconcile(identities=identities)
        if moved:
            services.ceremony_touch(
                ceremony_ids=sorted(moved),
                editor=None,
                actor="import",
                change="credits given to the identified people they name",
                action="identity",
            )
        forecast = services.forecast_fit(actor="import") if fit else None
    for miss in identities.near_misses[first_miss:]:
        command.stdout.write(f"Near miss, for a person to decide: {miss}.")
    if misses:
        new = services.near_misses_record(misses=misses, source=source)
        command.stdout.write(f"Near misses: {new} new on the editors' disagreements page.")
    command.stdout.write(
        f"Ceremonies: {tally['created']} created, {tally['updated']} updated, "
        f"{tally['same']} unchanged, {tally['left']} left alone (live or final; --force "
        f"merges), {tally['failed']} failed.\n"
        f"Rows: {rows['created']} imported, {rows['updated']} merged into existing "
        f"nominations, {rows['unchanged']} unchanged, {read.skipped} skipped as malformed, "
        f"{read.ignored} not nominations (or out of scope).\n"
        f"People: credits of {len(moved)} ceremonies given to identified people.\n"
        + (f"{forecast}\n" if forecast else "")
        + f"Took {time.monotonic() - started:.1f} s."
    )
    if tally["failed"]:
        raise CommandError(f"{tally['failed']} ceremonies failed; the others were imported.")
