import io
import json

import pytest
from django.core.management import CommandError, call_command

from ceremony import services
from ceremony.importers.json_file import ceremony_spec
from ceremony.models import AuditEntry, Category, Ceremony, Film, Nomination, Person, PrecursorLink
from tests.support.archive import require
from tests.support.builders import ceremony_data, demo_data
from tests.support.environment import DEMO, SHARED_DATA


def counts() -> tuple:
    return tuple(
        m.objects.count()
        for m in (Ceremony, Category, Nomination, Film, Person, PrecursorLink, AuditEntry)
    )


def call_command_output(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_loads_categories_nominees_and_results(globes_82):
    assert globes_82.slug == "82nd-golden-globe-awards"
    assert globes_82.status == "final"
    assert globes_82.categories.count() == 15
    drama = globes_82.categories.get(name="Best Motion Picture – Drama")
    assert list(drama.nominations.won().values_list("film_title", flat=True)) == ["The Brutalist"]


def test_without_results_loads_nominees_as_a_draft_in_presentation_order(oscars_97):
    assert oscars_97.slug == "97th-academy-awards"
    assert oscars_97.status == "draft"
    assert not Nomination.objects.filter(category__ceremony=oscars_97, won=True).exists()
    names = list(oscars_97.categories.in_order().values_list("name", flat=True))
    assert names[0] == "Best Supporting Actor"
    assert names[-1] == "Best Picture"
    assert len(names) == 23


def test_importing_the_same_file_twice_changes_nothing(oscars_97):
    before = counts()
    version = Ceremony.objects.get(pk=oscars_97.pk).version

    call_command("import_ceremony", str(DEMO / "oscars-97-nominees.json"), "--without-results")
    call_command("import_ceremony", str(DEMO / "golden-globes-82.json"))

    assert counts() == before
    assert Ceremony.objects.get(pk=oscars_97.pk).version == version


def test_precursor_links_are_made_whichever_ceremony_comes_first(db):
    services.ceremony_import(
        spec=ceremony_spec(demo_data("oscars-97-nominees.json"), source="o", with_results=False)
    )
    assert PrecursorLink.objects.count() == 0
    oscars = Ceremony.objects.get(slug="97th-academy-awards")
    version = oscars.version

    services.ceremony_import(spec=ceremony_spec(demo_data("golden-globes-82.json"), source="g"))

    links = PrecursorLink.objects.filter(category__ceremony=oscars)
    assert links.count() == 15
    actress = set(
        links.filter(category__name="Best Actress").values_list("precursor__name", flat=True)
    )
    assert actress == {
        "Best Actress in a Motion Picture – Drama",
        "Best Actress in a Motion Picture – Musical or Comedy",
    }
    # The Oscars' precursor flags changed, so their readers get a new version.
    oscars.refresh_from_db()
    assert oscars.version == version + 1


def test_song_nominations_keep_the_title_and_credit_no_people(oscars_97):
    song = Nomination.objects.get(category__ceremony=oscars_97, nominee="El Mal")

    assert song.detail == "El Mal"
    assert not song.people.exists()
    assert [f.title for f in song.films.all()] == ["Emilia Pérez"]


def test_shared_people_and_films_are_one_identity_across_ceremonies(oscars_97):
    brody = Person.objects.get(name="Adrien Brody")
    assert brody.nominations.count() == 2  # Globe and Oscar
    emilia = Film.objects.get(title="Emilia Pérez")
    assert {n.category.ceremony.slug for n in emilia.nominations.all()} == {
        "82nd-golden-globe-awards",
        "97th-academy-awards",
    }


def write(tmp_path, data) -> str:
    path = tmp_path / "ceremony.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("edition"), '"edition" is missing'),
        (lambda d: d.update(edition=True), '"edition" must be a positive whole number'),
        (lambda d: d.update(ceremony="x" * 201), '"ceremony" is longer than 200 characters'),
        (
            lambda d: d["categories"][0]["nominees"][0].update(film="y" * 601),
            '"film" is longer than 600 characters',
        ),
        (lambda d: d.update(date="2 March 2025"), '"date" must be YYYY-MM-DD'),
        (lambda d: d.update(categories=[]), '"categories" must be a non-empty list'),
        (
            lambda d: d["categories"][1]["nominees"][1].pop("film"),
            'category 2 (Best Actress), nominee 2: "film" is missing',
        ),
        (
            lambda d: d["categories"][1]["nominees"][0].update(won="yes"),
            'category 2 (Best Actress), nominee 1: "won" must be true or false',
        ),
        (
            lambda d: d["categories"].append(dict(d["categories"][0])),
            "category 3 (Best Picture): appears twice",
        ),
    ],
)
def test_a_malformed_file_is_refused_naming_file_category_and_problem(
    db, tmp_path, mutate, message
):
    data = ceremony_data(
        {
            "Best Picture": [("Anora", None, True), ("Wicked",)],
            "Best Actress": [("Anora", "Mikey Madison"), ("The Substance", "Demi Moore")],
        }
    )
    mutate(data)
    path = write(tmp_path, data)

    with pytest.raises(CommandError) as raised:
        call_command("import_ceremony", path)

    assert path in str(raised.value)
    assert message in str(raised.value)
    assert "Nothing was imported" in str(raised.value)
    assert counts() == (0, 0, 0, 0, 0, 0, 0)


