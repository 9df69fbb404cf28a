"""Test data, built through the services as an editor or an import would: ceremonies in the
import format, the demo files, results recorded, and the Editors group."""

import json
from importlib import import_module

from django.contrib.auth.models import Group, Permission

from ceremony import services
from ceremony.importers.json_file import ceremony_spec
from ceremony.models import Ceremony, Nomination
from ceremony.text import name_key
from tests.support.environment import DEMO


def demo_data(name: str) -> dict:
    return json.loads((DEMO / name).read_text(encoding="utf-8"))


def ceremony_data(categories: dict[str, list], **fields) -> dict:
    """A ceremony in the import format. Nominees are "Film" or ("Film", "Nominee") or
    ("Film", "Nominee", True) for a winner."""
    rows = []
    for name, nominees in categories.items():
        entries = []
        for n in nominees:
            n = (n,) if isinstance(n, str) else n
            entries.append(
                {"film": n[0], "nominee": n[1] if len(n) > 1 else None, "won": len(n) > 2 and n[2]}
            )
        rows.append({"name": name, "nominees": entries})
    return {
        "ceremony": "1st Test Awards",
        "body": "Test Awards",
        "edition": 1,
        "date": "2025-03-02",
        "venue": "A hall",
        "categories": rows,
        **fields,
    }


def make_ceremony(categories: dict[str, list], *, status: str = "live", **fields) -> Ceremony:
    summary = services.ceremony_import(
        spec=ceremony_spec(ceremony_data(categories, **fields), source="test", with_results=False)
    )
    ceremony = summary.ceremony
    if status != ceremony.status:
        services.ceremony_set_status(ceremony_id=ceremony.pk, status="live", editor=None)
        if status == "final":
            services.ceremony_set_status(ceremony_id=ceremony.pk, status="final", editor=None)
    ceremony.refresh_from_db()
    return ceremony


def nomination(ceremony: Ceremony, category: str, who: str) -> Nomination:
    """The nomination in `category` whose nominee or film is `who`."""
    for n in Nomination.objects.filter(category__ceremony=ceremony, category__name=category):
        if name_key(who) in (name_key(n.nominee), name_key(n.film_title)):
            return n
    raise LookupError(f"{who!r} is not nominated in {category!r}")


def record(ceremony: Ceremony, category: str, *who: str, editor=None, **kwargs):
    noms = [nomination(ceremony, category, w) for w in who]
    return services.result_record(
        category_id=noms[0].category_id,
        nomination_ids=[n.pk for n in noms],
        editor=editor,
        tie=len(noms) > 1,
        **kwargs,
    )


def record_all(ceremony: Ceremony, results: dict, editor=None) -> None:
    """Record every winner of a results file, in the file's order."""
    for row in results["categories"]:
        winners = [n for n in row["nominees"] if n.get("won")]
        for n in winners:
            record_one = nomination(ceremony, row["name"], n["nominee"] or n["film"])
            assert record_one.film_title == n["film"]
        record(
            ceremony, row["name"], *[(n["nominee"] or n["film"]) for n in winners], editor=editor
        )


def demo_show_live() -> Ceremony:
    """The demo season: the 82nd Golden Globes with results, then the 97th Academy Awards'
    nominees, live. Call it off a test's event loop (browser tests: `off_loop`)."""
    services.ceremony_import(spec=ceremony_spec(demo_data("golden-globes-82.json"), source="test"))
    spec = ceremony_spec(demo_data("oscars-97-nominees.json"), source="test", with_results=False)
    oscars = services.ceremony_import(spec=spec).ceremony
    services.ceremony_set_status(ceremony_id=oscars.pk, status="live", editor=None)
    return oscars


# Its module name starts with a digit: imported by name, not with an import statement.
SQUASHED_MIGRATION = "ceremony.migrations.0001_squashed_0008_ceremony_starts_at"
SEASON_MIGRATION = "ceremony.migrations.0010_season_sources"


def editors_group() -> Group:
    """The Editors group as the migrations leave it. A transactional test's flush empties
    every table, the migrations' data included, so a later such test may need it put back."""
    group, created = Group.objects.get_or_create(name="Editors")
    if created:
        granted = import_module(SQUASHED_MIGRATION).EDITOR_PERMISSIONS
        granted = [*granted, *import_module(SEASON_MIGRATION).SETTLE_PERMISSIONS]
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="ceremony", codename__in=granted)
        )
    return group


def precursor_link(oscars: Ceremony, category: str, precursor: Ceremony, name: str, match: str):
    """Link a precursor body's category to an Oscar category, as its importer's linking does
    (for bodies whose links are not made by `precursors_update`)."""
    from ceremony.models import PrecursorLink

    return PrecursorLink.objects.get_or_create(
        category=oscars.categories.get(name=category),
        precursor=precursor.categories.get(name=name),
        defaults={"match": match},
    )[0]
