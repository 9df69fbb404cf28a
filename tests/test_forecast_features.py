"""The forecast's rows: a precursor winner matched as the upset flag matches it, and a film-only
winner whose film has two nominees counted as a shared win, never as either's; and the mark of
the newest write they are read from."""

import pytest

from ceremony import services
from ceremony.forecast import features
from tests.support.builders import make_ceremony, nomination, precursor_link, record
from tests.support.seasons import imported, live_globes_director

SUPPORTING = "Best Supporting Actress"


@pytest.fixture
def two_from_one_film(db):
    """The 75th's Supporting Actress: Chicago has two nominees; BAFTA's winner is known by film
    only (Chicago), the Globe's by film and person (Adaptation, Meryl Streep)."""
    bafta = imported(
        {"Best Supporting Actress": [("Chicago", None, True), ("The Hours", None)]},
        ceremony="56th BAFTA Film Awards",
        body="BAFTA Film Awards",
        edition=56,
        date="2003-02-23",
        film_year="2002",
    )
    globes = imported(
        {
            "Best Supporting Actress": [
                ("Adaptation", "Meryl Streep", True),
                ("Chicago", "Queen Latifah"),
            ]
        },
        ceremony="60th Golden Globe Awards",
        body="Golden Globe Awards",
        edition=60,
        date="2003-01-19",
        film_year="2002",
    )
    oscars = make_ceremony(
        {
            SUPPORTING: [
                ("Chicago", "Catherine Zeta-Jones"),
                ("Chicago", "Queen Latifah"),
                ("Adaptation", "Meryl Streep"),
                ("The Hours", "Julianne Moore"),
            ]
        },
        ceremony="75th Academy Awards",
        body="Academy Awards",
        edition=75,
        date="2003-03-23",
        film_year="2002",
    )
    precursor_link(oscars, SUPPORTING, bafta, "Best Supporting Actress", "people")
    precursor_link(oscars, SUPPORTING, globes, "Best Supporting Actress", "people")
    return oscars


def row(group, oscars, who):
    return group.features[group.ids.index(nomination(oscars, SUPPORTING, who).pk)]


def test_a_film_only_win_for_a_film_with_two_nominees_is_shared_between_them(two_from_one_film):
    (group,) = features.read_groups()
    oscars = two_from_one_film
    assert row(group, oscars, "Catherine Zeta-Jones")["BAFTA Film won"] == 0.5
    assert row(group, oscars, "Queen Latifah")["BAFTA Film won"] == 0.5
    assert row(group, oscars, "Julianne Moore")["BAFTA Film won"] == 0.0
    # Never either's own win: the baselines and the upset flag do not guess.
    assert group.body_won["BAFTA Film"] == set()
    assert row(group, oscars, "Meryl Streep")["Golden Globe won"] == 1.0
    assert row(group, oscars, "Queen Latifah")["Golden Globe nominee, lost"] == 1.0
    assert row(group, oscars, "Catherine Zeta-Jones")["bodies won"] == 0.5
    assert row(group, oscars, "Meryl Streep")["most bodies won"] == 1.0


def test_a_category_with_precursors_linked_has_their_records_and_its_own_part(two_from_one_film):
    (group,) = features.read_groups()
    assert set(group.records) == {"BAFTA Film", "Golden Globe"}
    assert group.part == ("acting", True)


def test_the_archive_mark_moves_with_a_precursors_result_not_a_live_oscar_nights(db):
    globes = live_globes_director()
    oscars = make_ceremony(
        {"Best Director": [("Anora", "Sean Baker"), ("The Brutalist", "Brady Corbet")]},
        ceremony="97th Academy Awards",
        body="Academy Awards",
        edition=97,
        date="2025-03-02",
    )
    before = features.archive_mark()

    record(oscars, "Best Director", "Sean Baker")
    assert features.archive_mark() == before

    record(globes, "Best Director", "Brady Corbet")
    after_globes = features.archive_mark()
    assert after_globes > before

    services.ceremony_set_status(ceremony_id=oscars.pk, status="final", editor=None)
    # The Oscars' results count once the ceremony is final: the next season learns from them.
    assert features.archive_mark() > after_globes
