"""Structured data on ceremony pages: a live show's LiveBlogPosting, with each result an
update; an Event otherwise; every type and property as the schema.org vocabulary allows."""

import pytest

from ceremony import services
from tests.support.builders import record
from tests.support.schemaorg import json_ld_of, vocabulary

pytestmark = pytest.mark.django_db


def page_data(client, path="/ceremonies/97th-academy-awards/") -> dict:
    (data,) = json_ld_of(client.get(path).content.decode())
    assert data.pop("@context") == "https://schema.org"
    return data


def test_a_live_ceremony_page_is_a_live_blog_with_each_result_an_update(client, live_97, editor):
    record(live_97, "Best Actress", "Mikey Madison", editor=editor)
    record(live_97, "Best Picture", "Anora", editor=editor)

    data = page_data(client)

    assert data["@type"] == "LiveBlogPosting"
    assert data["about"]["@type"] == "Event"
    assert [u["headline"] for u in data["liveBlogUpdate"]] == [
        "Best Picture: Anora",
        "Best Actress: Mikey Madison",
    ]
    assert data["liveBlogUpdate"][0]["url"].endswith("/97th-academy-awards/best-picture/")
    assert vocabulary().problems(data) == []


def test_a_ceremony_page_before_and_after_the_show_is_an_event(client, oscars_97, editor):
    before = page_data(client)
    services.ceremony_set_status(ceremony_id=oscars_97.pk, status="live", editor=editor)
    services.ceremony_set_status(ceremony_id=oscars_97.pk, status="final", editor=editor)
    after = page_data(client)

    for data in (before, after):
        assert data["@type"] == "Event"
        assert data["name"] == "97th Academy Awards"
        assert data["location"]["name"].startswith("Dolby Theatre")
        assert vocabulary().problems(data) == []


def test_the_check_finds_unknown_types_misplaced_properties_and_wrong_values():
    check = vocabulary().problems

    assert check({"@type": "Ceremony"}) == ["$: @type 'Ceremony' is not a schema.org type"]
    assert check({"@type": "Event", "liveBlogUpdate": [{"@type": "BlogPosting"}]}) == [
        "$.liveBlogUpdate: 'liveBlogUpdate' is not a property of Event"
    ]
    assert check({"@type": "Event", "bestFilm": "Anora"}) == [
        "$.bestFilm: no schema.org property 'bestFilm'"
    ]
    assert check({"@type": "Event", "location": {"@type": "BlogPosting"}}) != []
    assert check({"@type": "Event", "eventStatus": "https://schema.org/EventScheduled"}) == []
    assert (
        check({"@type": "Event", "eventStatus": "https://schema.org/OfflineEventAttendanceMode"})
        != []
    )
