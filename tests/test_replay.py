import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from ceremony import services
from ceremony.models import AuditEntry, Category, Ceremony, Nomination
from tests.support.archive import GLOBES_CSV, OSCARS_CSV, imported, require
from tests.support.builders import ceremony_data, make_ceremony
from tests.support.environment import DEMO

RESULTS = str(DEMO / "oscars-97-results.json")


def replay(slug: str, results: str = RESULTS, *args: str) -> str:
    out = io.StringIO()
    call_command("replay_ceremony", slug, results, "--interval", "0", *args, stdout=out)
    return out.getvalue()


def rehearsal_of(ceremony: Ceremony) -> Ceremony:
    return Ceremony.objects.get(slug=f"{ceremony.slug}-rehearsal")


def test_replay_rehearses_on_a_copy_in_presentation_order_and_leaves_the_real_one_alone(
    oscars_97,
):
    real_version = Ceremony.objects.get(pk=oscars_97.pk).version

    output = replay(oscars_97.slug)

    copy = rehearsal_of(oscars_97)
    assert copy.rehearsal is True
    assert copy.status == "live"
    assert "the real ceremony is not touched" in output
    recorded = list(
        AuditEntry.objects.filter(ceremony=copy, action="record")
        .order_by("version")
        .values_list("category__name", flat=True)
    )
    assert recorded == list(copy.categories.in_order().values_list("name", flat=True))
    assert len(recorded) == 23
    assert Nomination.objects.filter(category__ceremony=copy, won=True).count() == 23
    real = Ceremony.objects.get(pk=oscars_97.pk)
    assert (real.version, real.status) == (real_version, "draft")
    assert not Nomination.objects.filter(category__ceremony=real, won=True).exists()
    # The copy shows the same precursor verdicts as the real ceremony would.
    api = Client().get(f"/api/ceremonies/{copy.slug}/").json()
    actress = next(c for c in api["categories"] if c["slug"] == "best-actress")
    assert actress["precursor"]["status"] == "upset"


def test_a_rehearsal_is_reset_and_replayed_as_often_as_wanted_while_the_real_one_stays(
    oscars_97,
):
    real_version = Ceremony.objects.get(pk=oscars_97.pk).version
    replay(oscars_97.slug)
    first = rehearsal_of(oscars_97).version

    replay(oscars_97.slug)

    copy = rehearsal_of(oscars_97)
    assert copy.version > first  # versions only go up: readers of the copy follow the reset
    assert AuditEntry.objects.filter(ceremony=copy, action="record").count() == 46
    assert AuditEntry.objects.filter(ceremony=copy, action="rehearsal").count() == 2
    assert Nomination.objects.filter(category__ceremony=copy, won=True).count() == 23
    assert Ceremony.objects.get(pk=oscars_97.pk).version == real_version
    assert Ceremony.objects.filter(rehearsal=True).count() == 1


def test_the_rehearsal_slug_replays_onto_the_same_copy(oscars_97):
    replay(oscars_97.slug)

    replay(f"{oscars_97.slug}-rehearsal")

    assert Ceremony.objects.filter(rehearsal=True).count() == 1
    assert (
        AuditEntry.objects.filter(ceremony=rehearsal_of(oscars_97), action="record").count() == 46
    )


def test_replaying_onto_a_final_ceremony_is_refused_and_changes_nothing(oscars_97, results_97):
    replay(oscars_97.slug, RESULTS, "--in-place")
    services.ceremony_set_status(ceremony_id=oscars_97.pk, status="final", editor=None)
    version = Ceremony.objects.get(pk=oscars_97.pk).version

    with pytest.raises(CommandError, match=r"97th Academy Awards is final: .*Nothing was done"):
        replay(oscars_97.slug, RESULTS, "--in-place")

    real = Ceremony.objects.get(pk=oscars_97.pk)
    assert (real.status, real.version) == ("final", version)
    # Without --in-place the rehearsal goes ahead on the copy, the final ceremony untouched.
    replay(oscars_97.slug)
    real = Ceremony.objects.get(pk=oscars_97.pk)
    assert (real.status, real.version) == ("final", version)
    assert rehearsal_of(oscars_97).status == "live"


