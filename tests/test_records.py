import pytest

from ceremony import records, scoreboard
from ceremony.models import AwardBody, Ceremony
from tests.support.archive import OSCARS_CSV, imported, require
from tests.support.builders import make_ceremony, record


def holders(record: dict) -> list[tuple]:
    return [
        (
            h.get("person", {}).get("name"),
            h.get("film", {}).get("title"),
            h["ceremony"]["name"],
        )
        for h in record["holders"]
    ]


def snapshot_of(ceremony: Ceremony) -> dict:
    return scoreboard.snapshot(Ceremony.objects.select_related("body").get(pk=ceremony.pk))


@pytest.fixture(scope="class")
def full_history(django_db_setup, django_db_blocker):
    require(OSCARS_CSV)
    with imported(django_db_blocker, ("import_oscars", OSCARS_CSV)):
        yield


@pytest.mark.usefixtures("full_history")
class TestOscarRecords:
    @pytest.fixture
    def oscars(self, db):
        return {
            r["kind"]: r for r in records.body_records(AwardBody.objects.get(name="Academy Awards"))
        }

    def test_most_wins_by_one_person_for_one_film_in_one_night(self, oscars):
        best = oscars["person_film_night"]
        assert best["figure"] == 4
        assert holders(best) == [("Sean Baker", "Anora", "97th Academy Awards")]

    def test_most_wins_by_one_person_in_one_night(self, oscars):
        best = oscars["person_night"]
        assert best["figure"] == 4
        assert holders(best) == [
            ("Walt Disney", None, "26th Academy Awards"),
            ("Sean Baker", None, "97th Academy Awards"),
        ]

    def test_most_wins_by_one_film(self, oscars):
        best = oscars["film_wins"]
        assert best["figure"] == 11
        assert [h[1:] for h in holders(best)] == [
            ("Ben-Hur", "32nd Academy Awards"),
            ("Titanic", "70th Academy Awards"),
            ("The Lord of the Rings: The Return of the King", "76th Academy Awards"),
        ]

    def test_largest_clean_sweep(self, oscars):
        best = oscars["clean_sweep"]
        assert best["figure"] == 11
        assert best["holders"][0]["nominations"] == 11
        assert [h[1:] for h in holders(best)] == [
            ("The Lord of the Rings: The Return of the King", "76th Academy Awards")
        ]

    def test_most_nominations_without_a_win(self, oscars):
        best = oscars["nominations_without_win"]
        assert best["figure"] == 11
        assert [h[1:] for h in holders(best)] == [
            ("The Turning Point", "50th Academy Awards"),
            ("The Color Purple", "58th Academy Awards"),
        ]

    def test_the_97th_snapshot_says_baker_breaks_one_record_and_ties_another(self, db):
        ceremony = Ceremony.objects.get(body__name="Academy Awards", edition=97)

        made = {r["kind"]: r for r in snapshot_of(ceremony)["records"]}

        assert set(made) == {"person_film_night", "person_night"}
        assert made["person_film_night"]["status"] == "breaks"
        assert made["person_film_night"]["previous"]["figure"] == 3
        assert made["person_night"]["status"] == "ties"
        assert holders(made["person_night"]["previous"]) == [
            ("Walt Disney", None, "26th Academy Awards")
        ]

    def test_a_live_result_that_ties_then_breaks_the_film_record(self, db):
        categories = {f"Award {i}": [("Big Film",), ("Other Film",)] for i in range(12)}
        live = make_ceremony(
            categories,
            ceremony="99th Academy Awards",
            body="Academy Awards",
            edition=99,
            date="2027-03-07",
        )
        for i in range(11):
            record(live, f"Award {i}", "Big Film")
        made = {r["kind"]: r for r in snapshot_of(live)["records"]}
        assert made["film_wins"]["status"] == "ties"
        assert made["film_wins"]["figure"] == 11

        record(live, "Award 11", "Big Film")

        made = {r["kind"]: r for r in snapshot_of(live)["records"]}
        assert made["film_wins"]["status"] == "breaks"
        assert made["clean_sweep"]["status"] == "breaks"
        assert made["clean_sweep"]["holders"][0]["film"]["title"] == "Big Film"
        assert made["clean_sweep"]["previous"]["figure"] == 11

    def test_the_records_page_and_api_name_the_holders(self, db, client):
        page = client.get("/records/").content.decode()
        data = client.get("/api/records/").json()

        assert "Sean Baker" in page
        assert "The Color Purple" in page
        oscars = next(b for b in data["bodies"] if b["body"] == "Academy Awards")
        assert [r["figure"] for r in oscars["records"]] == [4, 4, 11, 11, 11]


def test_the_first_results_of_a_new_body_are_firsts(db):
    ceremony = make_ceremony({"Best Film": [("A",), ("B",)], "Best Short": [("A",), ("C",)]})

    assert snapshot_of(ceremony)["records"] == []
    record(ceremony, "Best Film", "A")

    made = {r["kind"]: r for r in snapshot_of(ceremony)["records"]}
    assert made["film_wins"]["status"] == "first"
    assert made["film_wins"]["figure"] == 1
    # B's only category is decided; C's and A's other one are not, so they make no record yet.
    assert holders(made["nominations_without_win"]) == [(None, "B", "1st Test Awards")]
    assert "clean_sweep" not in made


def test_honorary_awards_never_count_in_records(db):
    ceremony = make_ceremony({"Best Film": [("A",), ("B",)], "Honorary": [("B", "Someone")]})
    ceremony.categories.filter(name="Honorary").update(competitive=False)
    record(ceremony, "Honorary", "Someone")
    record(ceremony, "Best Film", "A")

    body = {r["kind"]: r for r in records.body_records(ceremony.body)}

    assert body["film_wins"]["figure"] == 1
    assert holders(body["film_wins"]) == [(None, "A", "1st Test Awards")]
    assert body["person_night"]["figure"] is None
