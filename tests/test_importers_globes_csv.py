"""The golden_globe_awards.csv parser: the file in, one CeremonySpec per ceremony out; television
left out, malformed rows reported and skipped. No database. Real rows are read from
../shared/data (skipped without it)."""

import csv
import datetime as dt

import pytest

from ceremony.importers.globes_csv import globe_title, read_globes, song_credit
from ceremony.importers.spec import ImportProblem
from tests.support.archive import GLOBES_CSV, require

HEADER = "year_film,year_award,ceremony,category,nominee,title,win"
DIRECTOR = "2019,2020,77,Best Director - Motion Picture,Sam Mendes,1917,TRUE"


def write(tmp_path, *rows: str, header: str = HEADER):
    path = tmp_path / "globes.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def globes():
    return read_globes(require(GLOBES_CSV))


@pytest.fixture(scope="module")
def by_line(globes):
    """Each nomination of the real file by its line ("line 3634")."""
    return {
        n.place: (s, c, n) for s in globes.ceremonies for c in s.categories for n in c.nominations
    }


def category(result, edition: int, name: str):
    ceremony = next(c for c in result.ceremonies if c.edition == edition)
    return next(c for c in ceremony.categories if c.name == name)


# Small files: the rules.


def test_a_row_becomes_a_ceremony_named_and_dated_from_the_award_year(tmp_path):
    result = read_globes(write(tmp_path, DIRECTOR))

    [ceremony] = result.ceremonies
    assert (ceremony.body, ceremony.edition, ceremony.name) == (
        "Golden Globe Awards",
        77,
        "77th Golden Globe Awards",
    )
    assert (ceremony.date, ceremony.date_exact, ceremony.film_year) == (
        dt.date(2020, 1, 20),
        False,
        "2019",
    )
    assert not ceremony.curated
    [nomination] = ceremony.categories[0].nominations
    assert (nomination.nominee, nomination.won, nomination.place) == ("Sam Mendes", True, "line 2")
    assert [p.name for p in nomination.people] == ["Sam Mendes"]
    assert [f.title for f in nomination.films] == ["1917"]


def test_television_is_out_of_scope(tmp_path):
    result = read_globes(
        write(tmp_path, DIRECTOR, "2019,2020,77,Best Television Series - Drama,Succession,,TRUE")
    )

    assert (result.rows, result.ignored, len(result.ceremonies[0].categories)) == (2, 1, 1)


def test_in_picture_categories_the_nominee_column_is_the_film(tmp_path):
    result = read_globes(
        write(
            tmp_path,
            "2019,2020,77,Best Motion Picture - Drama,1917,,TRUE",
            "2019,2020,77,Best Motion Picture - Foreign Language,Parasite,South Korea,TRUE",
        )
    )

    drama, foreign = result.ceremonies[0].categories
    assert [f.title for f in drama.nominations[0].films] == ["1917"]
    assert drama.nominations[0].people == []
    assert foreign.nominations[0].nominee == "South Korea"
    assert foreign.nominations[0].people == []


def test_globe_titles_are_put_back_in_order_without_their_year():
    assert globe_title("Two Popes, The") == "The Two Popes"
    assert globe_title("Officer and a Gentleman, An") == "An Officer and a Gentleman"
    assert globe_title("Cyrano de Bergerac (1950)") == "Cyrano de Bergerac"
    assert globe_title("Inherit the Wind - 1960") == "Inherit the Wind"
    assert globe_title("Star Is Born, A (1976)") == "A Star Is Born"
    assert globe_title("Manchurian Candidate (2004), The") == "The Manchurian Candidate"
    assert globe_title("Fugitive, The (TV)") == "The Fugitive (TV)"
    assert globe_title("Yesterday, Today and Tomorrow") == "Yesterday, Today and Tomorrow"
    assert globe_title("Russians Are Coming, The Russians Are Coming, The") == (
        "The Russians Are Coming, The Russians Are Coming"
    )


def test_bidi_controls_are_removed_and_tabs_and_double_spaces_collapsed(tmp_path):
    result = read_globes(
        write(
            tmp_path, '2019,2020,77,Best Director - Motion Picture,Sam\u202e  Mendes,"1917 \t",TRUE'
        )
    )

    [nomination] = result.ceremonies[0].categories[0].nominations
    assert nomination.people[0].name == "Sam Mendes"
    assert nomination.films[0].title == "1917"


