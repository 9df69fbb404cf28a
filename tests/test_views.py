import json

import pytest
from django.urls import reverse

from ceremony.models import Ceremony
from tests.support.builders import make_ceremony, record

SNAPSHOT_KEYS = {
    "ceremony",
    "version",
    "progress",
    "categories",
    "tallies",
    "people",
    "upsets",
    "latest",
}
CATEGORY_KEYS = {
    "slug",
    "name",
    "order",
    "announced_at",
    "corrected_at",
    "winners",
    "nominations",
    "precursor",
}


def test_snapshot_api_has_the_documented_shape(client, live_97, editor):
    record(live_97, "Best Actress", "Mikey Madison", editor=editor)

    response = client.get("/api/ceremonies/97th-academy-awards/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) >= SNAPSHOT_KEYS
    assert data["ceremony"] == {
        "slug": "97th-academy-awards",
        "name": "97th Academy Awards",
        "body": "Academy Awards",
        "edition": 97,
        "date": "2025-03-02",
        "date_exact": True,
        "venue": "Dolby Theatre, Hollywood, Los Angeles, California",
        "starts_at": None,
        "time_zone": "America/Los_Angeles",
        "status": "live",
        "rehearsal": False,
    }
    assert data["version"] == Ceremony.objects.get(pk=live_97.pk).version
    assert data["progress"] == {"announced": 1, "total": 23}
    actress = next(c for c in data["categories"] if c["slug"] == "best-actress")
    assert set(actress) >= CATEGORY_KEYS
    assert {"id", "film", "nominee", "won"} <= set(actress["nominations"][0])
    assert set(actress["precursor"]) == {
        "status",
        "favourites",
        "summary",
        "lost",
        "track",
        "grade",
    }
    assert actress["precursor"]["status"] == "upset"
    # No earlier season in this database: no record, so the upset cannot be rated.
    assert actress["precursor"]["track"] is None
    assert actress["precursor"]["grade"]["level"] == "unrated"
    assert {"film", "wins", "nominations"} <= set(data["tallies"][0])
    assert data["upsets"] == ["best-actress"]
    assert data["latest"][0]["slug"] == "best-actress"


def test_snapshot_api_answers_304_for_the_version_the_client_has(client, live_97):
    first = client.get("/api/ceremonies/97th-academy-awards/")

    again = client.get(
        "/api/ceremonies/97th-academy-awards/", headers={"if-none-match": first["ETag"]}
    )

    assert again.status_code == 304
    assert first["Cache-Control"] == "no-cache"


def test_snapshot_api_serves_the_new_version_after_a_write(client, live_97, editor):
    first = client.get("/api/ceremonies/97th-academy-awards/").json()

    record(live_97, "Best Actress", "Mikey Madison", editor=editor)

    second = client.get("/api/ceremonies/97th-academy-awards/").json()
    assert second["version"] == first["version"] + 1
    assert second["progress"]["announced"] == 1


def test_unknown_ceremony_is_404_in_api_and_page(client, db):
    assert client.get("/api/ceremonies/nope/").status_code == 404
    assert client.get("/ceremonies/nope/").status_code == 404


def test_ceremony_list_api(client, oscars_97):
    data = client.get("/api/ceremonies/").json()

    assert [c["slug"] for c in data["ceremonies"]] == [
        "97th-academy-awards",
        "82nd-golden-globe-awards",
    ]
    assert data["ceremonies"][0]["status"] == "draft"
    assert data["ceremonies"][0]["date_exact"] is True


def test_page_renders_the_snapshot_without_javascript(client, live_97, editor):
    record(live_97, "Best Actress", "Mikey Madison", editor=editor)

    html = client.get("/ceremonies/97th-academy-awards/").content.decode()

    assert "97th Academy Awards" in html
    assert "1 of 23 awarded" in html
    assert "Upset: Golden Globe winners Fernanda Torres" in html
    assert 'class="winner"' in html
    assert "Mikey Madison" in html
    assert "<script>" not in html  # the CSP allows no inline script


def test_the_embedded_snapshot_is_the_api_text_escaped_for_a_script_block(client, db):
    film = "</script><script>alert(1)</script>"
    ceremony = make_ceremony({"Best Picture": [(film,), ("Fish & Chips",)]})

    html = client.get(ceremony.get_absolute_url()).content.decode()

    opening = '<script id="snapshot-data" type="application/json">'
    embedded = html.split(opening, 1)[1].split("</script>", 1)[0]
    assert not {"<", ">", "&"} & set(embedded)
    assert json.loads(embedded) == client.get(f"/api/ceremonies/{ceremony.slug}/").json()
    assert "alert(1)</script>" not in html.split(opening, 1)[1]


def test_home_shows_the_live_ceremony_else_the_latest(client, live_97, globes_82):
    assert "97th Academy Awards" in client.get("/").content.decode()

    live_97.status = "final"
    live_97.save()
    Ceremony.objects.filter(pk=globes_82.pk).update(status="live")

    assert "<h1>82nd Golden Globe Awards</h1>" in client.get("/").content.decode()


def test_home_features_nominees_awaiting_results_newer_than_the_latest_results(client, oscars_97):
    # The demo: the 82nd Globes with results, the 97th Oscars' nominees, the day gone by.
    assert Ceremony.objects.featured() == (oscars_97, "the nominees, results to come")
    page = client.get("/").content.decode()
    assert "<h1>97th Academy Awards</h1>" in page
    assert "The home page features 97th Academy Awards: the nominees, results to come." in page


def test_home_features_the_latest_results_over_older_nominees_without_results(client, globes_82):
    older = make_ceremony(
        {"Best Picture": [("Old",)]}, status="draft", date="2024-01-01", ceremony="Old Awards"
    )

    assert older.date < globes_82.date
    assert Ceremony.objects.featured() == (globes_82, "the latest results")


def test_home_without_any_ceremony_explains_how_to_import_one(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert "import_ceremony" in response.content.decode()


def test_ceremony_page_takes_a_bounded_number_of_queries(
    client, live_97, django_assert_max_num_queries
):
    client.get("/ceremonies/97th-academy-awards/")  # builds and caches the snapshot

    with django_assert_max_num_queries(3):
        client.get("/ceremonies/97th-academy-awards/")
    with django_assert_max_num_queries(2):
        client.get("/api/ceremonies/97th-academy-awards/")


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_api_is_read_only(client, live_97, method):
    response = getattr(client, method)("/api/ceremonies/97th-academy-awards/")

    assert response.status_code in (403, 405)
    assert json.loads(client.get("/api/ceremonies/97th-academy-awards/").content)["version"] == (
        Ceremony.objects.get(pk=live_97.pk).version
    )


def test_a_start_time_set_in_the_admin_is_in_the_snapshot_and_on_the_draft_page(admin_client, db):
    show = make_ceremony({"Best Picture": ["Anora", "Conclave"]}, status="draft")
    change = reverse("admin:ceremony_ceremony_change", args=[show.pk])
    assert 'name="starts_at_0"' in admin_client.get(change).content.decode()

    # Entered in the server's time zone (UTC here): 4 PM on the show's day in Los Angeles.
    response = admin_client.post(
        change,
        {
            "body": show.body_id,
            "edition": show.edition,
            "name": show.name,
            "slug": show.slug,
            "date": show.date.isoformat(),
            "date_exact": "on",
            "film_year": show.film_year,
            "venue": show.venue,
            "starts_at_0": "2025-03-03",
            "starts_at_1": "00:00:00",
            "time_zone": "America/Los_Angeles",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    snapshot = admin_client.get(f"/api/ceremonies/{show.slug}/").json()
    assert snapshot["ceremony"]["starts_at"] == "2025-03-03T00:00:00+00:00"
    html = admin_client.get(show.get_absolute_url()).content.decode()
    # Without JavaScript: the time in the ceremony's zone (live.js gives the reader's own).
    assert (
        'The show starts <strong><time datetime="2025-03-03T00:00:00+00:00">'
        "Sunday 2 March 2025, 4:00 PM PST</time></strong>." in html
    )


def test_the_ceremony_page_links_to_its_results_export(client, globes_82):
    page = client.get(globes_82.get_absolute_url()).content.decode()

    export = f"/api/ceremonies/{globes_82.slug}/results/"
    assert f'href="{export}"' in page
    assert f'href="{export}?format=csv"' in page
    assert client.get(export, {"format": "csv"}).status_code == 200


def test_each_announced_result_links_to_its_own_page_and_the_others_do_not_yet(db, client):
    show = make_ceremony(
        {"Best Picture": [("Anora",), ("Conclave",)], "Best Actress": [("Anora", "Mikey Madison")]},
        status="live",
    )
    record(show, "Best Picture", "Anora")

    page = client.get(show.get_absolute_url()).content.decode()

    picture = page.split('id="cat-best-picture"')[1].split("</section>")[0]
    actress = page.split('id="cat-best-actress"')[1].split("</section>")[0]
    link = f'href="/ceremonies/{show.slug}/best-picture/"'
    assert '<p class="share">' in picture
    assert link in picture
    assert '<p class="share" hidden>' in actress
    assert client.get(f"/ceremonies/{show.slug}/best-picture/").status_code == 200
