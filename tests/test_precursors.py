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

from ceremony import history, scoreboard, services
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


def season_97(result: bool = True) -> Ceremony:
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
    if result:
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


# --- a season before it: each body's record weighs its call ---------------------------------------


def season_96() -> Ceremony:
    """The 96th's Best Actress, finished: the Globe Drama winner Lily Gladstone lost to Emma
    Stone, who had the BAFTA and the Critics' Choice (by film, as the IMDb files give them)."""
    imported(
        {
            "Best Actress in a Motion Picture – Drama": [
                ("Killers of the Flower Moon", "Lily Gladstone", True)
            ]
        },
        ceremony="81st Golden Globe Awards",
        body="Golden Globe Awards",
        edition=81,
        date="2024-01-07",
        film_year="2023",
    )
    precursors = [
        imported(
            {
                name: [
                    (f, None, True) if f == "Poor Things" else f for f in ("Poor Things", "Maestro")
                ]
            },
            ceremony=f"{edition}th {body}",
            body=body,
            edition=edition,
            date=date,
            film_year="2023",
        )
        for body, edition, date, name in (
            ("Critics' Choice Awards", 29, "2024-01-14", "Best Actress"),
            ("BAFTA Film Awards", 77, "2024-02-18", "Best Leading Actress"),
        )
    ]
    oscars = imported(
        {
            ACTRESS: [
                ("Nyad", "Annette Bening"),
                ("Killers of the Flower Moon", "Lily Gladstone"),
                ("Anatomy of a Fall", "Sandra Hüller"),
                ("Maestro", "Carey Mulligan"),
                ("Poor Things", "Emma Stone", True),
            ]
        },
        ceremony="96th Academy Awards",
        body="Academy Awards",
        edition=96,
        date="2024-03-10",
        film_year="2023",
    )
    for ceremony in precursors:
        precursor_link(oscars, ACTRESS, ceremony, ceremony.categories.get().name, "people")
    return oscars


def test_each_body_keeps_its_own_track_record_in_the_category(db):
    season_96()
    history.cache.clear()
    past = history.current()
    key = history.track_key(ACTRESS)

    assert past.track(key)["won"] == 0  # the Globes': Gladstone lost
    assert (past.track(key)["of"], past.track(key, body="BAFTA Film Awards")["won"]) == (1, 1)
    assert past.track(key, body="Critics' Choice Awards")["of"] == 1
    assert past.track(key, body="Actor Awards") is None
    # Stone had two of three bodies and won: the season's favourite was right once.
    assert past.consensus_baseline()["won"] == 1
    assert past.consensus_baseline()["of"] == 1
    assert past.baseline(body="BAFTA Film Awards")["won"] == 1


def test_the_97ths_consensus_weighs_each_body_by_its_record_before_it(db):
    season_96()
    cat = category_of(season_97())
    # Weights (held + 1) / (counted + 2): Globe 1/3, Critics' Choice 2/3, BAFTA 2/3, Spirit and
    # SAG (no record) 1/2. Moore 1/3 + 2/3 + 1/2 = 1.5; Madison 2/3 + 1/2 = 7/6; of 8/3 in all:
    # Moore 0.5625, still the favourite, and the season leaned to her.
    assert (cat["season"]["won"], cat["season"]["of"]) == (3, 5)
    assert cat["season"]["strength"] == "leaned"
    assert cat["precursor"]["grade"] == {"level": "upset", "label": "Upset", "rate": 0.56}


def test_the_desk_suggests_the_seasons_favourite_with_its_count(db):
    oscars = season_97()
    snap = snapshot(Ceremony.objects.select_related("body").get(pk=oscars.pk))
    cat = next(c for c in snap["categories"] if c["name"] == ACTRESS)
    ids = {n["nominee"]: n["id"] for n in cat["nominations"]}

    assert scoreboard.note_suggestion(snap, cat["slug"], ids["Demi Moore"]).startswith(
        "The season's favourite (3 of 5)."
    )
    assert scoreboard.note_suggestion(snap, cat["slug"], ids["Mikey Madison"]).startswith(
        "Against the season's favourite (3 of 5)."
    )


def test_the_desk_shows_each_categorys_season_before_the_show(db, admin_client):
    oscars = season_97(result=False)
    page = admin_client.get(f"/admin/ceremony/ceremony/{oscars.pk}/desk/").content.decode()
    assert (
        'class="desk-season desk-meta">The season leans to Moore (Globe, Critics\' Choice, SAG), '
        "Madison had BAFTA and Spirit, Torres had Globe.</p>"
    ) in page.replace("&#x27;", "'")


def test_a_ceremony_with_nothing_before_it_says_there_is_nothing_to_compare_with(db, client):
    oscars = imported(
        {ACTRESS: [("Anora", "Mikey Madison", True), ("Wicked", "Cynthia Erivo")]},
        ceremony="97th Academy Awards",
        body="Academy Awards",
        edition=97,
        date="2025-03-02",
    )
    page = client.get(f"/ceremonies/{oscars.slug}/").content.decode()
    assert "nothing to compare with" in page
    assert "every Golden Globe winner" not in page
    assert "every Globe winner" not in page


def test_the_upsets_page_ranks_by_the_season_and_the_season_view_shows_every_body(db, client):
    season_97()
    history.cache.clear()
    oscars = Ceremony.objects.get(slug="97th-academy-awards")
    services.ceremony_set_status(ceremony_id=oscars.pk, status="final", editor=None)

    upsets = client.get("/upsets/?rank=season").content.decode().replace("&#x27;", "'")
    assert (
        "won against the season's favourite, Demi Moore (The Substance) "
        "(3 of 5: Globe, Critics' Choice, SAG)" in upsets
    )
    assert "Globe: Fernanda Torres (I'm Still Here) / Demi Moore (The Substance) (lost)" in upsets
    assert "BAFTA: Mikey Madison (Anora) (won)" in upsets
    season = client.get("/seasons/2025/").content.decode().replace("&#x27;", "'")
    assert "Against the season" in season
    assert "Spirit: Mikey Madison (Anora) (won)" in season
    assert "the last 20 seasons counted" in client.get("/upsets/").content.decode()