def test_a_suffix_stays_with_its_name(tmp_path):
    result = read_globes(
        write(
            tmp_path,
            '1999,2000,57,Best Director - Motion Picture,"Sam Mendes, Jr., Ann Roth",x,TRUE',
        )
    )

    [nomination] = result.ceremonies[0].categories[0].nominations
    assert [p.name for p in nomination.people] == ["Sam Mendes, Jr.", "Ann Roth"]


def test_song_titles_end_where_the_evidence_says():
    def credited(part: str) -> bool:
        return part in {"Lionel Richie", "Sammy Cahn"}

    def looks_like_name(part: str) -> bool:
        return part.split()[0] in {"Lionel", "Sammy", "Roy"}

    assert song_credit('"Hold Me, Thrill Me", U2', "Batman Forever") == (
        "Hold Me, Thrill Me",
        ["U2"],
    )
    assert song_credit("Stay (Faraway, So Close!), U2", "x") == (
        "Stay (Faraway, So Close!)",
        ["U2"],
    )
    assert song_credit("New York, New York, John Kander, Fred Ebb", "New York, New York") == (
        "New York, New York",
        ["John Kander", "Fred Ebb"],
    )
    assert song_credit("Way We Were, The, Marvin Hamlisch", "x") == (
        "The Way We Were",
        ["Marvin Hamlisch"],
    )
    # A part credited nowhere else, followed by names credited elsewhere, is the title's.
    assert song_credit("Say You, Say Me, Lionel Richie", "x", credited, looks_like_name) == (
        "Say You, Say Me",
        ["Lionel Richie"],
    )
    # A writer credited nowhere else still looks like a name: the title is not extended.
    assert song_credit(
        "My Little Friend, Roy Budd, Sammy Cahn", "x", credited, looks_like_name
    ) == (
        "My Little Friend",
        ["Roy Budd", "Sammy Cahn"],
    )
    # Without evidence about names, the title ends at the first comma.
    assert song_credit("Say You, Say Me, Lionel Richie", "x") == (
        "Say You",
        ["Say Me", "Lionel Richie"],
    )
    assert song_credit("Revelation", "Boy Erased") == ("Revelation", [])


def test_split_score_rows_of_one_film_are_one_nomination(tmp_path):
    score = "2000,2001,58,Best Original Score - Motion Picture"
    result = read_globes(
        write(
            tmp_path,
            f"{score},Lisa Gerrard,Gladiator,TRUE",
            f"{score},Hans Zimmer,Gladiator,TRUE",
            f"{score},Ennio Morricone,Malena,FALSE",
        )
    )

    [category] = result.ceremonies[0].categories
    assert [(n.nominee, n.won) for n in category.nominations] == [
        ("Lisa Gerrard, Hans Zimmer", True),
        ("Ennio Morricone", False),
    ]
    assert [p.name for p in category.nominations[0].people] == ["Lisa Gerrard", "Hans Zimmer"]
    assert category.nominations[0].place == "line 2, 3"
    assert not category.tie


def test_two_winners_among_nominees_are_a_tie(tmp_path):
    actress = "1988,1989,46,Best Performance by an Actress in a Motion Picture - Drama"
    result = read_globes(
        write(
            tmp_path,
            f"{actress},Jodie Foster,Accused,TRUE",
            f"{actress},Shirley MacLaine,Madame Sousatzka,TRUE",
            f"{actress},Meryl Streep,A Cry in the Dark,FALSE",
        )
    )

    assert result.ceremonies[0].categories[0].tie


def test_an_award_everyone_won_is_not_a_tie(tmp_path):
    result = read_globes(
        write(
            tmp_path,
            "1948,1949,6,Picture,Johnny Belinda,,TRUE",
            "1948,1949,6,Picture,The Treasure of the Sierra Madre,,TRUE",
        )
    )

    assert not result.ceremonies[0].categories[0].tie


def test_new_stars_and_early_foreign_films_are_several_winners_by_design(tmp_path):
    star = "1960,1961,18,New Star Of The Year - Actress"
    foreign = "1960,1961,18,Foreign Film - Foreign Language"
    result = read_globes(
        write(
            tmp_path,
            f"{star},Ina Balin,x,TRUE",
            f"{star},Nancy Kwan,y,TRUE",
            f"{star},Someone,z,FALSE",
            f"{foreign},La Verite,France,TRUE",
            f"{foreign},The Virgin Spring,Sweden,TRUE",
            f"{foreign},Other,Italy,FALSE",
        )
    )

    assert [c.tie for c in result.ceremonies[0].categories] == [False, False]


