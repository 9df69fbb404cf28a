import csv
import io
import json

import pytest

from ceremony import scoreboard, services
from ceremony.archive_views import EXPORT_FIELDS, csv_cell
from ceremony.importers.json_file import ceremony_spec
from ceremony.models import (
    AuditEntry,
    Category,
    Ceremony,
    Film,
    FilmAlias,
    Nomination,
    Person,
    PersonAlias,
)
from ceremony.templatetags.ceremony_tags import local_time, season_bodies
from ceremony.text import name_key
from tests.support.archive import require
from tests.support.builders import demo_data, make_ceremony, nomination, record, record_all
from tests.support.environment import SHARED_DATA


@pytest.fixture
def finished_97(live_97, results_97, editor):
    record_all(live_97, results_97, editor=editor)
    return live_97


def shared_ceremony(name: str) -> Ceremony:
    path = require(SHARED_DATA / name)
    data = json.loads(path.read_text(encoding="utf-8"))
    return services.ceremony_import(spec=ceremony_spec(data, source=name)).ceremony


def links(response) -> str:
    return response.content.decode()


# --- search -----------------------------------------------------------------------------------


def test_emilia_perez_without_accent_finds_emilia_perez(globes_82, client):
    film = Film.objects.get(title="Emilia Pérez")

    for query in ("emilia perez", "EMILIA PÉREZ", "Emilia"):
        page = links(client.get("/search/", {"q": query}))
        assert f'href="{film.get_absolute_url()}"' in page, query


def test_goransson_finds_ludwig_goransson(db, client):
    shared_ceremony("oscars-96.json")
    person = Person.objects.get(name="Ludwig Göransson")

    page = links(client.get("/search/", {"q": "goransson"}))

    assert f'<a href="{person.get_absolute_url()}">Ludwig Göransson</a>' in page


def test_search_finds_ceremonies_and_pages_through_one_kind(globes_82, client):
    page = links(client.get("/search/", {"q": "82nd golden"}))
    assert f'href="{globes_82.get_absolute_url()}"' in page

    people = client.get("/search/", {"q": "a", "kind": "people", "page": 2})
    assert people.status_code == 200
    assert "Page 2 of" in links(people)


def test_a_nul_character_in_the_query_is_ignored(db, client):
    ceremony = make_ceremony({"Best Picture": [("X",)]}, status="final", ceremony="Nul Awards")

    response = client.get("/search/?q=nu%00l+awards")

    assert response.status_code == 200
    assert f'href="{ceremony.get_absolute_url()}"' in links(response)


# Without PostgreSQL's trigrams (SQLite, as `make run` uses) names are matched by substring only.
SEARCH_PATHS = ["as configured", "substring only"]


@pytest.mark.parametrize("path", SEARCH_PATHS)
def test_search_finds_a_title_whatever_way_its_numeral_is_written(db, client, settings, path):
    settings.IS_POSTGRES = settings.IS_POSTGRES and path == "as configured"
    make_ceremony(
        {"Best Picture": [("The Godfather Part II",), ("Rocky",)], "Best Song": [("Rocky 2",)]},
        status="final",
    )
    part_two = Film.objects.get(title="The Godfather Part II").get_absolute_url()
    rocky_two = Film.objects.get(title="Rocky 2").get_absolute_url()

    for query in ("godfather part 2", "Godfather Part Two", "GODFATHER PART II"):
        assert f'href="{part_two}"' in links(client.get("/search/", {"q": query})), query
    for query in ("rocky ii", "rocky two"):
        assert f'href="{rocky_two}"' in links(client.get("/search/", {"q": query})), query


@pytest.mark.parametrize("path", SEARCH_PATHS)
def test_search_finds_a_person_with_the_names_in_either_order(db, client, settings, path):
    settings.IS_POSTGRES = settings.IS_POSTGRES and path == "as configured"
    make_ceremony(
        {"Best Actress": [("Volver", "Penélope Cruz"), ("Babel", "Rinko Kikuchi")]},
        status="final",
    )
    cruz = Person.objects.get(name="Penélope Cruz").get_absolute_url()

    for query in ("cruz penelope", "Cruz, Penélope", "CRUZ PENÉLOPE", "penelope cruz"):
        page = links(client.get("/search/", {"q": query, "kind": "people"}))
        assert f'href="{cruz}"' in page, query
        assert "/people/rinko-kikuchi/" not in page, query


