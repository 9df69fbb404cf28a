"""Identity rules of the one import writer: IMDb ids first, evidence for credits without one,
titles joined across bodies, aliases kept, and the result independent of import order."""

import datetime as dt

import pytest

from ceremony import services
from ceremony.importers.spec import CategorySpec, CeremonySpec, FilmRef, NominationSpec, PersonRef
from ceremony.models import AuditEntry, Ceremony, Film, Nomination, Person, PersonAlias
from tests.support.identities import import_all, state_after

OSCARS, GLOBES = "Academy Awards", "Golden Globe Awards"


def spec(body: str, edition: int, film_year: int, categories: dict) -> CeremonySpec:
    """categories: name -> [(film, film id, [(person, person id)], won)]."""
    return CeremonySpec(
        body=body,
        edition=edition,
        name=f"{edition}th {body}",
        date=dt.date(film_year + 1, 3 if body == OSCARS else 1, 1),
        date_exact=False,
        film_year=str(film_year),
        source="test",
        categories=[
            CategorySpec(
                name=name,
                nominations=[
                    NominationSpec(
                        films=[FilmRef(film, film_id)],
                        nominee=" and ".join(p for p, _ in people),
                        people=[PersonRef(p, i) for p, i in people],
                        won=won,
                    )
                    for film, film_id, people, won in rows
                ],
            )
            for name, rows in categories.items()
        ],
    )


MCQUEEN_GLOBES = [
    spec(
        GLOBES,
        21,
        1963,
        {
            "Best Actor - Drama": [
                ("Love with the Proper Stranger", None, [("Steve McQueen", None)], False),
                ("Lilies of the Field", None, [("Sidney Poitier", None)], True),
            ]
        },
    ),
    spec(
        GLOBES,
        71,
        2013,
        {
            "Best Director - Motion Picture": [
                ("12 Years a Slave", None, [("Steve McQueen", None)], False),
                ("Gravity", None, [("Alfonso Cuaron", None)], True),
            ]
        },
    ),
]
MCQUEEN_OSCARS = [
    spec(
        OSCARS,
        39,
        1966,
        {
            "ACTOR": [
                ("The Sand Pebbles", "tt0060934", [("Steve McQueen", "nm0000537")], False),
                ("A Man for All Seasons", "tt0060665", [("Paul Scofield", "nm0001712")], True),
            ]
        },
    ),
    spec(
        OSCARS,
        86,
        2013,
        {
            "DIRECTING": [
                ("12 Years a Slave", "tt2024544", [("Steve McQueen", "nm2588606")], False),
                ("Gravity", "tt1454468", [("Alfonso Cuarón", "nm0190859")], True),
            ]
        },
    ),
]


def test_the_two_steve_mcqueens_get_their_own_globe_credits_whichever_came_first(db):
    globes_first = state_after(*MCQUEEN_GLOBES, *MCQUEEN_OSCARS)
    oscars_first = state_after(*MCQUEEN_OSCARS, *MCQUEEN_GLOBES)

    assert globes_first == oscars_first
    credited = globes_first[0]
    assert (
        "21th Golden Globe Awards",
        "Best Actor - Drama",
        "Love with the Proper Stranger",
        None,
        "nm0000537",
    ) in credited
    assert (
        "71th Golden Globe Awards",
        "Best Director - Motion Picture",
        "12 Years a Slave",
        "tt2024544",
        "nm2588606",
    ) in credited
    # No name-only Steve McQueen is left over.
    assert ("Steve McQueen", None) not in {(n, i) for n, i, _ in globes_first[2]}


def test_a_globe_film_joins_the_academys_listing_of_it_and_keeps_its_title_as_alias(db):
    import_all(*MCQUEEN_OSCARS, *MCQUEEN_GLOBES)

    slave = Film.objects.get(imdb_id="tt2024544")
    assert slave.nominations.count() == 2
    # "Alfonso Cuaron" (Globes) is "Alfonso Cuarón" (Academy): one person, by the shared film.
    cuaron = Person.objects.get(imdb_id="nm0190859")
    assert cuaron.nominations.count() == 2


def test_a_namesake_is_never_credited_on_no_evidence(db):
    import_all(
        spec(
            OSCARS,
            10,
            1937,
            {
                "ART DIRECTION": [
                    ("Lost Horizon", "tt0029162", [("John Goodman", "nm0329129")], True),
                ]
            },
        ),
        spec(
            GLOBES,
            49,
            1991,
            {
                "Best Actor - Musical or Comedy": [
                    ("Barton Fink", None, [("John Goodman", None)], False),
                ]
            },
        ),
    )

    art_director = Person.objects.get(imdb_id="nm0329129")
    assert art_director.nominations.count() == 1
    assert Person.objects.filter(name="John Goodman", imdb_id=None).count() == 1


def test_one_person_credited_under_two_spellings_is_one_person_with_an_alias(db):
    identities = services.Identities()
    services.ceremony_import(
        spec=spec(
            OSCARS,
            76,
            2003,
            {
                "WRITING": [
                    (
                        "The Lord of the Rings: The Return of the King",
                        "tt0167260",
                        [("Fran Walsh", "nm0909638")],
                        True,
                    ),
                ]
            },
        ),
        identities=identities,
    )
    services.ceremony_import(
        spec=spec(
            OSCARS,
            74,
            2001,
            {
                "WRITING": [
                    (
                        "The Lord of the Rings: The Fellowship of the Ring",
                        "tt0120737",
                        [("Frances Walsh", "nm0909638")],
                        False,
                    ),
                ]
            },
        ),
        identities=identities,
    )
    identities.flush()

    walsh = Person.objects.get(imdb_id="nm0909638")
    assert walsh.nominations.count() == 2
    assert list(walsh.aliases.values_list("name", flat=True)) == ["Frances Walsh"]


