"""import_awards on real rows: each body's categories linked to the Oscar categories they precede
(five per body, checked by hand against the file rows written here), performers joined through
the Oscar nominations, "cannot tell" where two nominees share a film, the BAFTA before 2001 no
precursor, one line for bad input, and a second run changing nothing."""

import pytest
from django.core.management.base import CommandError

from ceremony.models import AwardBody, Ceremony, Nomination, PrecursorLink
from tests.support.archive import OSCARS_CSV, imported, require, run
from tests.support.awards import awards_years

# Hand-checked rows of the 2025 files (the 97th's season); ids -> titles from oscars.csv.
ANORA, SUBSTANCE, CONCLAVE = "tt28607951", "tt17526714", "tt20215234"
BRUTALIST, REAL_PAIN, UNKNOWN = "tt8999762", "tt21823606", "tt11563598"
EMILIA = "tt20221436"
# (body, body category as in the file, Oscar category, the file's winner, the person joined
# through the 97th's nomination of that film in that category, or "" for a film category).
ROWS = [
    # bafta.yml '2025' > bafta film award > best film: winner [tt20215234] (Conclave)
    ("BAFTA Film Awards", "Best Film", "Best Picture", CONCLAVE, ""),
    # > best director: nominee [tt15239678, tt17526714, tt20215234, tt20221436, tt28607951,
    #   tt8999762], winner [tt8999762] (The Brutalist: Brady Corbet)
    ("BAFTA Film Awards", "Best Director", "Best Director", BRUTALIST, "Brady Corbet"),
    # > best leading actress: winner [tt28607951] (Anora: Mikey Madison)
    ("BAFTA Film Awards", "Best Leading Actress", "Best Actress", ANORA, "Mikey Madison"),
    # > best supporting actor: winner [tt21823606] (A Real Pain: Kieran Culkin)
    (
        "BAFTA Film Awards",
        "Best Supporting Actor",
        "Best Supporting Actor",
        REAL_PAIN,
        "Kieran Culkin",
    ),
    # > best film not in the english language: winner [tt20221436] (Emilia Pérez)
    (
        "BAFTA Film Awards",
        "Best Film not in the English Language",
        "Best International Feature Film",
        EMILIA,
        "",
    ),
    # actor-awards.yml '2025' > actor > outstanding performance by a cast in a motion picture:
    #   winner [tt20215234] (Conclave)
    (
        "Actor Awards",
        "Outstanding Performance by a Cast in a Motion Picture",
        "Best Picture",
        CONCLAVE,
        "",
    ),
    # > outstanding performance by a female actor in a leading role: nominee [tt1262426,
    #   tt17526714, tt20221436, tt28607951, tt31193791], winner [tt17526714] (Demi Moore)
    (
        "Actor Awards",
        "Outstanding Performance by a Female Actor in a Leading Role",
        "Best Actress",
        SUBSTANCE,
        "Demi Moore",
    ),
    # > ... male actor in a leading role: winner [tt11563598] (A Complete Unknown: Chalamet)
    (
        "Actor Awards",
        "Outstanding Performance by a Male Actor in a Leading Role",
        "Best Actor",
        UNKNOWN,
        "Timothée Chalamet",
    ),
    # > ... female actor in a supporting role: winner [tt20221436] (Zoe Saldaña)
    (
        "Actor Awards",
        "Outstanding Performance by a Female Actor in a Supporting Role",
        "Best Supporting Actress",
        EMILIA,
        "Zoe Saldaña",
    ),
    # > ... male actor in a supporting role: winner [tt21823606] (Kieran Culkin)
    (
        "Actor Awards",
        "Outstanding Performance by a Male Actor in a Supporting Role",
        "Best Supporting Actor",
        REAL_PAIN,
        "Kieran Culkin",
    ),
    # critics-choice.yml '2025' > critics choice award > best picture: winner [tt28607951]
    ("Critics' Choice Awards", "Best Picture", "Best Picture", ANORA, ""),
    # > best actress: winner [tt17526714] (Demi Moore)
    ("Critics' Choice Awards", "Best Actress", "Best Actress", SUBSTANCE, "Demi Moore"),
    # > best director: winner [tt1262426] (Wicked: Jon M. Chu, not nominated for the Oscar)
    ("Critics' Choice Awards", "Best Director", "Best Director", "tt1262426", ""),
    # > best supporting actor: winner [tt21823606] (Kieran Culkin)
    (
        "Critics' Choice Awards",
        "Best Supporting Actor",
        "Best Supporting Actor",
        REAL_PAIN,
        "Kieran Culkin",
    ),
    # > best original screenplay: winner [tt17526714] (The Substance: Coralie Fargeat)
    (
        "Critics' Choice Awards",
        "Best Original Screenplay",
        "Best Original Screenplay",
        SUBSTANCE,
        "Coralie Fargeat",
    ),
    # spirit-awards.yml '2025' > independent spirit award > best feature: winner [tt28607951]
    ("Film Independent Spirit Awards", "Best Feature", "Best Picture", ANORA, ""),
    # > best lead performance (no longer split by gender): winner [tt28607951] (Mikey Madison)
    (
        "Film Independent Spirit Awards",
        "Best Lead Performance",
        "Best Actress",
        ANORA,
        "Mikey Madison",
    ),
    (
        "Film Independent Spirit Awards",
        "Best Lead Performance",
        "Best Actor",
        ANORA,
        "Mikey Madison",
    ),
    # > best supporting performance: winner [tt21823606] (Kieran Culkin)
    (
        "Film Independent Spirit Awards",
        "Best Supporting Performance",
        "Best Supporting Actor",
        REAL_PAIN,
        "Kieran Culkin",
    ),
    # > best director: winner [tt28607951] (Anora: Sean Baker)
    ("Film Independent Spirit Awards", "Best Director", "Best Director", ANORA, "Sean Baker"),
]