@pytest.mark.parametrize("query", ["0000", "٢٠٢٥", "٠٠٠٠", "²", "1" * 199, "0000 academy"])
def test_a_number_that_is_no_year_is_searched_as_a_word(db, client, query):
    make_ceremony({"Best Picture": [("X",)]}, status="final", ceremony="Number Awards")

    response = client.get("/search/", {"q": query})

    assert response.status_code == 200


def test_an_empty_search_shows_the_form_only(db, client):
    page = client.get("/search/", {"q": "  "})

    assert page.status_code == 200
    assert "Nothing found" not in links(page)


# --- pages ------------------------------------------------------------------------------------


def test_the_film_page_shows_globes_and_oscars_side_by_side(
    finished_97, client, django_assert_max_num_queries
):
    film = Film.objects.get(title="Emilia Pérez")

    with django_assert_max_num_queries(4):
        page = links(client.get(film.get_absolute_url()))

    assert page.index("82nd Golden Globe Awards") < page.index("97th Academy Awards")
    for body, file in (
        ("Golden Globe", "golden-globes-82.json"),
        ("Academy", "oscars-97-results.json"),
    ):
        rows = [
            n
            for c in demo_data(file)["categories"]
            for n in c["nominees"]
            if n["film"] == film.title
        ]
        wins = sum(bool(n.get("won")) for n in rows)
        assert f"{body}: {wins} win{'s' * (wins != 1)} from {len(rows)} nominations" in page


def test_the_person_page_lists_nominations_by_ceremony_and_film(
    finished_97, client, django_assert_max_num_queries
):
    baker = Person.objects.get(name="Sean Baker")

    with django_assert_max_num_queries(4):
        page = links(client.get(baker.get_absolute_url()))

    assert "97th Academy Awards" in page
    assert "Academy: 4 wins from 4 nominations" in page
    assert page.count(f'href="{Film.objects.get(title="Anora").get_absolute_url()}"') >= 1


def test_unknown_film_and_person_are_404(db, client):
    assert client.get("/films/no-such-film/").status_code == 404
    assert client.get("/people/no-such-person/").status_code == 404


def test_the_index_names_best_picture_and_most_awarded_film(
    finished_97, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        page = links(client.get("/ceremonies/"))

    row_97 = page[page.index("97th Academy Awards") :].split("</tr>")[0]
    assert "Anora" in row_97
    assert "(5)" in row_97
    row_82 = page[page.index("82nd Golden Globe Awards") :].split("</tr>")[0]
    assert "The Brutalist" in row_82
    assert "Emilia Pérez" in row_82


def test_the_index_costs_the_same_queries_however_many_ceremonies(
    globes_82, client, django_assert_num_queries
):
    client.get("/ceremonies/")
    with django_assert_num_queries(5) as few:
        client.get("/ceremonies/")
    make_ceremony({"Best Picture": [("X",), ("Y",)]}, status="final", edition=2, ceremony="2nd")
    make_ceremony({"Best Picture": [("Z",)]}, status="final", edition=3, ceremony="3rd")

    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/ceremonies/")


def test_the_index_hides_drafts_and_filters_by_body(globes_82, client):
    make_ceremony({"Best Picture": [("Secret",)]}, status="draft", ceremony="Draft Awards")

    page = links(client.get("/ceremonies/", {"body": "golden-globe-awards"}))

    assert "82nd Golden Globe Awards" in page
    assert "Draft Awards" not in links(client.get("/ceremonies/"))


def test_the_ceremony_page_has_a_timeline_in_the_ceremony_time_zone(live_97, editor, client):
    category = record(live_97, "Best Supporting Actor", "Kieran Culkin", editor=editor)

    page = links(client.get(live_97.get_absolute_url()))

    when = local_time(category.announced_at.isoformat(), live_97.time_zone)
    assert 'id="timeline"' in page
    assert f">{when}</time>" in page
    assert "Times in America/Los_Angeles" in page


def test_the_ceremony_page_shows_records_its_results_make(finished_97, client):
    page = links(client.get(finished_97.get_absolute_url()))

    records = page[page.index('id="records"') :]
    assert "Most wins by one person for one film in one night" in records
    assert "Sean Baker" in records


# --- export -----------------------------------------------------------------------------------


def test_json_export_round_trips_through_the_importer(globes_82, client):
    exported = client.get(f"/api/ceremonies/{globes_82.slug}/results/").json()
    AuditEntry.objects.filter(ceremony=globes_82).delete()
    Ceremony.objects.filter(pk=globes_82.pk).delete()

    services.ceremony_import(spec=ceremony_spec(exported, source="export"))
    again = client.get(f"/api/ceremonies/{globes_82.slug}/results/").json()

    def shape(doc):
        return [
            (c["name"], [(n["film"], n["nominee"], n["won"]) for n in c["nominees"]])
            for c in doc["categories"]
        ]

    assert shape(again) == shape(exported)
    assert shape(exported) == shape(
        {
            "categories": [
                {
                    "name": c["name"],
                    "nominees": [{**n, "nominee": n["nominee"]} for n in c["nominees"]],
                }
                for c in demo_data("golden-globes-82.json")["categories"]
            ]
        }
    )


def test_csv_export_has_the_documented_fields_and_the_json_rows(finished_97, client):
    url = f"/api/ceremonies/{finished_97.slug}/results/"
    rows = client.get(url).json()["results"]

    response = client.get(url, {"format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8")))
    assert reader.fieldnames == EXPORT_FIELDS
    parsed = list(reader)
    assert parsed == [{k: str(v) for k, v in row.items()} for row in rows]
    assert sum(r["won"] == "True" for r in parsed) == 23