def test_films_titled_in_other_scripts_stay_apart_and_have_slugs(db):
    titles = ["東京物語", "七人の侍", "羅生門", "生きる", "雨月物語"]
    import_all(
        spec(
            OSCARS,
            30,
            1957,
            {
                "FOREIGN LANGUAGE FILM": [
                    (title, None, [], n == 0) for n, title in enumerate(titles)
                ]
            },
        ),
    )

    films = Film.objects.filter(title__in=titles)
    assert films.count() == 5
    assert all(f.slug for f in films)
    assert Nomination.objects.filter(won=True).count() == 1


def test_merging_two_people_moves_credits_keeps_aliases_and_gives_new_versions(db):
    import_all(*MCQUEEN_OSCARS)
    scofield = Person.objects.get(imdb_id="nm0001712")
    double = Person.objects.create(name="P. Scofield", key="p scofield", slug="p-scofield")
    nomination = scofield.nominations.get()
    nomination.people.add(double)
    ceremony = nomination.category.ceremony
    version = Ceremony.objects.get(pk=ceremony.pk).version

    services.people_merge(into_id=scofield.pk, person_ids=[double.pk], editor=None)

    assert not Person.objects.filter(pk=double.pk).exists()
    assert "P. Scofield" in scofield.aliases.values_list("name", flat=True)
    assert Ceremony.objects.get(pk=ceremony.pk).version == version + 1
    assert AuditEntry.objects.filter(ceremony=ceremony).first().action == "identity"


def test_two_people_with_different_imdb_ids_are_never_merged(db):
    import_all(*MCQUEEN_OSCARS)
    actor, director = Person.objects.filter(name="Steve McQueen").order_by("imdb_id")

    with pytest.raises(services.ServiceError, match="different people"):
        services.people_merge(into_id=actor.pk, person_ids=[director.pk], editor=None)


def test_a_credit_moved_to_a_new_person_leaves_the_other_credits(db):
    import_all(*MCQUEEN_OSCARS)
    actor = Person.objects.get(imdb_id="nm0000537")
    nomination = actor.nominations.get()

    other = services.credit_move(
        nomination_id=nomination.pk, person_id=actor.pk, new_name="Steve McQueen", editor=None
    )

    assert other.slug
    assert other.slug != actor.slug
    assert list(other.nominations.all()) == [nomination]
    assert not actor.nominations.exists()


def test_the_admin_merges_the_selected_people_after_asking_which_one_stays(admin_client):
    import_all(*MCQUEEN_OSCARS)
    scofield = Person.objects.get(imdb_id="nm0001712")
    double = Person.objects.create(name="Paul Scofeld", key="paul scofeld", slug="paul-scofeld")
    url = "/admin/ceremony/person/"
    selected = {"action": "merge", "_selected_action": [scofield.pk, double.pk]}

    asked = admin_client.post(url, selected)
    assert b"Keep" in asked.content
    done = admin_client.post(url, {**selected, "apply": "1", "into": scofield.pk}, follow=True)

    assert b"Merged 1 into Paul Scofield" in done.content
    assert list(PersonAlias.objects.values_list("name", flat=True)) == ["Paul Scofeld"]


# golden_globe_awards.csv, ceremony 24: "Best Performance by an Actress in a Supporting Role in
# any Motion Picture", "Jocelyn Lagarde", Hawaii, TRUE; oscars.csv, ceremony 39, ACTRESS IN A
# SUPPORTING ROLE, Hawaii (tt0060491), "Jocelyne Lagarde" (nm0481139).
LAGARDE_GLOBES = spec(
    GLOBES,
    24,
    1966,
    {
        "Best Performance by an Actress in a Supporting Role in any Motion Picture": [
            ("Hawaii", None, [("Jocelyn Lagarde", None)], True)
        ]
    },
)
LAGARDE_OSCARS = spec(
    OSCARS,
    39,
    1966,
    {
        "Best Supporting Actress": [
            ("Hawaii", "tt0060491", [("Jocelyne Lagarde", "nm0481139")], False)
        ]
    },
)


@pytest.mark.parametrize(
    "order", [(LAGARDE_GLOBES, LAGARDE_OSCARS), (LAGARDE_OSCARS, LAGARDE_GLOBES)]
)
def test_a_name_spelled_with_and_without_a_final_letter_is_one_person_by_the_film(db, order):
    credited = state_after(*order)[0]
    assert (
        "24th Golden Globe Awards",
        "Best Performance by an Actress in a Supporting Role in any Motion Picture",
        "Hawaii",
        "tt0060491",
        "nm0481139",
    ) in credited


def test_a_final_letter_alone_never_joins_two_people_of_different_films(db):
    identities = services.Identities()
    for one in (
        spec(
            OSCARS,
            39,
            1966,
            {"Best Actor": [("Alfie", "tt0060086", [("Michael Caine", "nm0000323")], False)]},
        ),
        spec(
            GLOBES,
            30,
            1972,
            {"Best Actor - Drama": [("Other Film", None, [("Michaela Caine", None)], False)]},
        ),
    ):
        services.ceremony_import(spec=one, identities=identities)
    services.people_reconcile(identities=identities)
    assert Person.objects.get(name="Michaela Caine").imdb_id is None
    # Left for a person to decide, on the editors' page (bulk imports record it).
    assert identities.near_misses == [
        "not joined: 'Michaela Caine' and 'Michael Caine' (nm0000323): a letter apart, no film "
        "in common"
    ]
