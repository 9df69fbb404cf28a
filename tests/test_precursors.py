"""The season's verdict (ceremony/precursors.py): each precursor body's winner and verdict in an
Oscar category, the season's consensus weighted by each body's record, the words and the grade
that follow it, and "cannot tell" where a film-only winner's film has two nominees here.

The 97th's Best Actress, counted by hand (ceremony dates: Globes 5 January 2025, Critics' Choice
7 February, BAFTA 16 February, Spirit 22 February, Actor Awards (SAG) 23 February; Oscars
2 March): Globe Drama Fernanda Torres, Globe Musical or Comedy Demi Moore, Critics' Choice Moore,
BAFTA Mikey Madison, Spirit (lead performance, any gender) Madison, SAG Moore. Five bodies with a
call; Moore has three (Globe, Critics' Choice, SAG), Madison two, Torres one (the Globe, counted
with Moore's: one body). With no earlier season every body weighs 1/2: Moore 1.5 of 2.5 (0.6),
so the season leaned to Moore; Madison won: against the season.
"""

import datetime as dt
import json

from ceremony import history, services
from ceremony.importers.json_file import ceremony_spec
from ceremony.models import Ceremony
from ceremony.precursors import (
    NomineeView,
    SeasonLink,
    body_label,
    body_weight,
    matched,
    precursor_verdict,
    season_grade,
    season_sentence,
    season_verdict,
)
from ceremony.scoreboard import snapshot
from tests.support.builders import ceremony_data, make_ceremony, precursor_link, record

ACTRESS = "Best Actress"
NOMINEES_97 = [
    ("Wicked", "Cynthia Erivo"),
    ("Emilia Pérez", "Karla Sofía Gascón"),
    ("Anora", "Mikey Madison"),
    ("The Substance", "Demi Moore"),
    ("I'm Still Here", "Fernanda Torres"),
]


def view(id, film, nominee="", people=(), won=False):
    return NomineeView(
        id=id,
        film=film,
        nominee=nominee,
        film_ids=frozenset([film]),
        person_ids=frozenset(people),
        song="",
        won=won,
    )


def link(body, *winners, match="people", day=1):
    return SeasonLink(
        body=body, date=dt.date(2025, 1, day), category="x", match=match, winners=winners
    )


# --- cannot tell: two nominees of one film ------------------------------------------------------

# The 98th's Supporting Actor: Benicio del Toro and Sean Penn, both of One Battle After Another.
DEL_TORO = view(1, "One Battle After Another", "Benicio del Toro", people=["btoro"])
PENN = view(2, "One Battle After Another", "Sean Penn", people=["penn"])
OTHER = view(3, "Sinners", "Delroy Lindo", people=["lindo"])
FILM_ONLY_WINNER = view(90, "One Battle After Another")  # a files-by-film row: no people


def test_a_film_only_winner_whose_film_has_two_nominees_here_is_matched_to_neither():
    assert matched(FILM_ONLY_WINNER, [DEL_TORO, PENN, OTHER], "people") is None


def test_a_film_only_winner_whose_film_has_one_nominee_here_is_that_nominee():
    assert matched(view(91, "Sinners"), [DEL_TORO, PENN, OTHER], "people") == [OTHER]


def test_a_winner_naming_its_performer_is_told_apart_from_the_films_other_nominee():
    winner = view(92, "One Battle After Another", "Sean Penn", people=["penn"])
    assert matched(winner, [DEL_TORO, PENN, OTHER], "people") == [PENN]


def test_the_globe_flag_makes_no_call_on_a_winner_it_cannot_tell():
    verdict = precursor_verdict(
        [DEL_TORO, PENN, OTHER],
        [("Golden Globe", "Supporting Actor", "people", [FILM_ONLY_WINNER])],
    )
    assert verdict["favourites"] == []
    assert verdict["status"] == "pending"


def test_a_body_that_cannot_tell_has_no_call_and_names_the_film():
    won = view(2, "One Battle After Another", "Sean Penn", people=["penn"], won=True)
    found = season_verdict(
        [DEL_TORO, won, OTHER], [link("BAFTA Film Awards", FILM_ONLY_WINNER)], {}
    )
    assert found["bodies"][0]["winners"] == ["One Battle After Another"]
    assert found["bodies"][0]["verdict"] == "no_call"
    assert found["favourite"] is None


# --- the consensus, weighted ---------------------------------------------------------------------


