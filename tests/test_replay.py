import json

import pytest
from django.core.management import CommandError, call_command

from ceremony.models import AuditEntry, Category, Ceremony, Nomination
from tests.support.environment import DEMO


def test_replay_records_every_result_in_presentation_order_through_the_write_path(oscars_97):
    version = Ceremony.objects.get(pk=oscars_97.pk).version

    call_command(
        "replay_ceremony", oscars_97.slug, str(DEMO / "oscars-97-results.json"), "--interval", "0"
    )

    ceremony = Ceremony.objects.get(pk=oscars_97.pk)
    assert ceremony.status == "live"
    # One status change, then one write per category.
    assert ceremony.version == version + 1 + 23
    recorded = list(
        AuditEntry.objects.filter(ceremony=ceremony, action="record")
        .order_by("version")
        .values_list("category__name", flat=True)
    )
    assert recorded == list(ceremony.categories.in_order().values_list("name", flat=True))
    assert AuditEntry.objects.get(ceremony=ceremony, action="status").editor_name == "replay"
    assert Nomination.objects.filter(category__ceremony=ceremony, won=True).count() == 23


def test_replay_again_changes_nothing(oscars_97):
    results = str(DEMO / "oscars-97-results.json")
    call_command("replay_ceremony", oscars_97.slug, results, "--interval", "0")
    version = Ceremony.objects.get(pk=oscars_97.pk).version

    call_command("replay_ceremony", oscars_97.slug, results, "--interval", "0")

    assert Ceremony.objects.get(pk=oscars_97.pk).version == version


def test_a_results_file_naming_a_non_nominee_stops_before_recording_anything(oscars_97, tmp_path):
    data = json.loads((DEMO / "oscars-97-results.json").read_text(encoding="utf-8"))
    picture = next(c for c in data["categories"] if c["name"] == "Best Picture")
    picture["nominees"].append({"film": "La La Land", "nominee": None, "won": True})
    picture["nominees"] = [n for n in picture["nominees"] if n["film"] != "Anora"]
    path = tmp_path / "results.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(CommandError, match=r"La La Land.*is not a nominee in Best Picture"):
        call_command("replay_ceremony", oscars_97.slug, str(path), "--interval", "0")

    assert not Nomination.objects.filter(won=True, category__ceremony=oscars_97).exists()
    assert Ceremony.objects.get(pk=oscars_97.pk).status == "draft"


def test_a_tie_in_the_results_file_is_recorded_as_a_tie(oscars_97, tmp_path):
    data = json.loads((DEMO / "oscars-97-results.json").read_text(encoding="utf-8"))
    short = next(c for c in data["categories"] if c["name"] == "Best Live Action Short")
    short["nominees"][0]["won"] = True
    data["categories"] = [short]
    path = tmp_path / "tie.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    call_command("replay_ceremony", oscars_97.slug, str(path), "--interval", "0")

    category = Category.objects.get(ceremony=oscars_97, name="Best Live Action Short")
    assert category.is_tie
    assert category.nominations.won().count() == 2


def test_unknown_ceremony_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No ceremony with slug 'nope'"):
        call_command("replay_ceremony", "nope", str(DEMO / "oscars-97-results.json"))
