import pytest

from ceremony import records, scoreboard, services
from ceremony.models import AwardBody, Ceremony, Nomination, Person
from tests.support.archive import OSCARS_CSV, imported, require
from tests.support.builders import make_ceremony, nomination, record


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


def records_made(ceremony: Ceremony) -> dict[str, dict]:
    """The records the ceremony's snapshot shows, by kind."""
    return {r["kind"]: r for r in snapshot_of(ceremony)["records"]}


def film_night(
    film: str, wins: int, *, awards: int = 3, other: str = "Other", **fields
) -> Ceremony:
    """A ceremony of `awards` awards, each between `film` and `other`; `film` recorded as the
    winner of the first `wins` of them."""
    ceremony = make_ceremony({f"Award {i}": [(film,), (other,)] for i in range(awards)}, **fields)
    for i in range(wins):
        record(ceremony, f"Award {i}", film)
    return ceremony


def careers(record: dict) -> list[tuple]:
    return [
        (h["person"]["name"], h["wins"], h["nominations"], h["first_year"], h["last_year"])
        for h in record["holders"]
    ]


@pytest.fixture(scope="class")
def full_history(django_db_setup, django_db_blocker):
    # Through the command, as an editor runs it: call_command("import_oscars", path).
    require(OSCARS_CSV)
    with imported(django_db_blocker, ("import_oscars", OSCARS_CSV)):
        yield


@pytest.mark.usefixtures("full_history")
class TestOscarRecords:
    @pytest.fixture
    def oscars(self, db):
        body = AwardBody.objects.get(name="Academy Awards")
        return {r["kind"]: r for r in [*records.body_records(body), *records.career_records(body)]}

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

    def test_walt_disney_has_the_most_competitive_wins_22_of_59_nominations(self, oscars):
        best = oscars["person_wins"]
        assert best["figure"] == 22
        assert [h[:3] for h in careers(best)] == [("Walt Disney", 22, 59)]

    def test_walt_disney_has_the_most_competitive_nominations_59(self, oscars):
        best = oscars["person_nominations"]
        assert best["figure"] == 59
        assert [h[:3] for h in careers(best)] == [("Walt Disney", 22, 59)]

    def test_katharine_hepburn_has_the_most_acting_wins_4(self, oscars):
        best = oscars["acting_wins"]
        assert best["figure"] == 4
        assert [h[:3] for h in careers(best)] == [("Katharine Hepburn", 4, 12)]

    def test_meryl_streep_has_the_most_acting_nominations_21(self, oscars):
        best = oscars["acting_nominations"]
        assert best["figure"] == 21
        assert [h[:3] for h in careers(best)] == [("Meryl Streep", 3, 21)]

    def test_the_97th_snapshot_says_baker_breaks_one_record_and_ties_another(self, db):
        ceremony = Ceremony.objects.get(body__name="Academy Awards", edition=97)

        made = records_made(ceremony)

        assert set(made) == {"person_film_night", "person_night", "film_wins"}
        assert made["person_film_night"]["status"] == "breaks"
        # Anora's 5 wins, short of the record (11): the most for a film since Oppenheimer's 7
        # at the 96th, a year before (oscars.csv).
        assert made["film_wins"]["status"] == "since"
        assert made["film_wins"]["figure"] == 5
        assert made["film_wins"]["previous"]["figure"] == 7
        assert holders(made["film_wins"]["previous"]) == [
            (None, "Oppenheimer", "96th Academy Awards")
        ]
        assert made["person_film_night"]["previous"]["figure"] == 3
        assert made["person_night"]["status"] == "ties"
        assert holders(made["person_night"]["previous"]) == [
            ("Walt Disney", None, "26th Academy Awards")
        ]

    def test_a_live_result_that_ties_then_breaks_the_film_record(self, db):
        live = film_night(
            "Big Film",
            11,
            awards=12,
            other="Other Film",
            ceremony="99th Academy Awards",
            body="Academy Awards",
            edition=99,
            date="2027-03-07",
        )
        made = records_made(live)
        assert made["film_wins"]["status"] == "ties"
        assert made["film_wins"]["figure"] == 11

        record(live, "Award 11", "Big Film")

        made = records_made(live)
        assert made["film_wins"]["status"] == "breaks"
        assert made["clean_sweep"]["status"] == "breaks"
        assert made["clean_sweep"]["holders"][0]["film"]["title"] == "Big Film"
        assert made["clean_sweep"]["previous"]["figure"] == 11

    def test_the_records_page_and_api_name_the_holders(self, db, client):
        page = client.get("/records/").content.decode()
        data = client.get("/api/records/").json()

        assert "Sean Baker" in page
        assert "The Color Purple" in page
        assert "Walt Disney" in page
        assert "Meryl Streep" in page
        oscars = next(b for b in data["bodies"] if b["body"] == "Academy Awards")
        assert [r["figure"] for r in oscars["records"]] == [22, 59, 4, 21, 4, 4, 11, 11, 11]