def test_each_body_weighs_its_record_over_its_last_20_counted_seasons_smoothed():
    assert body_weight(None) == 0.5
    assert body_weight({"last20_won": 18, "last20_of": 20}) == 19 / 22


def test_weights_can_favour_two_strong_bodies_over_three_weak_ones():
    x, y = view(1, "X", "A X", ["x"]), view(2, "Y", "B Y", ["y"])
    links = [
        link("Strong One", view(11, "X", "A X", ["x"])),
        link("Strong Two", view(12, "X", "A X", ["x"])),
        *[link(f"Weak {i}", view(20 + i, "Y", "B Y", ["y"])) for i in range(3)],
    ]
    weights = {"Strong One": 0.9, "Strong Two": 0.9, **{f"Weak {i}": 0.5 for i in range(3)}}

    found = season_verdict([x, y], links, weights)

    assert found["favourite"]["id"] == 1
    assert (found["favourite"]["won"], found["favourite"]["of"]) == (2, 5)
    assert found["favourite"]["strength"] == "leaned"
    # Unweighted, three bodies beat two.
    assert season_verdict([x, y], links, {})["favourite"]["id"] == 2


def test_an_exact_tie_is_a_split_season_with_no_favourite():
    x, y = view(1, "X", "A X", ["x"], won=True), view(2, "Y", "B Y", ["y"])
    links = [link("One", view(11, "X", "A X", ["x"])), link("Two", view(12, "Y", "B Y", ["y"]))]
    found = season_verdict([x, y], links, {})
    assert found["favourite"] is None
    assert sorted(found["split"]) == [1, 2]
    assert found["against"] is False
    assert season_sentence(found, "no_call") == "The season was split: X had One; Y had Two."


def test_every_body_with_a_call_for_the_winner_is_unanimous():
    x, y = view(1, "X", "A X", ["x"], won=True), view(2, "Y", "B Y", ["y"])
    links = [link(b, view(10 + i, "X", "A X", ["x"])) for i, b in enumerate(("One", "Two"))]
    found = season_verdict([x, y], links, {})
    assert found["favourite"]["strength"] == "unanimous"
    assert [b["verdict"] for b in found["bodies"]] == ["held", "held"]
    assert season_sentence(found, "no_call") == "The season was unanimous for X (One, Two)."


def test_the_bodies_go_by_the_names_readers_know():
    assert [
        body_label(n)
        for n in (
            "Golden Globe Awards",
            "BAFTA Film Awards",
            "Actor Awards",
            "Critics' Choice Awards",
            "Film Independent Spirit Awards",
            "Venice Film Festival",
        )
    ] == ["Globe", "BAFTA", "SAG", "Critics' Choice", "Spirit", "Venice Film Festival"]


def test_before_the_show_the_season_favours_and_names_the_runners_up():
    found = season_verdict(
        [view(1, "The Substance", "Demi Moore", ["m"]), view(2, "Anora", "Mikey Madison", ["a"])],
        [
            link("Golden Globe Awards", view(10, "The Substance", "Demi Moore", ["m"]), day=5),
            link("BAFTA Film Awards", view(11, "Anora"), day=16),
            link("Actor Awards", view(12, "The Substance"), day=23),
        ],
        {},
    )
    assert found["bodies"][0]["verdict"] == "pending"
    # Two of three bodies of equal weight: 2/3 of the weight, a clear favourite.
    assert season_sentence(found, "pending") == (
        "The season favours Moore (Globe, SAG), Madison had BAFTA."
    )


def test_the_grade_is_the_globes_alone_where_only_the_globe_called():
    x, y = view(1, "X", "A X", ["x"]), view(2, "Y", "B Y", ["y"], won=True)
    found = season_verdict([x, y], [link("Golden Globe Awards", view(11, "X", "A X", ["x"]))], {})
    assert season_grade(found) is None
    assert season_sentence(found, "upset") == ""


def test_against_the_globe_only_where_the_season_favoured_the_winner():
    x, y = view(1, "X", "A X", ["x"]), view(2, "Y", "B Y", ["y"], won=True)
    links = [
        link("Golden Globe Awards", view(11, "X", "A X", ["x"])),
        link("BAFTA Film Awards", view(12, "Y", "B Y", ["y"])),
        link("Actor Awards", view(13, "Y", "B Y", ["y"])),
    ]
    found = season_verdict([x, y], links, {})
    assert season_grade(found)["label"] == "Upset against the Globe only"
    assert season_sentence(found, "upset") == (
        "Upset against the Globe; the season favoured Y (BAFTA, SAG)."
    )