def test_export_of_a_draft_has_its_nominees_and_no_winners(db, client):
    # As its live page: nominees and reader ballots are public before the show.
    draft = make_ceremony({"Best Picture": [("Secret",), ("Other",)]}, status="draft")

    response = client.get(f"/api/ceremonies/{draft.slug}/results/")

    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert [(r["film"], r["won"]) for r in response.json()["results"]] == [
        ("Secret", False),
        ("Other", False),
    ]


def test_export_of_an_unknown_ceremony_is_404(db, client):
    assert client.get("/api/ceremonies/nope/results/").status_code == 404


# --- other names, notes, dates, ties (built data) ----------------------------------------------


def alias(identity: Film | Person, text: str):
    if isinstance(identity, Film):
        return FilmAlias.objects.create(film=identity, title=text, key=name_key(text))
    return PersonAlias.objects.create(person=identity, name=text, key=name_key(text))


@pytest.fixture
def the_35th(db) -> Ceremony:
    """Freddie Young, also credited as "F. A. Young" and "Fred A. Young" (and once in capitals);
    Sunset Boulevard, also listed as "Sunset Blvd."; Brando's refusal in the note."""
    ceremony = make_ceremony(
        {
            "Best Cinematography": [("Lawrence of Arabia", "Freddie Young"), ("Other", "Someone")],
            "Best Actor": [("The Godfather", "Marlon Brando"), ("Sleuth", "Michael Caine")],
            "Best Picture": [("Sunset Boulevard",), ("Lawrence of Arabia",)],
        },
        ceremony="35th Academy Awards",
        body="Academy Awards",
        edition=35,
        date="1963-04-08",
    )
    record(ceremony, "Best Cinematography", "Freddie Young")
    record(ceremony, "Best Actor", "Marlon Brando")
    record(ceremony, "Best Picture", "Lawrence of Arabia")
    Nomination.objects.filter(pk=nomination(ceremony, "Best Actor", "Marlon Brando").pk).update(
        note="Mr. Brando refused the award."
    )
    young = Person.objects.get(name="Freddie Young")
    for name in ("F. A. Young", "Fred A. Young", "FREDDIE YOUNG"):
        alias(young, name)
    alias(Film.objects.get(title="Sunset Boulevard"), "Sunset Blvd.")
    return ceremony


