import json
from collections import Counter

import pytest
from django.db import transaction

from ceremony import scoreboard, services
from ceremony.importers import oscars_csv
from ceremony.importers.json_file import ceremony_spec
from ceremony.models import AwardBody, Category, Ceremony, Nomination, Person
from ceremony.text import ordinal
from tests.support.archive import OSCARS_CSV, imported, is_nomination, oscar_rows, require, run
from tests.support.builders import demo_data
from tests.support.environment import SHARED_DATA


def snapshot_of(ceremony: Ceremony) -> dict:
    return scoreboard.snapshot(Ceremony.objects.select_related("body").get(pk=ceremony.pk))


def test_ordinals_have_the_right_suffixes():
    got = [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 98, 101, 111, 112)]
    assert got == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "98th",
        "101st", "111th", "112th",
    ]  # fmt: skip


def test_a_malformed_row_is_reported_with_its_line_number_and_skipped(db, tmp_path):
    header = "\t".join(oscars_csv.OSCAR_COLUMNS)
    good = "97\t2024\tActing\tACTOR IN A LEADING ROLE\tACTOR IN A LEADING ROLE\tThe Brutalist"
    good += "\ttt8999762\tAdrien Brody\tAdrien Brody\tnm0004778\tTrue"
    bad = "97\t2024\tActing\tACTOR IN A LEADING ROLE\tACTOR IN A LEADING ROLE\tConclave"
    bad += "\ttt20215234\tRalph Fiennes\tRalph Fiennes|Someone\tnm0000146\tMaybe"
    path = tmp_path / "oscars.csv"
    path.write_text("\n".join([header, good, bad]) + "\n", encoding="utf-8")

    output = run("import_oscars", path)

    assert "line 3: Winner 'Maybe' is not True or empty; skipped" in output
    assert "1 imported" in output
    assert "1 skipped as malformed" in output
    assert Nomination.objects.count() == 1


def test_a_file_that_is_not_oscars_csv_is_refused(db, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")

    with pytest.raises(Exception, match=r"not oscars\.csv"):
        run("import_oscars", path)
    assert not Ceremony.objects.exists()


def _write_oscars(path, **changes) -> None:
    """Two winners (a tie, as the notes say) for Best Actor at the 97th."""
    fields = {
        "Class": "Acting",
        "CanonicalCategory": "ACTOR IN A LEADING ROLE",
        "Note": "NOTE: A tie.",
    } | changes
    lines = ["\t".join(oscars_csv.OSCAR_COLUMNS)]
    for film, film_id, name, name_id in (
        ("The Brutalist", "tt8999762", "Adrien Brody", "nm0004778"),
        ("Conclave", "tt20215234", "Ralph Fiennes", "nm0000146"),
    ):
        row = {
            **dict.fromkeys(oscars_csv.OSCAR_COLUMNS, ""),
            **fields,
            **{"Ceremony": "97", "Year": "2024", "Category": "ACTOR IN A LEADING ROLE"},
            **{"Film": film, "FilmId": film_id, "Name": name, "Nominees": name},
            **{"NomineeIds": name_id, "Winner": "True"},
        }
        lines.append("\t".join(row[c] for c in oscars_csv.OSCAR_COLUMNS))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"Class": "Special"}, {"competitive": False, "is_tie": False}),
        ({"CanonicalCategory": "ACTOR"}, {"canonical_name": "ACTOR", "is_tie": True}),
        ({"Note": ""}, {"is_tie": False}),
    ],
)
def test_a_reimport_changing_only_a_category_is_a_new_version(db, tmp_path, changes, expected):
    path = tmp_path / "oscars.csv"
    _write_oscars(path)
    run("import_oscars", path)
    before = Ceremony.objects.get()
    assert Category.objects.get().is_tie

    _write_oscars(path, **changes)
    assert "1 left alone" in run("import_oscars", path)
    assert Ceremony.objects.get().version == before.version
    output = run("import_oscars", path, "--force")

    ceremony = Ceremony.objects.get()
    category = Category.objects.values(*expected).get()
    assert category == expected
    assert ceremony.version == before.version + 1
    assert ceremony.audit_entries.latest("pk").after["categories_changed"] == 1
    assert "1 updated" in output


class _Rollback(Exception):
    pass