# Bad input: the row is reported with its line and skipped; the rest is read.


def test_a_malformed_row_is_reported_with_its_line_number_and_skipped(tmp_path):
    result = read_globes(
        write(
            tmp_path,
            DIRECTOR,
            "2019,2020,seventy,Best Director - Motion Picture,Bong Joon Ho,Parasite,FALSE",
        )
    )

    assert result.problems == ["line 3: ceremony 'seventy' is not a number; skipped"]
    assert (result.rows, result.skipped) == (2, 1)


@pytest.mark.parametrize("column", ["year_film", "year_award", "ceremony"])
@pytest.mark.parametrize("number", ["²", "٧٧", "7" * 5000])
def test_a_number_that_is_not_ascii_digits_is_reported_and_skipped(tmp_path, column, number):
    cells = {"year_film": "2019", "year_award": "2020", "ceremony": "77"} | {column: number}
    bad = f"{cells['year_film']},{cells['year_award']},{cells['ceremony']},"
    result = read_globes(write(tmp_path, bad + "Best Director - Motion Picture,A,B,TRUE", DIRECTOR))

    [problem] = result.problems
    assert problem.startswith(f"line 2: {column} '")
    assert problem.endswith("' is not a number; skipped")
    assert [c.edition for c in result.ceremonies] == [77]


def test_a_film_year_before_1900_is_skipped(tmp_path):
    result = read_globes(write(tmp_path, "1850,2020,77,Best Director - Motion Picture,A,B,TRUE"))

    assert result.problems == ["line 2: year_film 1850 is out of range (1900-2100); skipped"]


def test_an_award_year_after_2100_is_skipped(tmp_path):
    result = read_globes(write(tmp_path, "2019,2101,77,Best Director - Motion Picture,A,B,TRUE"))

    assert result.problems == ["line 2: year_award 2101 is out of range (1900-2100); skipped"]


def test_a_ceremony_number_out_of_range_is_skipped(tmp_path):
    result = read_globes(write(tmp_path, "2019,2020,99999,Best Director - Motion Picture,A,B,TRUE"))

    assert result.problems == ["line 2: ceremony '99999' is not a ceremony number; skipped"]


def test_years_differing_within_a_ceremony_are_skipped(tmp_path):
    result = read_globes(
        write(tmp_path, DIRECTOR, "2018,2020,77,Best Director - Motion Picture,A,B,FALSE")
    )

    assert result.problems == [
        "line 3: years 2018/2020 differ from the 77th ceremony's 2019/2020; skipped"
    ]


def test_a_wrong_number_of_columns_is_skipped(tmp_path):
    result = read_globes(write(tmp_path, DIRECTOR + ",extra"))

    assert result.problems == ["line 2: 8 columns, 7 expected; skipped"]


def test_a_cell_over_the_csv_field_size_limit_is_skipped_not_a_crash(tmp_path):
    limit = csv.field_size_limit()
    result = read_globes(
        write(
            tmp_path,
            f'2019,2020,77,Best Director - Motion Picture,"{"x" * (limit + 1)}",B,TRUE',
            DIRECTOR,
        )
    )

    assert result.problems == [
        f"line 2: a cell is longer than {limit} characters (the csv module's limit); skipped"
    ]
    assert len(result.ceremonies[0].categories[0].nominations) == 1


def test_an_over_long_name_is_skipped(tmp_path):
    result = read_globes(
        write(tmp_path, f"2019,2020,77,Best Director - Motion Picture,{'n' * 301},B,TRUE")
    )

    assert result.problems == ["line 2: nominee is longer than 300 characters; skipped"]


def test_a_nul_character_is_skipped(tmp_path):
    result = read_globes(
        write(tmp_path, "2019,2020,77,Best Director - Motion Picture,Sam\x00Mendes,1917,TRUE")
    )

    assert result.problems == ["line 2: nominee contains a NUL character; skipped"]


def test_a_file_that_is_not_the_globes_csv_is_refused(tmp_path):
    with pytest.raises(ImportProblem, match=r"globes\.csv: not golden_globe_awards\.csv"):
        read_globes(write(tmp_path, "1,2,3", header="a,b,c"))


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(ImportProblem, match=r"is a directory, not a file$"):
        read_globes(tmp_path)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "globes.csv"
    latin1 = "2019,2020,77,Best Director - Motion Picture,Am\xe9lie,x,FALSE"
    path.write_bytes(f"{HEADER}\n{DIRECTOR}\n{latin1}\n".encode("latin-1"))

    with pytest.raises(ImportProblem, match=r"not UTF-8 text \(byte 0xe9 on line 3\)$"):
        read_globes(path)