def test_a_file_that_is_not_json_is_refused(db, tmp_path):
    path = write(tmp_path, '{"ceremony": ')

    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_ceremony", path)

    assert counts() == (0, 0, 0, 0, 0, 0, 0)


def test_a_failure_half_way_leaves_nothing_half_written(db, tmp_path, monkeypatch):
    data = ceremony_data({"Best Picture": [("Anora",)], "Best Actress": [("Anora", "Mikey")]})
    calls = []

    def fail_on_second_category(self, name, imdb_id, credit):
        calls.append(name)
        raise services.ServiceError("the database went away")

    monkeypatch.setattr(services.Identities, "person", fail_on_second_category)

    with pytest.raises(CommandError):
        call_command("import_ceremony", write(tmp_path, data))

    assert calls  # it failed inside the import, after the first category was written
    assert counts() == (0, 0, 0, 0, 0, 0, 0)


def test_a_live_ceremony_is_left_alone_by_an_import(live_97):
    version = Ceremony.objects.get(pk=live_97.pk).version

    summary = services.ceremony_import(
        spec=ceremony_spec(demo_data("oscars-97-results.json"), source="r")
    )

    assert "live: left alone" in str(summary)
    assert Ceremony.objects.get(pk=live_97.pk).version == version


def test_results_are_not_imported_over_a_live_ceremony_even_when_forced(live_97):
    summary = services.ceremony_import(
        spec=ceremony_spec(demo_data("oscars-97-results.json"), source="r"), force=True
    )

    assert "results left to the live desk" in summary.notes[0]
    assert not Nomination.objects.filter(category__ceremony=live_97, won=True).exists()


def test_a_final_ceremony_is_left_alone_unless_forced(globes_82, tmp_path):
    data = demo_data("golden-globes-82.json")
    first = data["categories"][0]
    for n, nominee in enumerate(first["nominees"]):
        nominee["won"] = n == len(first["nominees"]) - 1
    path = write(tmp_path, data)
    version = Ceremony.objects.get(pk=globes_82.pk).version

    left = call_command_output("import_ceremony", path)
    assert "final: left alone" in left
    assert Ceremony.objects.get(pk=globes_82.pk).version == version

    call_command_output("import_ceremony", path, "--force")
    assert Ceremony.objects.get(pk=globes_82.pk).version == version + 1


def test_every_shared_ceremony_file_imports(db):
    files = sorted(require(SHARED_DATA).glob("*-*.json"))
    assert files, f"no ceremony files in {SHARED_DATA}"

    for path in files:
        summary = services.ceremony_import(
            spec=ceremony_spec(json.loads(path.read_text(encoding="utf-8")), source=path.name)
        )
        assert summary.created, path.name

    # Each Oscar ceremony is linked to the Globes of its season.
    for oscars in Ceremony.objects.filter(body__name="Academy Awards"):
        precursor_ceremonies = set(
            PrecursorLink.objects.filter(category__ceremony=oscars).values_list(
                "precursor__ceremony__edition", flat=True
            )
        )
        assert precursor_ceremonies == {oscars.edition - 15}, oscars.name


def test_a_ceremony_name_already_taken_by_another_edition_is_refused(globes_82, tmp_path):
    data = demo_data("golden-globes-82.json")
    data["edition"] = 83
    path = write(tmp_path, data)
    before = counts()

    with pytest.raises(CommandError, match="already taken by Golden Globe Awards edition 82"):
        call_command("import_ceremony", path)

    assert counts() == before