def test_a_rehearsal_is_marked_on_its_page_and_its_api_and_kept_out_of_the_archive_and_list(
    oscars_97,
):
    replay(oscars_97.slug)
    copy = rehearsal_of(oscars_97)
    client = Client()

    page = client.get(copy.get_absolute_url()).content.decode()
    api = client.get(f"/api/ceremonies/{copy.slug}/").json()

    assert "Rehearsal</strong>: a copy to rehearse the night on" in page
    assert api["ceremony"]["rehearsal"] is True
    assert client.get(f"/api/ceremonies/{oscars_97.slug}/").json()["ceremony"]["rehearsal"] is False
    listed = [c["slug"] for c in client.get("/api/ceremonies/").json()["ceremonies"]]
    assert copy.slug not in listed  # nothing of a rehearsal is public outside its own page
    assert oscars_97.slug in listed
    assert copy not in Ceremony.objects.held()
    assert "Rehearsal</strong>" not in client.get("/").content.decode()


def test_a_results_file_naming_a_non_nominee_stops_before_recording_anything(oscars_97, tmp_path):
    data = json.loads((DEMO / "oscars-97-results.json").read_text(encoding="utf-8"))
    picture = next(c for c in data["categories"] if c["name"] == "Best Picture")
    picture["nominees"].append({"film": "La La Land", "nominee": None, "won": True})
    picture["nominees"] = [n for n in picture["nominees"] if n["film"] != "Anora"]
    path = tmp_path / "results.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(CommandError, match=r"La La Land.*is not a nominee in Best Picture"):
        replay(oscars_97.slug, str(path))

    assert not Nomination.objects.filter(won=True, category__ceremony=oscars_97).exists()
    assert not Ceremony.objects.filter(rehearsal=True).exists()
    assert Ceremony.objects.get(pk=oscars_97.pk).status == "draft"


def test_a_tie_in_the_results_file_is_recorded_as_a_tie(oscars_97, tmp_path):
    data = json.loads((DEMO / "oscars-97-results.json").read_text(encoding="utf-8"))
    short = next(c for c in data["categories"] if c["name"] == "Best Live Action Short")
    short["nominees"][0]["won"] = True
    data["categories"] = [short]
    path = tmp_path / "tie.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    replay(oscars_97.slug, str(path))

    category = Category.objects.get(ceremony=rehearsal_of(oscars_97), name="Best Live Action Short")
    assert category.is_tie
    assert category.nominations.won().count() == 2


def test_a_winner_is_matched_by_its_film_where_the_ceremony_credits_a_country(db, tmp_path):
    ceremony = make_ceremony(
        {"Best International Feature Film": [("I'm Still Here", "Brazil"), ("Flow", "Latvia")]},
        status="draft",
        ceremony="97th Test Awards",
    )
    data = ceremony_data(
        {"Best International Feature Film": [("I'm Still Here", None, True), ("Flow",)]}
    )
    path = tmp_path / "results.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    replay(ceremony.slug, str(path))

    category = rehearsal_of(ceremony).categories.get()
    assert [n.nominee for n in category.nominations.won()] == ["Brazil"]


