from ceremony import scoreboard, services
from ceremony.importers.json_file import ceremony_spec
from ceremony.models import Ceremony, Nomination, Person
from tests.support.builders import demo_data, make_ceremony, nomination, record, record_all


def snapshot_of(ceremony: Ceremony) -> dict:
    return scoreboard.snapshot(Ceremony.objects.select_related("body").get(pk=ceremony.pk))


def by_slug(snap: dict) -> dict:
    return {c["slug"]: c for c in snap["categories"]}


def test_97th_against_82nd_globes_flags_exactly_the_four_upsets(live_97, results_97, editor):
    record_all(live_97, results_97, editor=editor)

    snap = snapshot_of(live_97)

    statuses = {c["name"]: c["precursor"]["status"] for c in snap["categories"]}
    assert sorted(n for n, s in statuses.items() if s == "upset") == [
        "Best Actress",
        "Best Director",
        "Best International Feature Film",
        "Best Picture",
    ]
    assert sorted(n for n, s in statuses.items() if s == "held") == [
        "Best Actor",
        "Best Adapted Screenplay",
        "Best Animated Feature",
        "Best Original Song",
        "Best Supporting Actor",
        "Best Supporting Actress",
    ]
    assert all(s == "no_call" for n, s in statuses.items() if s not in ("upset", "held"))
    assert sorted(snap["upsets"]) == [
        "best-actress",
        "best-director",
        "best-international-feature-film",
        "best-picture",
    ]


def test_upset_summary_names_the_globe_winners_and_who_beat_them(live_97, results_97, editor):
    record_all(live_97, results_97, editor=editor)

    actress = by_slug(snapshot_of(live_97))["best-actress"]["precursor"]

    assert actress["summary"] == (
        "Upset: Golden Globe winners Fernanda Torres (I'm Still Here) and Demi Moore "
        "(The Substance) lost to Mikey Madison (Anora)."
    )
    assert [f["label"] for f in actress["favourites"]] == [
        "Fernanda Torres (I'm Still Here)",
        "Demi Moore (The Substance)",
    ]


def test_a_globe_winner_for_another_film_is_no_favourite(live_97):
    # Sebastian Stan won his Globe for A Different Man; his Oscar nomination is for The Apprentice.
    actor = by_slug(snapshot_of(live_97))["best-actor"]["precursor"]

    assert [f["label"] for f in actor["favourites"]] == ["Adrien Brody (The Brutalist)"]
    assert actor["status"] == "pending"


def test_97th_tallies_per_film_and_person(live_97, results_97, editor):
    record_all(live_97, results_97, editor=editor)

    snap = snapshot_of(live_97)

    top = [(t["film"], t["wins"], t["nominations"]) for t in snap["tallies"][:5]]
    assert top == [
        ("Anora", 5, 6),
        ("The Brutalist", 3, 10),
        ("Emilia Pérez", 2, 13),
        ("Wicked", 2, 10),
        ("Dune: Part Two", 2, 5),
    ]
    assert snap["people"][0] == {
        "name": "Sean Baker",
        "slug": "sean-baker",
        "wins": 4,
        "films": [{"slug": "anora-2024", "title": "Anora"}],
    }
    assert snap["progress"] == {"announced": 23, "total": 23}


def test_progress_and_latest_follow_each_announcement(live_97, editor):
    record(live_97, "Best Supporting Actor", "Kieran Culkin", editor=editor)
    record(live_97, "Best Animated Feature", "Flow", editor=editor)

    snap = snapshot_of(live_97)

    assert snap["progress"] == {"announced": 2, "total": 23}
    assert [item["name"] for item in snap["latest"]] == [
        "Best Animated Feature",
        "Best Supporting Actor",
    ]
    assert snap["latest"][1]["winners"] == ["Kieran Culkin (A Real Pain)"]


def test_a_tie_shows_both_winners_and_counts_for_both_films(db):
    ceremony = make_ceremony(
        {
            "Best Actress": [
                ("Funny Girl", "Barbra Streisand"),
                ("The Lion in Winter", "Katharine Hepburn"),
                ("Rachel, Rachel", "Joanne Woodward"),
            ]
        }
    )

    record(ceremony, "Best Actress", "Barbra Streisand", "Katharine Hepburn")

    snap = snapshot_of(ceremony)
    category = snap["categories"][0]
    assert category["tie"] is True
    assert [w["label"] for w in category["winners"]] == [
        "Barbra Streisand (Funny Girl)",
        "Katharine Hepburn (The Lion in Winter)",
    ]
    wins = {t["film"]: t["wins"] for t in snap["tallies"]}
    assert wins == {"Funny Girl": 1, "The Lion in Winter": 1, "Rachel, Rachel": 0}