def test_reimported_precursor_results_give_the_successor_a_new_version(oscars_97):
    oscars_version = Ceremony.objects.get(pk=oscars_97.pk).version
    data = demo_data("golden-globes-82.json")
    drama = next(c for c in data["categories"] if c["name"] == "Best Motion Picture – Drama")
    for nominee in drama["nominees"]:
        nominee["won"] = nominee["film"] == "Dune: Part Two"

    summary = services.ceremony_import(
        spec=ceremony_spec(data, source="corrected globes"), force=True
    )

    assert summary.results_changed == 1
    oscars = Ceremony.objects.get(pk=oscars_97.pk)
    assert oscars.version == oscars_version + 1
    assert AuditEntry.objects.filter(ceremony=oscars).first().action == "precursor"


def test_a_body_differing_only_in_case_is_refused_and_nothing_is_written(globes_82, tmp_path):
    data = demo_data("golden-globes-82.json")
    data.update(body="golden globe awards", edition=83, ceremony="83rd Golden Globe Awards")
    before = counts()

    with pytest.raises(CommandError, match="differs only in case from 'Golden Globe Awards'"):
        call_command("import_ceremony", write(tmp_path, data))

    assert counts() == before


def test_a_body_whose_address_clashes_with_another_is_refused_in_one_line(globes_82, tmp_path):
    data = demo_data("golden-globes-82.json")
    data.update(body="Golden-Globe-Awards", edition=83, ceremony="83rd Golden Globe Awards")
    path = write(tmp_path, data)
    before = counts()

    with pytest.raises(CommandError) as raised:
        call_command("import_ceremony", path)

    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert "has the same address (/golden-globe-awards/) as the body 'Golden Globe Awards'" in (
        message
    )
    assert counts() == before


@pytest.mark.parametrize(
    ("where", "limit"),
    [("body", 100), ("ceremony", 200), ("category", 300), ("film", 300), ("person", 300)],
)
def test_names_that_grow_when_normalised_past_their_column_are_refused_in_one_line(
    db, tmp_path, where, limit
):
    grows = "\ufb03" * (limit // 3 + 1)  # "ﬃ": one character, "ffi" in a key or a slug
    data = ceremony_data({"Best Picture": [("Anora", None, True)], "Best Actor": [("X", "Y")]})
    if where in ("body", "ceremony"):
        data[where] = grows
    elif where == "category":
        data["categories"][0]["name"] = grows
    elif where == "film":
        data["categories"][0]["nominees"][0]["film"] = grows
    else:
        data["categories"][1]["nominees"][0]["nominee"] = grows
    path = write(tmp_path, data)

    with pytest.raises(CommandError) as raised:
        call_command("import_ceremony", path)

    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert f"longer than {limit} characters once normalised" in message
    assert counts() == (0, 0, 0, 0, 0, 0, 0)


def test_a_key_given_twice_in_one_object_is_refused_in_one_line(db, tmp_path):
    text = json.dumps(ceremony_data({"Best Picture": [("Anora", None, True)]}))
    path = write(tmp_path, text.replace('"edition": ', '"edition": 1, "edition": ', 1))

    with pytest.raises(CommandError) as raised:
        call_command("import_ceremony", path)

    assert str(raised.value) == (
        f'{path}: line 1: the key "edition" is given twice in one object. Nothing was imported.'
    )
    assert counts() == (0, 0, 0, 0, 0, 0, 0)


def test_a_ceremony_whose_snapshot_no_websocket_could_carry_is_refused_in_one_line(
    db, tmp_path, settings
):
    settings.WEBSOCKET_MAX_MESSAGE_BYTES = 64 * 1024
    data = ceremony_data(
        {
            f"Category {c:02d} for achievement in a field with a long name": [
                (f"A film with a long title {c}-{n}", f"Somebody Withalongname {c}-{n}")
                for n in range(10)
            ]
            for c in range(40)
        }
    )
    path = write(tmp_path, data)

    with pytest.raises(CommandError) as raised:
        call_command("import_ceremony", path)

    message = str(raised.value)
    assert "\n" not in message
    assert "over the 65,536 a websocket message may carry" in message
    assert message.endswith("Nothing was imported.")
    assert counts() == (0, 0, 0, 0, 0, 0, 0)
    settings.WEBSOCKET_MAX_MESSAGE_BYTES = 1024 * 1024
    assert "created" in call_command_output("import_ceremony", path)