def test_a_results_file_giving_a_key_twice_is_refused_in_one_line(oscars_97, tmp_path):
    text = (DEMO / "oscars-97-results.json").read_text(encoding="utf-8")
    path = tmp_path / "results.json"
    path.write_text(text.replace('"won": true', '"won": false, "won": true', 1), encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        replay(oscars_97.slug, str(path))

    # The line where the nominee giving it twice opens.
    opens = text[: text.index('"won": true')].rindex("{")
    line = text.count("\n", 0, opens) + 1
    assert str(raised.value) == f'{path}: line {line}: the key "won" is given twice in one object'
    assert not Ceremony.objects.filter(rehearsal=True).exists()


def test_in_place_replay_of_a_live_ceremony_again_changes_nothing(oscars_97):
    replay(oscars_97.slug, RESULTS, "--in-place")
    version = Ceremony.objects.get(pk=oscars_97.pk).version

    replay(oscars_97.slug, RESULTS, "--in-place")

    assert Ceremony.objects.get(pk=oscars_97.pk).version == version
    assert Nomination.objects.filter(category__ceremony=oscars_97, won=True).count() == 23


def test_unknown_ceremony_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No ceremony with slug 'nope'"):
        call_command("replay_ceremony", "nope", RESULTS)


# --- the demo ---------------------------------------------------------------------------------


def demo_setup(*args: str) -> str:
    out = io.StringIO()
    call_command("demo_setup", *args, stdout=out)
    return out.getvalue()


def test_demo_setup_keeps_an_existing_editors_password_unless_asked(db, settings):
    settings.DEBUG = True
    first = demo_setup()
    assert "Demo editor: editor / " in first
    user = get_user_model().objects.get(username="editor")
    user.set_password("chosen by the editor")
    user.save()

    again = demo_setup()

    assert "password unchanged" in again
    assert "--reset-password" in again
    assert get_user_model().objects.get(username="editor").check_password("chosen by the editor")

    reset = demo_setup("--reset-password")

    password = reset.split("Demo editor: editor / ")[1].split()[0]
    user = get_user_model().objects.get(username="editor")
    assert user.check_password(password)
    assert not user.check_password("chosen by the editor")


# --- the README's commands, in order, on the whole history -------------------------------------


@pytest.fixture(scope="class")
def readme_history(django_db_setup, django_db_blocker):
    # As the README has a newcomer run them, on a fresh database: oscars.csv, then the Globes.
    with imported(
        django_db_blocker,
        ("import_oscars", require(OSCARS_CSV)),
        ("import_globes", require(GLOBES_CSV)),
    ) as outputs:
        yield outputs


@pytest.mark.usefixtures("readme_history")
class TestTheReadmesReplayOnTheWholeHistory:
    def test_the_demo_results_replay_onto_the_97th_as_oscars_csv_imported_it(self, db):
        real = Ceremony.objects.get(slug="97th-academy-awards")
        named = [
            c["name"]
            for c in json.loads((DEMO / "oscars-97-results.json").read_text())["categories"]
        ]
        winners = set(
            Nomination.objects.won()
            .filter(category__ceremony=real, category__name__in=named)
            .values_list("category__name", "film_title")
        )

        output = replay(real.slug)

        copy = rehearsal_of(real)
        assert "is live." in output
        # International Feature: the file names the film, oscars.csv credits the country.
        feature = copy.categories.get(name="Best International Feature Film")
        assert [(n.film_title, n.nominee) for n in feature.nominations.won()] == [
            ("I'm Still Here", "Brazil")
        ]
        recorded = set(
            Nomination.objects.won()
            .filter(category__ceremony=copy)
            .values_list("category__name", "film_title")
        )
        assert recorded == winners
        assert len(winners) == len(named)
        assert Ceremony.objects.get(pk=real.pk).status == "final"


def test_a_rehearsal_copy_shows_its_ceremonys_odds_as_they_stand_at_each_reset(oscars_97):
    from ceremony.forecast.models import Odds
    from tests.support.forecast import odds_for

    def by_nominee(ceremony):
        api = Client().get(f"/api/ceremonies/{ceremony.slug}/").json()
        labels = {
            n["id"]: (c["slug"], n["nominee"], n["film"])
            for c in api["categories"]
            for n in c["nominations"]
        }
        return {labels[i]: p for c in api["categories"] for i, p in c["forecast"]}

    odds_for(oscars_97)
    replay(oscars_97.slug)
    real = by_nominee(oscars_97)
    assert len(real) > 100
    assert by_nominee(rehearsal_of(oscars_97)) == real

    # A refit moves the real ceremony's odds: the next reset takes them.
    Odds.objects.of_ceremony(oscars_97.pk).update(probability=0.25)
    replay(oscars_97.slug)
    assert set(by_nominee(rehearsal_of(oscars_97)).values()) != set(real.values())