# --- the 97th's Best Actress, built through the importer ------------------------------------------


def imported(categories: dict, **fields) -> Ceremony:
    spec = ceremony_spec(ceremony_data(categories, **fields), source="test")
    return services.ceremony_import(spec=spec).ceremony


def season_97() -> Ceremony:
    """The 97th's Best Actress with all five bodies: the Globes with people (as their JSON
    files), the others by film only (as the IMDb files), linked as part A's import links them;
    Madison's win recorded."""
    imported(
        {
            "Best Actress in a Motion Picture – Drama": [
                ("I'm Still Here", "Fernanda Torres", True),
                ("Maria", "Angelina Jolie"),
            ],
            "Best Actress in a Motion Picture – Musical or Comedy": [
                ("The Substance", "Demi Moore", True),
                ("Wicked", "Cynthia Erivo"),
            ],
        },
        ceremony="82nd Golden Globe Awards",
        body="Golden Globe Awards",
        edition=82,
        date="2025-01-05",
        film_year="2024",
    )
    bodies = [
        ("Critics' Choice Awards", 30, "2025-02-07", "Best Actress", "The Substance"),
        ("BAFTA Film Awards", 78, "2025-02-16", "Best Leading Actress", "Anora"),
        ("Film Independent Spirit Awards", 40, "2025-02-22", "Best Lead Performance", "Anora"),
        ("Actor Awards", 31, "2025-02-23", "Female Actor in a Leading Role", "The Substance"),
    ]
    precursors = []
    for body, edition, date, name, winner in bodies:
        films = ["Anora", "The Substance", "Wicked"]
        ceremony = imported(
            {name: [(f, None, True) if f == winner else f for f in films]},
            ceremony=f"{edition}th {body}",
            body=body,
            edition=edition,
            date=date,
            film_year="2024",
        )
        precursors.append((ceremony, name))
    oscars = make_ceremony(
        {ACTRESS: NOMINEES_97},
        ceremony="97th Academy Awards",
        body="Academy Awards",
        edition=97,
        date="2025-03-02",
        film_year="2024",
    )
    for ceremony, name in precursors:
        precursor_link(oscars, ACTRESS, ceremony, name, "people")
    record(oscars, ACTRESS, "Mikey Madison")
    return oscars


def category_of(oscars: Ceremony) -> dict:
    history.cache.clear()
    snap = snapshot(Ceremony.objects.select_related("body").get(pk=oscars.pk))
    return next(c for c in snap["categories"] if c["name"] == ACTRESS)


def test_the_97ths_best_actress_season_counted_by_hand(db):
    cat = category_of(season_97())
    ids = {n["nominee"]: n["id"] for n in cat["nominations"]}
    moore, madison, torres = ids["Demi Moore"], ids["Mikey Madison"], ids["Fernanda Torres"]

    assert cat["season"] == {
        "bodies": [
            ["Globe", [torres, moore], "upset"],
            ["Critics' Choice", [moore], "upset"],
            ["BAFTA", [madison], "held"],
            ["Spirit", [madison], "held"],
            ["SAG", [moore], "upset"],
        ],
        "favourite": moore,
        "won": 3,
        "of": 5,
        "strength": "leaned",
        "against": True,
    }


def test_the_words_and_grade_follow_the_season_while_the_globe_flag_stays(db):
    cat = category_of(season_97())

    assert cat["precursor"]["status"] == "upset"
    assert cat["precursor"]["summary"] == (
        "Upset against the Globe; the season leaned to Moore (Globe, Critics' Choice, SAG), "
        "Madison had BAFTA and Spirit."
    )
    # 0.6 of the season's weight behind Moore: an upset, not a major one.
    assert cat["precursor"]["grade"] == {"level": "upset", "label": "Upset", "rate": 0.6}


def test_the_season_adds_about_200_bytes_to_a_category_with_five_bodies(db):
    cat = category_of(season_97())
    season = cat["season"]
    # Compact JSON as the socket sends it, with nomination ids as long as the real archive's
    # (six digits).
    text = json.dumps({"season": season}, ensure_ascii=False, separators=(",", ":"))
    size = len(text) + sum(6 - len(str(i)) for b in season["bodies"] for i in b[1])
    assert size <= 240