def test_search_finds_a_person_by_name_or_by_any_other_spelling(the_35th, client):
    young = Person.objects.get(name="Freddie Young")
    link = f'href="{young.get_absolute_url()}"'

    assert link in links(client.get("/search/", {"q": "freddie young"}))
    for query in ("F. A. Young", "fred a young"):
        page = links(client.get("/search/", {"q": query}))
        assert link in page, query
        assert "also credited as " in page, query
    one_kind = links(client.get("/search/", {"q": "f a young", "kind": "people"}))
    assert link in one_kind
    assert "also credited as F. A. Young" in one_kind
    # Found by its own name: no "also credited as".
    assert "also credited as" not in links(client.get("/search/", {"q": "freddie"}))


def test_search_finds_a_film_by_either_title(the_35th, client):
    film = Film.objects.get(title="Sunset Boulevard")

    for query in ("sunset boulevard", "Sunset Blvd."):
        page = links(client.get("/search/", {"q": query, "kind": "films"}))
        assert f'href="{film.get_absolute_url()}"' in page, query
    assert "also listed as <cite>Sunset Blvd.</cite>" in links(
        client.get("/search/", {"q": "sunset blvd"})
    )


@pytest.mark.postgres
def test_postgres_search_finds_a_near_miss_of_an_alias(the_35th, client):
    bertelmann = Person.objects.create(
        name="Volker Bertelmann", slug="volker-bertelmann", key="volker bertelmann"
    )
    alias(bertelmann, "Hauschka")

    page = links(client.get("/search/", {"q": "hauschke", "kind": "people"}))

    assert f'href="{bertelmann.get_absolute_url()}"' in page
    assert "also credited as Hauschka" in page


def test_search_finds_ceremonies_by_the_year_they_were_held(db, client):
    def oscars(edition: int, date: str) -> Ceremony:
        return make_ceremony(
            {"Best Picture": [(f"Film {edition}",)]},
            status="final",
            ceremony=f"{edition}th Academy Awards",
            body="Academy Awards",
            edition=edition,
            date=date,
        )

    the_97th = oscars(97, "2025-03-02")  # the films of 2024
    the_98th = oscars(98, "2026-03-15")  # the films of 2025
    globes = make_ceremony(
        {"Best Motion Picture - Drama": [("Film G",)]},
        status="final",
        ceremony="82nd Golden Globe Awards",
        body="Golden Globe Awards",
        edition=82,
        date="2025-01-05",
    )

    def found(query: str) -> set[str]:
        page = links(client.get("/search/", {"q": query, "kind": "ceremonies"}))
        return {c.name for c in (the_97th, the_98th, globes) if c.get_absolute_url() in page}

    assert found("2025") == {"97th Academy Awards", "82nd Golden Globe Awards"}
    assert found("oscars 2025") == {"97th Academy Awards"}
    assert found("Oscar 2026") == {"98th Academy Awards"}
    assert found("golden globes 2025") == {"82nd Golden Globe Awards"}
    assert found("academy awards") == {"97th Academy Awards", "98th Academy Awards"}
    assert found("98th") == {"98th Academy Awards"}


def test_the_person_page_lists_the_other_spellings(the_35th, client, django_assert_max_num_queries):
    young = Person.objects.get(name="Freddie Young")

    with django_assert_max_num_queries(4):
        page = links(client.get(young.get_absolute_url()))

    assert "Also credited as: F. A. Young, Fred A. Young</p>" in page
    # A spelling that differs only in case or accents is not another name.
    assert "FREDDIE YOUNG" not in page


def test_the_film_page_lists_the_other_titles(the_35th, client, django_assert_max_num_queries):
    film = Film.objects.get(title="Sunset Boulevard")

    with django_assert_max_num_queries(4):
        page = links(client.get(film.get_absolute_url()))

    assert "Also listed as: <cite>Sunset Blvd.</cite></p>" in page
    lawrence = links(client.get(Film.objects.get(title="Lawrence of Arabia").get_absolute_url()))
    assert "Also listed as" not in lawrence


def test_the_note_explains_its_row_on_film_person_and_ceremony_pages(the_35th, client):
    note = '<span class="note">Mr. Brando refused the award.</span>'
    brando = Person.objects.get(name="Marlon Brando")

    for url in (
        Film.objects.get(title="The Godfather").get_absolute_url(),
        brando.get_absolute_url(),
        the_35th.get_absolute_url(),
    ):
        assert links(client.get(url)).count(note) == 1, url
    snapshot = scoreboard.snapshot(the_35th)
    notes = [
        (n["nominee"], n["note"])
        for c in snapshot["categories"]
        for n in c["nominations"]
        if "note" in n
    ]
    # Only where there is one: the snapshot stays small.
    assert notes == [("Marlon Brando", "Mr. Brando refused the award.")]