def test_the_first_results_of_a_new_body_are_firsts(db):
    ceremony = make_ceremony(
        {
            "Best Film": [("A",), ("B",)],
            "Best Short": [("A",), ("C",)],
            "Best Score": [("B",), ("C",)],
            "Best Sound": [("B",), ("D",)],
        }
    )

    assert snapshot_of(ceremony)["records"] == []
    record(ceremony, "Best Film", "A")
    record(ceremony, "Best Short", "A")
    record(ceremony, "Best Score", "C")
    record(ceremony, "Best Sound", "D")

    made = records_made(ceremony)
    assert made["film_wins"]["status"] == "first"
    assert made["film_wins"]["figure"] == 2
    assert made["clean_sweep"]["figure"] == 2
    # B's three categories are decided, none won.
    assert holders(made["nominations_without_win"]) == [(None, "B", "1st Test Awards")]
    assert made["nominations_without_win"]["figure"] == 3


def test_a_figure_of_one_or_one_shared_by_many_is_no_record(db, client):
    # The 8th Academy Awards' "most wins by one person in one night: 1", held by everyone.
    def night(edition: int, year: int):
        ceremony = make_ceremony(
            {f"Award {i}": [(f"Film {edition}-{i}", f"Person {edition}-{i}")] for i in range(12)},
            ceremony=f"Night {edition}",
            edition=edition,
            date=f"{year}-03-01",
        )
        for i in range(12):
            record(ceremony, f"Award {i}", f"Person {edition}-{i}")
        return ceremony

    night(1, 2020)
    tonight = night(2, 2021)

    assert snapshot_of(tonight)["records"] == []
    page = client.get(tonight.get_absolute_url()).content.decode()
    section = page[page.index('id="records"') :].split("</section>")[0]
    assert "hidden" in section.split(">")[0]
    assert "Person 2-11" not in section
    body = next(b for b in client.get("/api/records/").json()["bodies"])
    assert body["records"] == []
    assert "Person 1-3" not in client.get("/records/").content.decode()


def test_a_record_shared_by_a_few_is_shown_with_every_holder(db, client):
    ceremony = make_ceremony({f"Award {i}": [("Film A",), ("Film B",)] for i in range(4)})
    for i, film in enumerate(["Film A", "Film A", "Film B", "Film B"]):
        record(ceremony, f"Award {i}", film)

    made = records_made(ceremony)

    assert made["film_wins"]["figure"] == 2
    assert [h[1] for h in holders(made["film_wins"])] == ["Film A", "Film B"]
    assert "Film B" in client.get("/records/").content.decode()


def test_honorary_awards_never_count_in_records(db):
    ceremony = make_ceremony({"Best Film": [("A",), ("B",)], "Honorary": [("B", "Someone")]})
    ceremony.categories.filter(name="Honorary").update(competitive=False)
    record(ceremony, "Honorary", "Someone")
    record(ceremony, "Best Film", "A")

    body = {r["kind"]: r for r in records.body_records(ceremony.body)}

    assert body["film_wins"]["figure"] == 1
    assert holders(body["film_wins"]) == [(None, "A", "1st Test Awards")]
    assert body["person_night"]["figure"] is None


# --- career records, on small built data -------------------------------------------------------


def person(name: str, imdb_id: str) -> Person:
    return Person.objects.create(name=name, slug=imdb_id, imdb_id=imdb_id, key=name.casefold())


def credit(ceremony: Ceremony, category: str, who: str, *people: Person) -> Nomination:
    """Link the nomination of `who` to exactly these people (by identity, as the importers do)."""
    found = nomination(ceremony, category, who)
    found.people.set(people)
    return found