def _precursor_statuses(load) -> dict[str, str]:
    """Precursor verdicts of the 97th after `load`, against the 82nd Globes; rolled back."""
    statuses = {}
    with pytest.raises(_Rollback), transaction.atomic():  # noqa: PT012
        services.ceremony_import(
            spec=ceremony_spec(demo_data("golden-globes-82.json"), source="globes")
        )
        load()
        ceremony = Ceremony.objects.get(body__name="Academy Awards", edition=97)
        for c in snapshot_of(ceremony)["categories"]:
            if c["competitive"]:
                statuses[c["name"]] = c["precursor"]["status"]
        raise _Rollback
    return statuses


def test_97th_precursor_results_agree_between_json_and_csv_imports(db):
    require(OSCARS_CSV)
    oscars_97 = json.loads((SHARED_DATA / "oscars-97.json").read_text(encoding="utf-8"))

    from_json = _precursor_statuses(
        lambda: services.ceremony_import(spec=ceremony_spec(oscars_97, source="oscars-97.json"))
    )
    from_csv = _precursor_statuses(lambda: run("import_oscars", OSCARS_CSV, "--ceremony", 97))
    csv_after_json = _precursor_statuses(
        lambda: (
            services.ceremony_import(spec=ceremony_spec(oscars_97, source="oscars-97.json")),
            run("import_oscars", OSCARS_CSV, "--ceremony", 97),
        )
    )

    assert Counter(from_json.values())["upset"] == 4
    assert from_csv == from_json
    assert csv_after_json == from_json


def test_csv_and_json_of_one_ceremony_merge_in_either_order(db):
    require(OSCARS_CSV)
    oscars_97 = json.loads((SHARED_DATA / "oscars-97.json").read_text(encoding="utf-8"))
    expected = sum(len(c["nominees"]) for c in oscars_97["categories"])

    for steps in (("json", "csv"), ("csv", "json")):
        with pytest.raises(_Rollback), transaction.atomic():  # noqa: PT012
            for step in steps:
                if step == "json":
                    services.ceremony_import(spec=ceremony_spec(oscars_97, source="oscars-97.json"))
                else:
                    run("import_oscars", OSCARS_CSV, "--ceremony", 97)
            ceremony = Ceremony.objects.get()
            competitive = Nomination.objects.filter(category__competitive=True)
            assert ceremony.slug == "97th-academy-awards"
            assert ceremony.categories.filter(competitive=True).count() == 23, steps
            assert competitive.count() == expected, steps
            assert competitive.filter(won=True).count() == 23, steps
            # The name-only people of the JSON are adopted by the CSV's IMDb ids, not doubled.
            assert Person.objects.filter(key="adrien brody").count() == 1
            raise _Rollback


@pytest.fixture(scope="class")
def full_file(django_db_setup, django_db_blocker):
    require(OSCARS_CSV)
    with imported(django_db_blocker, ("import_oscars", OSCARS_CSV)) as outputs:
        yield outputs[0]