@pytest.fixture
def year_only(db) -> Ceremony:
    """The 1st Academy Awards: oscars.csv gives the year, never the day."""
    ceremony = make_ceremony(
        {"Outstanding Picture": [("Wings",), ("The Racket",)]},
        ceremony="1st Academy Awards",
        body="Academy Awards",
        date="1929-03-01",
    )
    record(ceremony, "Outstanding Picture", "Wings")
    Ceremony.objects.filter(pk=ceremony.pk).update(date_exact=False, status="final")
    ceremony.refresh_from_db()
    return ceremony


def test_a_year_only_ceremony_shows_its_year_never_a_day(year_only, client):
    exact = make_ceremony({"Best Picture": [("Anora",)]}, status="final", edition=2)
    wings = Film.objects.get(title="Wings")

    index = links(client.get("/ceremonies/"))
    page = links(client.get(year_only.get_absolute_url()))
    film = links(client.get(wings.get_absolute_url()))
    search = links(client.get("/search/", {"q": "1929", "kind": "ceremonies"}))

    assert "Academy Awards · 1929</span>" in index
    assert "Test Awards · 2 March 2025</span>" in index
    assert "Academy Awards · 1929 ·" in page
    assert "Sunday 2 March 2025" in links(client.get(exact.get_absolute_url()))
    assert '1st Academy Awards</a> <span class="muted">1929</span>' in film
    assert year_only.get_absolute_url() in search
    for shown in (index, page, film, search):
        assert "March 1929" not in shown
        assert "Friday" not in shown  # 1 March 1929, the placeholder day


def test_the_export_dates_a_year_only_ceremony_by_its_year(year_only, client):
    url = f"/api/ceremonies/{year_only.slug}/results/"

    document = client.get(url).json()
    rows = list(csv.DictReader(io.StringIO(client.get(url, {"format": "csv"}).content.decode())))

    assert {r["date"] for r in document["results"]} == {"1929"}
    assert {r["date"] for r in rows} == {"1929"}
    # The import format wants a day: the document keeps the placeholder, flagged as such.
    assert (document["date"], document["date_exact"]) == ("1929-03-01", False)
    exact = make_ceremony({"Best Picture": [("Anora",)]}, edition=2)
    exact_document = client.get(f"/api/ceremonies/{exact.slug}/results/").json()
    assert exact_document["results"][0]["date"] == "2025-03-02"
    assert exact_document["date_exact"] is True


def test_csv_export_quotes_cells_a_spreadsheet_would_run_as_formulas(db, client):
    risky = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tTab", "\rReturn"]
    ceremony = make_ceremony({"Best Picture": [(f"Film {i}",) for i in range(len(risky))]})
    # Written directly: the importers strip the tab and the carriage return.
    for n, text in zip(Nomination.objects.filter(category__ceremony=ceremony), risky, strict=True):
        n.nominee, n.film_title = text, f"{text} film"
        n.note = "=1+1" if text == "+1" else ""
        n.save()
    url = f"/api/ceremonies/{ceremony.slug}/results/"

    response = client.get(url, {"format": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline="")))
    assert [r["nominee"] for r in rows] == [f"'{text}" for text in risky]
    assert [r["film"] for r in rows] == [f"'{text} film" for text in risky]
    assert rows[1]["note"] == "'=1+1"
    assert rows[0]["ceremony"] == "1st Test Awards"  # a safe cell is left alone
    # The JSON has the values as they are.
    assert [r["nominee"] for r in client.get(url).json()["results"]] == risky
    assert csv_cell(3) == 3
    assert csv_cell("a=b") == "a=b"


