import csv

import pytest

from ceremony.importers import globes_csv
from ceremony.models import AwardBody, Ceremony, Nomination, PrecursorLink
from ceremony.text import name_key
from tests.support.archive import GLOBES_CSV, OSCARS_CSV, imported, require, run
from tests.support.environment import SHARED_DATA


def globe_rows() -> list[dict]:
    with GLOBES_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def is_film(row: dict) -> bool:
    return not any(w in row["category"] for w in ("Television", "Series", "Carol Burnett"))


def split_score_rows(rows: list[dict]) -> int:
    """Score rows repeating another row's ceremony, film and result: one nomination shared by
    its composers, split over two rows in the file (the 58th's Gladiator)."""
    seen, repeats = set(), 0
    for r in rows:
        if "Score" in r["category"] and r["title"].strip():
            key = (r["ceremony"], r["category"], r["title"].strip(), r["win"])
            repeats += key in seen
            seen.add(key)
    return repeats


def test_globe_titles_are_put_back_in_order():
    assert globes_csv.globe_title("Two Popes, The") == "The Two Popes"
    assert globes_csv.globe_title("Officer and a Gentleman, An") == "An Officer and a Gentleman"
    assert globes_csv.globe_title("Cyrano de Bergerac (1950)") == "Cyrano de Bergerac"
    assert globes_csv.globe_title("Yesterday, Today and Tomorrow") == (
        "Yesterday, Today and Tomorrow"
    )


def test_a_malformed_globe_row_is_reported_with_its_line_number(db, tmp_path):
    path = tmp_path / "globes.csv"
    path.write_text(
        "year_film,year_award,ceremony,category,nominee,title,win\n"
        "2019,2020,77,Best Director - Motion Picture,Sam Mendes,1917,TRUE\n"
        "2019,2020,seventy,Best Director - Motion Picture,Bong Joon Ho,Parasite,FALSE\n"
        "2019,2020,77,Best Television Series - Drama,Succession,,TRUE\n",
        encoding="utf-8",
    )

    output = run("import_globes", path)

    assert "line 3: ceremony 'seventy' is not a number; skipped" in output
    assert "1 imported" in output
    assert "1 not nominations (or out of scope)" in output
    ceremony = Ceremony.objects.get()
    assert (ceremony.name, ceremony.slug) == (
        "77th Golden Globe Awards",
        "77th-golden-globe-awards",
    )


def test_several_files_are_imported_then_the_forecast_fitted_once(db, tmp_path):
    path = tmp_path / "globes.csv"
    path.write_text(
        "year_film,year_award,ceremony,category,nominee,title,win\n"
        "2019,2020,77,Best Director - Motion Picture,Sam Mendes,1917,TRUE\n",
        encoding="utf-8",
    )
    files = [require(SHARED_DATA / f"golden-globes-{n}.json") for n in (81, 82)]

    output = run("import_globes", path, *files)

    assert Ceremony.objects.count() == 3
    # A fit reads the whole archive: once for the command, after its last file.
    assert output.count("Forecast: ") == 1
    assert output.index("Forecast: ") > output.index("82nd Golden Globe Awards: created")


@pytest.fixture(scope="class")
def globes_and_oscars(django_db_setup, django_db_blocker):
    require(GLOBES_CSV)
    require(OSCARS_CSV)
    with imported(
        django_db_blocker,
        ("import_oscars", OSCARS_CSV, "--ceremony", "92", "--ceremony", "41"),
        ("import_globes", GLOBES_CSV, SHARED_DATA / "golden-globes-82.json"),
    ) as outputs:
        yield outputs


@pytest.mark.usefixtures("globes_and_oscars")
class TestGlobesFile:
    def test_counts_equal_those_computed_from_the_file(self, db):
        rows = [r for r in globe_rows() if is_film(r)]
        globes = Nomination.objects.filter(category__ceremony__body__name="Golden Globe Awards")
        from_csv = globes.filter(category__ceremony__edition__lte=77)

        assert Ceremony.objects.filter(
            body__name="Golden Globe Awards", edition__lte=77
        ).count() == len({r["ceremony"] for r in rows})
        merged = split_score_rows(rows)
        assert merged == 1
        assert from_csv.count() == len(rows) - merged
        assert from_csv.won().count() == sum(r["win"] == "TRUE" for r in rows) - merged
        assert from_csv.exclude(category__competitive=True).count() == sum(
            r["category"] in globes_csv.GLOBE_NON_COMPETITIVE for r in rows
        )

    def test_a_second_import_leaves_the_final_ceremonies_alone(self, db):
        versions = dict(Ceremony.objects.values_list("pk", "version"))

        output = run("import_globes", GLOBES_CSV)

        held = Ceremony.objects.filter(body__name="Golden Globe Awards", edition__lte=77).held()
        assert f"{held.count()} left alone" in output
        assert dict(Ceremony.objects.values_list("pk", "version")) == versions

    def test_a_second_forced_import_changes_nothing(self, db):
        versions = dict(Ceremony.objects.values_list("pk", "version"))

        output = run("import_globes", GLOBES_CSV, "--force")

        rows = [r for r in globe_rows() if is_film(r)]
        assert "0 imported" in output
        assert f"{len(rows) - split_score_rows(rows)} unchanged" in output
        assert dict(Ceremony.objects.values_list("pk", "version")) == versions

    def test_each_globe_ceremony_precedes_the_oscars_of_its_film_year(self, db):
        oscars_92 = Ceremony.objects.get(body__name="Academy Awards", edition=92)

        links = PrecursorLink.objects.filter(category__ceremony=oscars_92)

        assert {link.precursor.ceremony.name for link in links} == {"77th Golden Globe Awards"}
        picture = links.filter(category__name="Best Picture")
        assert {link.precursor.name for link in picture} == {
            "Best Motion Picture - Drama",
            "Best Motion Picture - Musical or Comedy",
        }

    def test_the_92nd_best_picture_was_an_upset_against_the_globes(self, db, client):
        snap = client.get("/api/ceremonies/92nd-academy-awards/").json()

        picture = next(c for c in snap["categories"] if c["name"] == "Best Picture")

        assert picture["precursor"]["status"] == "upset"
        assert {name_key(f["label"]) for f in picture["precursor"]["favourites"]} == {
            "1917",
            "once upon a time in hollywood",
        }

    def test_a_globe_and_an_oscar_of_one_film_share_the_film_page(self, db, client):
        page = client.get("/films/parasite-2019/")

        text = page.content.decode()
        assert page.status_code == 200
        assert "77th Golden Globe Awards" in text
        assert "92nd Academy Awards" in text

    def test_later_globes_come_from_the_json_files(self, db):
        assert Ceremony.objects.filter(
            body=AwardBody.objects.get(name="Golden Globe Awards"), edition=82
        ).exists()