@pytest.fixture
def career_history(db) -> AwardBody:
    """Two ceremonies of one body and one of another, with people linked by IMDb id.

    Walt: 3 competitive nominations (2 wins), plus an honorary award and a studio credit that
    names him without a link. Kate: 2 acting nominations, 2 wins (one a tie). Meryl: 3 acting
    nominations, 1 win (the tie); and 4 at another body, which never count here."""
    walt, kate, meryl = (
        person("Walt", "nm0000370"),
        person("Kate", "nm0000031"),
        person("Meryl", "nm0000658"),
    )
    someone, other = person("Someone", "nm0000001"), person("Other", "nm0000002")
    first = make_ceremony(
        {
            "Best Actress": [("A", "Kate"), ("B", "Meryl")],
            "Best Animated Short": [("Toon 1", "Walt"), ("Toon 2", "Other")],
            "Best Documentary": [("Doc", "Walt Studio")],
            "Honorary Award": [("X", "Walt")],
        },
        ceremony="1st Test Awards",
        date="2001-03-01",
    )
    first.categories.filter(name="Honorary Award").update(competitive=False)
    second = make_ceremony(
        {
            "Best Actress": [("C", "Kate"), ("D", "Meryl")],
            "Best Supporting Actress": [("E", "Meryl"), ("F", "Someone")],
            "Best Animated Short": [("Toon 3", "Walt"), ("Toon 4", "Other")],
            "Best Picture": [("Toon Feature", "Walt"), ("G", "Producers")],
        },
        ceremony="2nd Test Awards",
        edition=2,
        date="2002-03-01",
    )
    elsewhere = make_ceremony(
        {f"Best Actress {i}": [(f"H{i}", "Meryl")] for i in range(4)},
        ceremony="1st Other Awards",
        body="Other Awards",
        date="2002-01-20",
    )
    for ceremony, category, who, people in [
        (first, "Best Actress", "Kate", [kate]),
        (first, "Best Actress", "Meryl", [meryl]),
        (first, "Best Animated Short", "Walt", [walt]),
        (first, "Best Animated Short", "Other", [other]),
        (first, "Best Documentary", "Walt Studio", []),
        (first, "Honorary Award", "Walt", [walt]),
        (second, "Best Actress", "Kate", [kate]),
        (second, "Best Actress", "Meryl", [meryl]),
        (second, "Best Supporting Actress", "Meryl", [meryl]),
        (second, "Best Supporting Actress", "Someone", [someone]),
        (second, "Best Animated Short", "Walt", [walt]),
        (second, "Best Animated Short", "Other", [other]),
        (second, "Best Picture", "Walt", [walt]),
        (second, "Best Picture", "Producers", []),
        *[(elsewhere, f"Best Actress {i}", "Meryl", [meryl]) for i in range(4)],
    ]:
        credit(ceremony, category, who, *people)
    record(first, "Best Actress", "Kate")
    record(first, "Best Animated Short", "Walt")
    record(first, "Best Documentary", "Walt Studio")
    record(first, "Honorary Award", "Walt")
    record(second, "Best Actress", "Kate", "Meryl")  # a tie: a win for both
    record(second, "Best Supporting Actress", "Someone")
    record(second, "Best Animated Short", "Walt")
    record(second, "Best Picture", "Producers")
    for i in range(4):
        record(elsewhere, f"Best Actress {i}", "Meryl")
    return first.body


def test_career_records_count_linked_competitive_nominations_and_list_ties(career_history):
    found = {r["kind"]: r for r in records.career_records(career_history)}

    # Walt's honorary win and the studio credit naming him (not linked to him) never count.
    assert found["person_wins"]["title"] == "Most competitive wins by a person"
    assert found["person_wins"]["figure"] == 2
    assert careers(found["person_wins"]) == [
        ("Walt", 2, 3, 2001, 2002),
        ("Kate", 2, 2, 2001, 2002),
    ]
    assert found["person_nominations"]["figure"] == 3
    assert careers(found["person_nominations"]) == [
        ("Walt", 2, 3, 2001, 2002),
        ("Meryl", 1, 3, 2001, 2002),
    ]
    # Acting: only the categories that say actor or actress; the tie is a win for both.
    assert found["acting_wins"]["figure"] == 2
    assert careers(found["acting_wins"]) == [("Kate", 2, 2, 2001, 2002)]
    assert found["acting_nominations"]["figure"] == 3
    assert careers(found["acting_nominations"]) == [("Meryl", 1, 3, 2001, 2002)]


def test_career_records_are_kept_per_body(career_history):
    other = AwardBody.objects.get(name="Other Awards")

    found = {r["kind"]: r for r in records.career_records(other)}

    assert careers(found["acting_nominations"]) == [("Meryl", 4, 4, 2002, 2002)]
    assert careers(found["person_wins"]) == [("Meryl", 4, 4, 2002, 2002)]


def test_a_body_without_acting_categories_has_no_acting_record(db):
    ceremony = make_ceremony({"Best Film": [("A", "Director")]})
    record(ceremony, "Best Film", "Director")

    found = {r["kind"]: r for r in records.career_records(ceremony.body)}

    assert found["acting_wins"]["figure"] is None
    assert found["acting_wins"]["holders"] == []
    assert found["person_wins"]["figure"] == 1