@pytest.mark.usefixtures("full_file")
# All its tests among the database ones: pytest-django runs those first, and a class split
# between the two groups would import its archive twice.
@pytest.mark.django_db
class TestTheWholeFile:
    @pytest.fixture
    def oscars(self, db):
        return AwardBody.objects.get(name="Academy Awards")

    def test_counts_equal_those_computed_from_the_file(self, oscars):
        rows = [r for r in oscar_rows() if is_nomination(r)]
        competitive = [r for r in rows if r["Class"] not in ("SciTech", "Special")]
        nominations = Nomination.objects.filter(category__ceremony__body=oscars)

        assert Ceremony.objects.filter(body=oscars).count() == len({r["Ceremony"] for r in rows})
        assert nominations.competitive().count() == len(competitive)
        assert nominations.competitive().won().count() == sum(
            r["Winner"] == "True" for r in competitive
        )
        assert nominations.exclude(category__competitive=True).count() == len(rows) - len(
            competitive
        )

    def test_the_summary_counts_rows_and_prints_the_time(self, full_file):
        rows = oscar_rows()
        assert f"{sum(is_nomination(r) for r in rows)} imported" in full_file
        assert f"{sum(not is_nomination(r) for r in rows)} not nominations" in full_file
        assert "0 skipped as malformed" in full_file
        assert "Took " in full_file

    def test_a_second_import_leaves_the_final_ceremonies_alone(self, db):
        versions = dict(Ceremony.objects.values_list("pk", "version"))

        output = run("import_oscars", OSCARS_CSV)

        assert "98 left alone" in output
        assert dict(Ceremony.objects.values_list("pk", "version")) == versions

    def test_a_second_forced_import_changes_nothing(self, db):
        versions = dict(Ceremony.objects.values_list("pk", "version"))

        output = run("import_oscars", OSCARS_CSV, "--force")

        assert "0 imported" in output
        assert f"{sum(is_nomination(r) for r in oscar_rows())} unchanged" in output
        assert dict(Ceremony.objects.values_list("pk", "version")) == versions

    def test_kenneth_branagh_is_one_person_from_henry_v_to_belfast(self, db):
        branagh = Person.objects.get(key="kenneth branagh")

        films = set(branagh.nominations.values_list("films__title", flat=True))

        assert {"Henry V", "Belfast"} <= films
        assert branagh.imdb_id == "nm0000110"

    def test_the_two_steve_mcqueens_are_two_people(self, db):
        films = {
            p.imdb_id: set(p.nominations.values_list("films__title", flat=True))
            for p in Person.objects.filter(key="steve mcqueen")
        }

        assert len(films) == 2
        assert "The Sand Pebbles" in films["nm0000537"]
        assert "12 Years a Slave" in films["nm2588606"]
        assert not films["nm0000537"] & films["nm2588606"]

    def test_companies_are_not_people(self, db):
        wings = Nomination.objects.get(
            category__ceremony__edition=1,
            films__title="Wings",
            category__canonical_name="BEST PICTURE",
        )
        assert wings.nominee == "Paramount Famous Lasky"
        assert not wings.people.exists()
        assert not Person.objects.filter(key="paramount famous lasky").exists()

    def test_the_41st_best_actress_tie_shows_two_winners(self, db):
        ceremony = Ceremony.objects.get(body__name="Academy Awards", edition=41)

        actress = next(c for c in snapshot_of(ceremony)["categories"] if c["name"] == "Actress")

        assert actress["tie"] is True
        assert sorted(w["label"] for w in actress["winners"]) == [
            "Barbra Streisand (Funny Girl)",
            "Katharine Hepburn (The Lion in Winter)",
        ]

    def test_honorary_and_technical_awards_are_kept_but_never_tallied(self, db):
        ceremony = Ceremony.objects.get(body__name="Academy Awards", edition=26)
        snap = snapshot_of(ceremony)

        apart = [c for c in snap["categories"] if not c["competitive"]]
        assert {c["name"] for c in apart} >= {"Honorary Award"}
        honorary_films = {
            f for c in apart for n in c["nominations"] if n["won"] for f in n["films"]
        }
        tallied = {t["slug"]: t["wins"] for t in snap["tallies"]}
        competitive_wins = Counter(
            f for c in snap["categories"] if c["competitive"]
            for n in c["nominations"] if n["won"] for f in n["films"]
        )  # fmt: skip
        assert all(tallied.get(f, 0) == competitive_wins[f] for f in honorary_films)
        assert snap["progress"]["total"] == sum(c["competitive"] for c in snap["categories"])

    def test_a_nomination_naming_two_films_links_both(self, db):
        barthelmess = Nomination.objects.get(
            category__ceremony__edition=1, people__key="richard barthelmess"
        )

        assert {f.title for f in barthelmess.films.all()} == {"The Noose", "The Patent Leather Kid"}

    def test_ceremonies_are_named_and_dated_from_the_file(self, db):
        first = Ceremony.objects.get(body__name="Academy Awards", edition=1)
        assert (first.name, first.slug, first.film_year) == (
            "1st Academy Awards",
            "1st-academy-awards",
            "1927/28",
        )
        assert first.date.isoformat() == "1929-03-01"
        slugs = set(Ceremony.objects.values_list("slug", flat=True))
        for nth in ("2nd", "3rd", "11th", "12th", "13th", "21st", "22nd", "23rd", "98th"):
            assert f"{nth}-academy-awards" in slugs
        assert not Category.objects.filter(ceremony__edition=1, name="").exists()