def test_a_correction_moves_the_win_from_one_film_to_another(live_97, editor):
    record(live_97, "Best Picture", "Emilia Pérez", editor=editor)
    wrong = snapshot_of(live_97)
    assert {t["film"]: t["wins"] for t in wrong["tallies"]}["Emilia Pérez"] == 1

    anora = nomination(live_97, "Best Picture", "Anora")
    services.result_correct(
        category_id=anora.category_id,
        nomination_ids=[anora.pk],
        editor=editor,
        reason="Wrong envelope",
    )

    snap = snapshot_of(live_97)
    wins = {t["film"]: t["wins"] for t in snap["tallies"]}
    assert wins["Emilia Pérez"] == 0
    assert wins["Anora"] == 1
    picture = by_slug(snap)["best-picture"]
    assert picture["corrected_at"] is not None
    assert picture["winners"] == [
        {
            "id": anora.pk,
            "label": "Alex Coco, Samantha Quan and Sean Baker (Anora)",
            "headline": "Anora",
            "credit": "Alex Coco, Samantha Quan and Sean Baker",
        }
    ]
    assert picture["correction"] == {"was": ["Emilia Pérez"], "reason": "Wrong envelope"}
    assert snap["version"] == wrong["version"] + 1


def test_second_import_of_the_same_file_changes_nothing(globes_82):
    before = snapshot_of(globes_82)

    summary = services.ceremony_import(
        spec=ceremony_spec(demo_data("golden-globes-82.json"), source="again")
    )

    assert not summary.changed
    assert snapshot_of(globes_82) == before


def test_honorary_categories_are_shown_but_never_tallied(db):
    ceremony = make_ceremony(
        {"Best Picture": [("Film A",), ("Film B",)], "Honorary Award": [("Film A", "Someone")]}
    )
    ceremony.categories.filter(name="Honorary Award").update(competitive=False)

    record(ceremony, "Best Picture", "Film B")
    record(ceremony, "Honorary Award", "Someone")

    snap = snapshot_of(ceremony)
    assert {t["film"]: (t["wins"], t["nominations"]) for t in snap["tallies"]} == {
        "Film B": (1, 1),
        "Film A": (0, 1),
    }
    assert snap["progress"] == {"announced": 1, "total": 1}
    assert [c["competitive"] for c in snap["categories"]] == [True, False]


def test_snapshot_takes_a_fixed_number_of_queries(
    live_97, results_97, editor, django_assert_max_num_queries
):
    record_all(live_97, results_97, editor=editor)
    ceremony = Ceremony.objects.select_related("body").get(pk=live_97.pk)

    with django_assert_max_num_queries(12):
        scoreboard.snapshot(ceremony)


def test_pending_category_names_its_precursor_favourites(live_97):
    picture = by_slug(snapshot_of(live_97))["best-picture"]["precursor"]

    assert picture["status"] == "pending"
    assert picture["summary"] == "Golden Globe winners: The Brutalist and Emilia Pérez"


def test_every_demo_winner_is_a_nominee(live_97):
    results = demo_data("oscars-97-results.json")
    for row in results["categories"]:
        for n in row["nominees"]:
            assert nomination(live_97, row["name"], n["nominee"] or n["film"])


def test_a_result_withdrawn_then_recorded_anew_says_what_it_was_and_why(live_97, editor):
    first = record(live_97, "Best Director", "Brady Corbet", editor=editor)
    services.result_withdraw(category_id=first.pk, editor=editor, reason="Misread the card")
    record(live_97, "Best Director", "Sean Baker", editor=editor)

    snap = snapshot_of(live_97)

    director = by_slug(snap)["best-director"]
    assert director["announced_at"] == first.announced_at.isoformat()
    assert director["correction"] == {"was": ["Brady Corbet"], "reason": "Misread the card"}
    assert snap["latest"][0]["corrected_at"] == director["corrected_at"]