# The real file.


def test_the_whole_file_is_read_with_nothing_skipped(globes):
    assert [c.edition for c in globes.ceremonies] == list(range(1, 78))
    assert globes.problems == []
    assert globes.rows == 7991
    assert globes.aliases == {}


@pytest.mark.parametrize(
    ("line", "title", "writers"),
    [
        (3634, "Say You, Say Me", ["Lionel Richie"]),
        (4649, "Stay (Faraway, So Close!)", ["U2"]),
        (
            1948,
            "Marmalade, Molasses and Honey",
            ["Maurice Jarre", "Alan Bergman", "Marilyn Bergman"],
        ),
        (2100, "The Way We Were", ["Marvin Hamlisch", "Alan Bergman", "Marilyn Bergman"]),
        (1466, "Buona Sera, Mrs. Campbell", ["Riz Ortolani", "Melvin Frank"]),
        (1565, "Goodbye, Columbus", ["The Association"]),
        (2626, "New York, New York", ["John Kander", "Fred Ebb"]),
        (4899, "Hold Me, Thrill Me, Kiss Me, Kill Me", ["U2"]),
        (
            6926,
            "The Living Proof",
            ["Mary J. Blige", "Thomas Newman", "Harvey Mason, Jr.", "Damon Thomas"],
        ),
        (2483, "Evergreen", ["Barbra Streisand", "Paul Williams"]),
        (2353, "My Little Friend", ["Roy Budd", "Sammy Cahn"]),
        (4769, "Far Longer Than Forever", ["Lex De Azevedo", "David Zippel"]),
        (7808, "Revelation", []),
    ],
)
def test_real_song_credits_are_split_into_title_and_writers(by_line, line, title, writers):
    _, _, song = by_line[f"line {line}"]

    assert (song.nominee, song.detail) == (title, title)
    assert [p.name for p in song.people] == writers


def test_no_row_makes_a_person_of_a_title_fragment(globes):
    fragments = {"The", "A", "An", "Jr.", "Say Me", "Molasses and Honey", "Columbus", "New York"}
    fragments |= {"Mrs. Campbell", "Thrill Me", "Kiss Me", "Kill Me", "Deep End"}
    people = [
        p.name
        for s in globes.ceremonies
        for c in s.categories
        for n in c.nominations
        for p in n.people
    ]

    assert not fragments & set(people)
    assert all(name.count("(") == name.count(")") for name in people)


def test_a_film_in_an_actress_row_is_the_film_not_a_person(by_line):
    _, _, deep_end = by_line["line 5604"]

    assert [f.title for f in deep_end.films] == ["The Deep End"]
    assert (deep_end.nominee, deep_end.people) == ("", [])


def test_the_globe_ties_are_the_reports(globes):
    ties = {(s.edition, c.name) for s in globes.ceremonies for c in s.categories if c.tie}

    assert ties == {
        (15, "Actress In A Leading Role - Musical Or Comedy"),
        # The report's data error: an actor filed under Supporting Actress. Nothing in the file
        # tells it apart from a tie.
        (21, "Best Performance by an Actress in a Supporting Role in any Motion Picture"),
        (28, "Best Performance by an Actress in a Supporting Role in any Motion Picture"),
        (30, "Documentary"),
        (35, "Best Performance by an Actress in a Motion Picture - Musical or Comedy"),
        (36, "Best Performance by an Actress in a Motion Picture - Musical or Comedy"),
        (37, "Best Performance by an Actor in a Supporting Role in any Motion Picture"),
        (41, "Best Performance by an Actor in a Motion Picture - Drama"),
        (46, "Best Performance by an Actress in a Motion Picture - Drama"),
        (46, "Best Original Song - Motion Picture"),
    }


def test_the_58th_gladiator_score_is_one_nomination(globes):
    score = category(globes, 58, "Best Original Score - Motion Picture")

    gladiator = [n for n in score.nominations if n.films[0].title == "Gladiator"]
    assert [(n.nominee, n.won) for n in gladiator] == [("Lisa Gerrard, Hans Zimmer", True)]
    assert not score.tie


def test_a_tab_inside_a_real_cell_is_collapsed(by_line):
    _, _, row = by_line["line 6986"]

    assert [f.title for f in row.films] == ["Zero Dark Thirty"]
