import csv
import io
import json

import pytest

from ceremony import services
from ceremony.archive_views import EXPORT_FIELDS
from ceremony.importers.json_file import ceremony_spec
from ceremony.models import AuditEntry, Ceremony, Film, Person
from ceremony.templatetags.ceremony_tags import local_time
from tests.support.archive import require
from tests.support.builders import demo_data, make_ceremony, record, record_all
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