def test_several_winners_without_a_declared_tie_are_not_a_tie(db, client):
    ceremony = make_ceremony(
        {
            "Assistant Director": [("Fox", "William Tummel"), ("MGM", "Charles Dorian"), ("X",)],
            "Actress": [("The Lion in Winter", "Katharine Hepburn"), ("Funny Girl", "Barbra")],
        }
    )
    # One per studio, by design (the 6th Academy Awards): winners, not a tie.
    Nomination.objects.filter(
        category__ceremony=ceremony, category__name="Assistant Director", nominee__contains=" "
    ).update(won=True)
    record(ceremony, "Actress", "Katharine Hepburn", "Barbra")  # a declared tie
    assert not Category.objects.get(name="Assistant Director").is_tie

    snap = {c["name"]: c for c in scoreboard.snapshot(ceremony)["categories"]}
    page = links(client.get(ceremony.get_absolute_url()))
    exported = client.get(f"/api/ceremonies/{ceremony.slug}/results/").json()["results"]
    person_page = links(client.get(Person.objects.get(name="William Tummel").get_absolute_url()))

    assert snap["Assistant Director"]["tie"] is False
    assert len(snap["Assistant Director"]["winners"]) == 2
    assert snap["Actress"]["tie"] is True
    director = page[page.index('id="cat-assistant-director"') : page.index('id="cat-actress"')]
    assert director.count('class="winner"') == 2
    assert "badge tie" not in director
    assert page.count('<span class="badge tie">Tie</span>') == 1
    assert {(r["category"], r["tie"]) for r in exported if r["won"]} == {
        ("Assistant Director", False),
        ("Actress", True),
    }
    assert "badge tie" not in person_page


def test_the_season_line_names_each_body_and_never_shows_an_imdb_id():
    cat = {
        "film_level": False,
        "nominations": [{"id": 1, "film": "Anora", "nominee": "Mikey Madison"}],
        "season": {"bodies": [["BAFTA", ["tt27902121"], "no_call"], ["Spirit", [1], "held"]]},
    }
    assert [b["text"] for b in season_bodies(cat)] == [
        "BAFTA: a film not in the Oscars (not nominated here or cannot tell)",
        "Spirit: Mikey Madison (won)",
    ]


# --- rehearsals: nothing of one is public outside its own page --------------------------------


@pytest.fixture
def rehearsed_97(finished_97, editor):
    """The finished 97th and a rehearsal copy of it, live, with two results recorded."""
    services.ceremony_set_status(ceremony_id=finished_97.pk, status="final", editor=editor)
    copy = services.ceremony_rehearsal_reset(ceremony_id=finished_97.pk, editor=editor)
    services.ceremony_set_status(ceremony_id=copy.pk, status="live", editor=editor)
    record(copy, "Best Supporting Actor", "Kieran Culkin", editor=editor)
    record(copy, "Best Actress", "Mikey Madison", editor=editor)
    return copy


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/ceremonies/",
        "/ceremonies/?body=academy-awards-rehearsal",
        "/records/",
        "/api/records/",
        "/api/ceremonies/",
        "/search/?q=97th",
        "/search/?q=academy&kind=ceremonies",
        "film:Anora",
        "person:Mikey Madison",
        "person:Kieran Culkin",
        "/upsets/",
        "/seasons/",
        "/seasons/2025/",
    ],
)
def test_nothing_of_a_rehearsal_is_shown_outside_its_own_page(rehearsed_97, client, path):
    if path.startswith("film:"):
        path = Film.objects.get(title=path.removeprefix("film:")).get_absolute_url()
    elif path.startswith("person:"):
        path = Person.objects.get(name=path.removeprefix("person:")).get_absolute_url()
    response = client.get(path)

    assert response.status_code == 200
    text = response.content.decode()
    assert "(rehearsal)" not in text
    assert rehearsed_97.slug not in text
    assert "academy-awards-rehearsal" not in text


def test_a_person_with_only_honorary_awards_is_not_said_to_have_zero_of_zero(db, client):
    ceremony = make_ceremony(
        {
            "Honorary Award": [("Snow White", "Walt Disney")],
            "Special Award": [("X", "Walt Disney")],
        },
        status="final",
    )
    ceremony.categories.update(competitive=False)
    walt = Person.objects.get(name="Walt Disney")

    page = links(client.get(walt.get_absolute_url()))

    assert "Test: 2 honorary awards" in page
    assert "0 wins from 0 nominations" not in page