@pytest.fixture(scope="class")
def season(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("awards")
    files = [
        awards_years(folder, "bafta", "2000", "2001", "2025"),
        awards_years(folder, "actor-awards", "2020", "2025"),
        awards_years(folder, "critics-choice", "2025"),
        awards_years(folder, "spirit-awards", "2025"),
    ]
    oscars = ["--ceremony", "72", "--ceremony", "73", "--ceremony", "92", "--ceremony", "97"]
    with imported(
        django_db_blocker,
        # The awards first: the Oscars' import joins the performers, whichever comes first.
        ("import_awards", *files),
        ("import_oscars", require(OSCARS_CSV), *oscars),
        ("import_awards", *files),
    ) as outputs:
        yield outputs


def _oscars(edition: int) -> Ceremony:
    return Ceremony.objects.get(body__name="Academy Awards", edition=edition)


@pytest.mark.usefixtures("season")
@pytest.mark.django_db
class TestSeason:
    @pytest.mark.parametrize(("body", "category", "oscar", "winner", "person"), ROWS)
    def test_a_body_category_precedes_its_oscar_category_and_names_its_winner(
        self, body, category, oscar, winner, person
    ):
        link = PrecursorLink.objects.select_related("precursor__ceremony__body").get(
            category__ceremony=_oscars(97),
            category__name=oscar,
            precursor__ceremony__body__name=body,
        )
        assert link.precursor.name == category
        won = link.precursor.nominations.get(won=True)
        assert [f.imdb_id for f in won.films.all()] == [winner]
        assert [p.name for p in won.people.all()] == ([person] if person else [])

    def test_the_bodies_ceremonies_are_known_by_film_only_with_the_year_only(self):
        bafta = Ceremony.objects.get(body__name="BAFTA Film Awards", edition=78)
        assert bafta.film_only
        assert not bafta.date_exact
        assert (bafta.date.year, bafta.film_year) == (2025, "2024")
        assert AwardBody.objects.get(name="Actor Awards").short_name == "SAG"

    def test_a_bodys_ceremony_has_its_archive_page_marked_known_by_film_only(self, client):
        bafta = Ceremony.objects.get(body__name="BAFTA Film Awards", edition=78)
        page = client.get(bafta.get_absolute_url())
        assert page.status_code == 200
        text = page.content.decode()
        assert "known by film only" in text
        assert "Conclave" in text

    def test_a_film_without_an_oscar_nomination_keeps_its_id_as_title(self):
        # actor-awards.yml '2025' > male actor in a leading role: tt24176060 (Daniel Craig's
        # Queer) had no Oscar nomination: film only, no person, not "cannot tell".
        row = Nomination.objects.get(
            category__ceremony__body__name="Actor Awards",
            category__ceremony__edition=31,
            category__name="Outstanding Performance by a Male Actor in a Leading Role",
            films__imdb_id="tt24176060",
        )
        assert row.film_title == "tt24176060"
        assert not row.people.exists()
        assert not row.performer_unknown

    def test_two_oscar_nominees_of_one_film_cannot_be_told(self):
        # actor-awards.yml '2020' > male actor in a supporting role: nominee [.., tt1302006 ..]
        # (The Irishman); the 92nd's Supporting Actor has Al Pacino and Joe Pesci for it.
        row = Nomination.objects.get(
            category__ceremony__body__name="Actor Awards",
            category__ceremony__edition=26,
            category__name="Outstanding Performance by a Male Actor in a Supporting Role",
            films__imdb_id="tt1302006",
        )
        assert row.performer_unknown
        assert not row.people.exists()

    def test_the_bafta_before_2001_came_after_the_oscars_and_precedes_nothing(self):
        links = PrecursorLink.objects.filter(precursor__ceremony__body__name="BAFTA Film Awards")
        assert not links.filter(category__ceremony=_oscars(72)).exists()
        assert links.filter(category__ceremony=_oscars(73)).exists()

    def test_importing_again_changes_nothing(self, season):
        first, _, again = season
        assert "0 created, 0 updated" in again
        assert "created" in first

    def test_every_file_is_checked_before_anything_is_written(self, tmp_path):
        good = awards_years(tmp_path, "spirit-awards", "2024")
        bad = tmp_path / "bad.yml"
        bad.write_text(
            "# BAFTA Awards\n'2024': # https://www.imdb.com/event/ev0000123/2024/1/\n"
            "  bafta film award:\n    best film:\n      nominee: [tt0000001]\n"
            "      winner: [tt1234567]\n",
            encoding="utf-8",
        )
        before = Ceremony.objects.count()
        with pytest.raises(CommandError) as raised:
            run("import_awards", good, bad)
        message = str(raised.value)
        assert "\n" not in message
        assert str(bad) in message
        assert "at 2024 > bafta film award > best film: " in message
        assert "winner tt1234567 is not among the nominees" in message
        assert Ceremony.objects.count() == before


@pytest.mark.django_db
def test_the_globes_file_writes_only_the_years_no_other_file_covers(tmp_path):
    # golden-globes.yml is a second source for 1944-2025 (the CSV and the JSON files); a later
    # season's file is the only source of that season: its '2026' (here the 2025 rows under the
    # next year's key) becomes the 83rd Golden Globe Awards, known by film only, linked to the
    # Oscars of the same season (the 98th, films of 2025).
    source = awards_years(tmp_path, "golden-globes", "2025")
    text = (
        source.read_text(encoding="utf-8")
        .replace("'2025':", "'2026':")
        .replace("/2025/1/", "/2026/1/")
    )
    source.write_text(text, encoding="utf-8")
    run("import_oscars", require(OSCARS_CSV), "--ceremony", "98")
    out = run("import_awards", source)
    globes = Ceremony.objects.get(body__name="Golden Globe Awards", edition=83)
    assert globes.film_only
    assert globes.name == "83rd Golden Globe Awards"
    assert "0 of 0 ceremonies compared" in out
    oscars = Ceremony.objects.get(body__name="Academy Awards", edition=98)
    drama = PrecursorLink.objects.get(
        category__ceremony=oscars,
        category__canonical_name="BEST PICTURE",
        precursor__name="Best Motion Picture - Drama",
    )
    assert drama.precursor.ceremony == globes