def test_the_records_page_and_api_lead_with_the_career_records(career_history, client):
    data = client.get("/api/records/").json()
    page = client.get("/records/").content.decode()

    test_awards = next(b for b in data["bodies"] if b["body"] == "Test Awards")
    assert [r["kind"] for r in test_awards["records"]][:4] == [
        "person_wins",
        "person_nominations",
        "acting_wins",
        "acting_nominations",
    ]
    # The one-night figures here are all 1: no record, left out.
    assert all(r["figure"] >= records.MIN_FIGURE for r in test_awards["records"])
    assert test_awards["records"][0]["holders"][0] == {
        "person": {"name": "Walt", "slug": "nm0000370"},
        "wins": 2,
        "nominations": 3,
        "first_year": 2001,
        "last_year": 2002,
    }
    test_page = page[page.index(">Test Awards<") :]
    careers_section = test_page[: test_page.index("At one ceremony")]
    assert "Most acting nominations" in careers_section
    assert '<a href="/people/nm0000658/">Meryl</a>' in careers_section
    assert "(1 win from 3 nominations, 2001–2002)" in careers_section
    assert '<a href="/people/nm0000370/">Walt</a>' in careers_section
    assert "(2 wins from 3 nominations, 2001–2002)" in careers_section


def test_a_year_only_ceremony_is_dated_by_its_year_in_records(db):
    ceremony = make_ceremony(
        {"Best Film": [("A", "Someone")], "Best Story": [("A", "Someone")]}, date="1929-03-01"
    )
    Ceremony.objects.filter(pk=ceremony.pk).update(date_exact=False)
    record(ceremony, "Best Film", "Someone")
    record(ceremony, "Best Story", "Someone")

    found = {r["kind"]: r for r in records.body_records(ceremony.body)}
    made = records_made(ceremony)

    assert found["film_wins"]["holders"][0]["ceremony"]["date"] == "1929"
    assert made["film_wins"]["holders"][0]["ceremony"]["date"] == "1929"


def test_every_holder_of_a_shared_record_is_listed_however_many(db):
    many = records.TOP + 5
    ceremony = make_ceremony(
        {f"Best Actor {i}": [(f"Film {i}", f"Actor {i}")] for i in range(many)}
    )
    for i in range(many):
        record(ceremony, f"Best Actor {i}", f"Actor {i}")

    found = {r["kind"]: r for r in records.career_records(ceremony.body)}

    assert found["acting_wins"]["figure"] == 1
    assert len(found["acting_wins"]["holders"]) == many
    assert len(records.film_wins(ceremony.body)["holders"]) == many


def test_a_films_wins_short_of_the_record_are_the_most_since_the_last_film_with_as_many(db):
    def night(edition: int, year: int, film: str, wins: int):
        return film_night(
            film,
            wins,
            awards=5,
            other="Also Ran",
            ceremony=f"Night {edition}",
            edition=edition,
            date=f"{year}-03-01",
        )

    night(1, 2020, "Record Film", 5)
    night(2, 2021, "Three Film", 3)
    night(3, 2022, "Two Film", 2)
    tonight = night(4, 2023, "New Film", 3)

    made = records_made(tonight)

    assert made["film_wins"]["status"] == "since"
    assert made["film_wins"]["previous"]["figure"] == 3
    assert holders(made["film_wins"]["previous"]) == [(None, "Three Film", "Night 2")]
    record(tonight, "Award 3", "New Film")
    made = records_made(tonight)
    assert holders(made["film_wins"]["previous"]) == [(None, "Record Film", "Night 1")]


def test_a_figure_past_a_record_shared_by_many_breaks_it_and_says_how_many_shared_it(db, client):
    many = records.MAX_HOLDERS + 2
    earlier = make_ceremony(
        {f"Award {i}": [(f"Film {i // 2}",), ("Also Ran",)] for i in range(2 * many)},
        ceremony="Night 1",
        date="2020-03-01",
    )
    for i in range(2 * many):
        record(earlier, f"Award {i}", f"Film {i // 2}")  # `many` films with 2 wins each
    tonight = film_night("Big Film", 3, ceremony="Night 2", edition=2, date="2021-03-01")

    made = records_made(tonight)

    assert made["film_wins"]["status"] == "breaks"
    assert made["film_wins"]["previous"] == {
        "kind": "film_wins",
        "title": records.KINDS["film_wins"],
        "figure": 2,
        "holders": [],
        "shared_by": many,
    }
    page = client.get(tonight.get_absolute_url()).content.decode()
    assert f"(previous record 2, shared by {many})" in page


def test_a_rehearsal_measures_its_results_against_the_real_bodys_earlier_ceremonies(db):
    def night(edition: int, year: int, wins: int):
        return film_night(
            "Big Film",
            wins,
            ceremony=f"Night {edition}",
            edition=edition,
            date=f"{year}-03-01",
        )

    night(1, 2020, wins=3)
    real = night(2, 2021, wins=0)
    copy = services.ceremony_rehearsal_reset(ceremony_id=real.pk, editor=None)
    services.ceremony_set_status(ceremony_id=copy.pk, status="live", editor=None)
    for i in range(3):
        record(copy, f"Award {i}", "Big Film")

    made = records_made(copy)

    assert made["film_wins"]["status"] == "ties"
    assert holders(made["film_wins"]["previous"]) == [(None, "Big Film", "Night 1")]