def test_a_held_tie_names_only_the_winner_who_won_the_globe(live_97, results_97, editor):
    record_all(live_97, results_97, editor=editor)

    actor = by_slug(snapshot_of(live_97))["best-actor"]["precursor"]

    assert actor["summary"] == ("As the Golden Globes predicted: Adrien Brody (The Brutalist) won.")
    assert actor["lost"] == []


def test_film_level_winners_lead_with_the_film(live_97, editor):
    record(live_97, "Best Picture", "Anora", editor=editor)
    record(live_97, "Best Director", "Sean Baker", editor=editor)

    rows = by_slug(snapshot_of(live_97))

    assert rows["best-picture"]["winners"][0]["headline"] == "Anora"
    assert rows["best-director"]["winners"][0]["headline"] == "Sean Baker"
    assert rows["best-director"]["winners"][0]["credit"] == "Anora"


# --- what a reader is told: one name per person, the order of wins by person, ties, casing ------


def test_a_card_spells_each_person_as_wins_by_person_does(db):
    ceremony = make_ceremony(
        {"Best Animated Feature": [("Flow", "Matiss Kaža, Ron Dyens and Gints Zilbalodis")]}
    )
    # The canonical spelling, as an editor or another source left it.
    Person.objects.filter(name="Matiss Kaža").update(name="Matīss Kaža")
    record(ceremony, "Best Animated Feature", "Flow")

    snap = snapshot_of(ceremony)

    card = snap["categories"][0]
    assert card["nominations"][0]["nominee"] == "Matīss Kaža, Ron Dyens and Gints Zilbalodis"
    assert card["winners"][0]["credit"] == "Matīss Kaža, Ron Dyens and Gints Zilbalodis"
    assert "Matīss Kaža" in [p["name"] for p in snap["people"]]


def test_wins_by_person_leads_with_acting_and_directing_then_by_wins(db):
    ceremony = make_ceremony(
        {
            "Best Animated Feature": [("Flow", "Gints Zilbalodis and Ron Dyens"), ("Other",)],
            "Best Animated Short": [("Flow", "Gints Zilbalodis and Ron Dyens"), ("Short",)],
            "Best Actress": [("Anora", "Mikey Madison"), ("Wicked", "Cynthia Erivo")],
            "Best Director": [("Anora", "Sean Baker"), ("Wicked", "Jon M. Chu")],
        }
    )
    record(ceremony, "Best Animated Feature", "Flow")
    record(ceremony, "Best Animated Short", "Flow")
    record(ceremony, "Best Actress", "Mikey Madison")
    record(ceremony, "Best Director", "Sean Baker")

    people = [(p["name"], p["wins"]) for p in snapshot_of(ceremony)["people"]]

    assert people == [
        ("Mikey Madison", 1),
        ("Sean Baker", 1),
        ("Gints Zilbalodis", 2),
        ("Ron Dyens", 2),
    ]


def test_a_tie_in_latest_keeps_each_team_whole(db, client):
    ceremony = make_ceremony(
        {"Best Song": [("One", "A, B and C"), ("Two", "D, E and F"), ("Three", "G")]}
    )
    record(ceremony, "Best Song", "A, B and C", "D, E and F")

    page = client.get(ceremony.get_absolute_url()).content.decode()

    latest = page[page.index('id="latest"') :].split("</ol>")[0]
    assert "A, B and C; D, E and F" in latest
    assert "A, B and C and D" not in page


def test_source_casing_is_shown_as_the_bodys_own(db, client):
    ceremony = make_ceremony(
        {"Best Performance By An Actress In A Motion Picture - Drama": [("Film", "Someone")]}
    )
    Nomination.objects.filter(category__ceremony=ceremony).update(
        note="THIS IS NOT AN OFFICIAL NOMINATION"
    )
    person = Person.objects.get(name="Someone")

    snap = snapshot_of(ceremony)

    name = "Best Performance by an Actress in a Motion Picture – Drama"
    assert snap["categories"][0]["name"] == name
    assert snap["categories"][0]["nominations"][0]["note"] == "This is not an official nomination"
    for url in (ceremony.get_absolute_url(), person.get_absolute_url()):
        page = client.get(url).content.decode()
        assert name in page, url
        assert "This is not an official nomination" in page, url
        assert "NOT AN OFFICIAL" not in page, url
