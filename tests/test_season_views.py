"""The upsets and seasons pages: a filter from the address never costs a 500."""

import pytest

from ceremony import history, services
from ceremony.models import Ceremony, Person
from tests.support.builders import make_ceremony, precursor_link, record
from tests.support.seasons import imported


@pytest.mark.parametrize("decade", ["²", "1" * 4301, "٢٠١٠", "0000", "-2010", "2010.0"])
def test_a_decade_that_is_not_ascii_digits_is_no_filter(db, client, decade):
    response = client.get("/upsets/", {"decade": decade})

    assert response.status_code == 200
    assert " at the Oscars of the " not in response.content.decode()


def test_a_season_names_each_person_one_way_in_every_column(db, client):
    """The Globe column's credit as the Oscar column's: in the linked person's own spelling,
    however each source spelled it ("Ludwig Göransson" beside "Ludwig Goransson")."""
    score = "Best Original Score"
    # oscars.csv first, as the README imports: the person keeps its spelling.
    oscars = make_ceremony(
        {score: [("Oppenheimer", "Ludwig Goransson"), ("Poor Things", "Jerskin Fendrix")]},
        ceremony="96th Academy Awards",
        body="Academy Awards",
        edition=96,
        date="2024-03-10",
        film_year="2023",
    )
    imported(
        {"Best Original Score – Motion Picture": [("Oppenheimer", "Ludwig Göransson", True)]},
        ceremony="81st Golden Globe Awards",
        body="Golden Globe Awards",
        edition=81,
        date="2024-01-07",
        film_year="2023",
    )
    globes = Ceremony.objects.get(edition=81)
    precursor_link(oscars, score, globes, globes.categories.get().name, "people")
    record(oscars, score, "Ludwig Goransson")
    services.ceremony_set_status(ceremony_id=oscars.pk, status="final", editor=None)
    person = Person.objects.get(nominations__category__ceremony=oscars, slug__contains="ludwig")
    history.cache.clear()

    page = client.get("/seasons/2024/").content.decode()

    row = page[page.index("#cat-best-original-score") :].split("</tr>")[0]
    assert person.name == "Ludwig Goransson"
    assert row.count("Ludwig Goransson") == 2
    assert "Göransson" not in row
