"""The oscars.csv parser: the file in, one CeremonySpec per ceremony out; malformed rows reported
and skipped. No database. Real rows are read from ../shared/data (skipped without it)."""

import csv
import datetime as dt

import pytest

from ceremony.importers.oscars_csv import OSCAR_COLUMNS, clean_note, held_year, read_oscars
from ceremony.importers.spec import ImportProblem
from tests.support.archive import OSCARS_CSV, require

HEADER = "\t".join(OSCAR_COLUMNS)


def row(**cells: str) -> str:
    """A row of the 97th Best Actor unless told otherwise; trailing empty cells omitted."""
    values = {
        "Ceremony": "97",
        "Year": "2024",
        "Class": "Acting",
        "CanonicalCategory": "ACTOR IN A LEADING ROLE",
        "Category": "ACTOR IN A LEADING ROLE",
        "Film": "The Brutalist",
        "FilmId": "tt8999762",
        "Name": "Adrien Brody",
        "Nominees": "Adrien Brody",
        "NomineeIds": "nm0004778",
        "Winner": "True",
    } | cells
    line = [values.get(column, "") for column in OSCAR_COLUMNS]
    while line and not line[-1]:
        line.pop()
    return "\t".join(line)


def write(tmp_path, *rows: str, header: str = HEADER):
    path = tmp_path / "oscars.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def only_nomination(result):
    [ceremony] = result.ceremonies
    [category] = ceremony.categories
    [nomination] = category.nominations
    return nomination


@pytest.fixture(scope="module")
def oscars():
    return read_oscars(require(OSCARS_CSV))


def category(result, edition: int, name: str):
    ceremony = next(c for c in result.ceremonies if c.edition == edition)
    return next(c for c in ceremony.categories if c.name == name)


# Small files: the rules.


def test_a_row_becomes_a_ceremony_named_and_dated_from_the_file(tmp_path):
    result = read_oscars(write(tmp_path, row()))

    [ceremony] = result.ceremonies
    assert (ceremony.body, ceremony.edition, ceremony.name) == (
        "Academy Awards",
        97,
        "97th Academy Awards",
    )
    assert (ceremony.date, ceremony.date_exact, ceremony.film_year) == (
        dt.date(2025, 3, 1),
        False,
        "2024",
    )
    assert not ceremony.curated
    assert ceremony.categories[0].name == "Best Actor"
    assert ceremony.categories[0].canonical == "ACTOR IN A LEADING ROLE"
    assert ceremony.categories[0].competitive is True
    nomination = only_nomination(result)
    assert nomination.films[0].title == "The Brutalist"
    assert nomination.films[0].imdb_id == "tt8999762"
    assert nomination.people[0].imdb_id == "nm0004778"
    assert (nomination.nominee, nomination.won, nomination.place) == (
        "Adrien Brody",
        True,
        "line 2",
    )
    assert (result.rows, result.skipped, result.ignored, result.problems) == (1, 0, 0, [])


def test_a_split_film_year_is_held_the_year_after_its_last_year():
    assert held_year("1927/28") == 1929
    assert held_year("1999/00") == 2001
    assert held_year("2024") == 2025


def test_ceremonies_come_sorted_by_edition_and_only_those_asked_for(tmp_path):
    path = write(
        tmp_path,
        row(Ceremony="97"),
        row(Ceremony="1", Year="1927/28"),
        row(Ceremony="50", Year="1977"),
    )

    assert [c.edition for c in read_oscars(path).ceremonies] == [1, 50, 97]
    only = read_oscars(path, editions=[50])
    assert [c.edition for c in only.ceremonies] == [50]
    assert only.rows == 1


def test_older_category_names_are_title_cased_and_honorary_awards_not_competitive(tmp_path):
    result = read_oscars(
        write(
            tmp_path,
            row(Class="Special", CanonicalCategory="HONORARY AWARD", Category="HONORARY AWARD"),
        )
    )

    [category] = result.ceremonies[0].categories
    assert (category.name, category.competitive) == ("Honorary Award", False)


def test_companies_and_unknown_ids_stay_in_the_credit_but_are_not_people(tmp_path):
    result = read_oscars(
        write(
            tmp_path, row(Nominees="Adrien Brody|A24|Someone", NomineeIds="nm0004778|co0390816|?")
        )
    )

    nomination = only_nomination(result)
    assert nomination.nominee == "Adrien Brody, A24 and Someone"
    assert [p.name for p in nomination.people] == ["Adrien Brody"]


def test_a_credit_label_is_dropped_from_the_name(tmp_path):
    result = read_oscars(
        write(
            tmp_path,
            row(
                Nominees="Jacques Audiard|In collaboration with Thomas Bidegain",
                NomineeIds="nm0041295|nm1437829",
            ),
        )
    )

    assert [p.name for p in only_nomination(result).people] == [
        "Jacques Audiard",
        "Thomas Bidegain",
    ]


def test_two_films_in_one_nomination_are_both_kept(tmp_path):
    result = read_oscars(
        write(tmp_path, row(Film="The Noose|The Patent Leather Kid", FilmId="tt0019217|tt0018253"))
    )

    assert [f.imdb_id for f in only_nomination(result).films] == ["tt0019217", "tt0018253"]


def test_an_unofficial_row_is_ignored_unless_it_won(tmp_path):
    note = "NOTE: THIS IS NOT AN OFFICIAL NOMINATION. Write-in candidate."
    result = read_oscars(
        write(
            tmp_path,
            row(Winner="", Note=note),
            row(Winner="True", Nominees="Hal Mohr", NomineeIds="nm0005803", Note=note),
        )
    )

    assert (result.rows, result.ignored) == (2, 1)
    nomination = only_nomination(result)
    assert nomination.people[0].name == "Hal Mohr"
    assert nomination.note == "THIS IS NOT AN OFFICIAL NOMINATION. Write-in candidate."


def test_a_note_is_split_on_bars_its_note_prefixes_stripped_and_quotes_unescaped(tmp_path):
    assert clean_note("came in 3rd|NOTE: NOTE: A tie.") == "came in 3rd; A tie."

    result = read_oscars(
        write(tmp_path, row(Note='NOTE: \\"A special award\\" |NOTE:  was given.'))
    )

    assert only_nomination(result).note == '"A special award"; was given.'


def test_escaped_quotes_are_unescaped_in_every_cell(tmp_path):
    result = read_oscars(
        write(
            tmp_path,
            row(
                Nominees='Barney \\"Chick\\" McGill',
                Film='Maggie Simpson in \\"The Longest Daycare\\"',
            ),
        )
    )

    nomination = only_nomination(result)
    assert nomination.people[0].name == 'Barney "Chick" McGill'
    assert nomination.films[0].title == 'Maggie Simpson in "The Longest Daycare"'


def test_bidi_controls_are_removed_and_whitespace_collapsed(tmp_path):
    result = read_oscars(
        write(
            tmp_path,
            row(
                Film="The \u202eBrutalist ",
                Nominees="Adrien\u2066  Brody\u2069",
                Category="ACTOR  IN A LEADING ROLE",
            ),
        )
    )

    nomination = only_nomination(result)
    assert nomination.films[0].title == "The Brutalist"
    assert nomination.people[0].name == "Adrien Brody"
    assert result.ceremonies[0].categories[0].name == "Best Actor"


def test_several_winners_are_a_tie_only_when_every_winner_is_noted_as_one(tmp_path):
    tie = "NOTE: A tie. The other winner in this category was ..."
    noted = read_oscars(
        write(
            tmp_path,
            row(Note=tie),
            row(
                Film="Conclave",
                FilmId="tt20215234",
                Nominees="Ralph Fiennes",
                NomineeIds="nm0000146",
                Note=tie,
            ),
        )
    )
    assert noted.ceremonies[0].categories[0].tie

    half = read_oscars(
        write(
            tmp_path,
            row(Note=tie),
            row(
                Film="Conclave",
                FilmId="tt20215234",
                Nominees="Ralph Fiennes",
                NomineeIds="nm0000146",
            ),
        )
    )
    assert half.ceremonies[0].categories[0].winners == 2
    assert not half.ceremonies[0].categories[0].tie


def test_an_honorary_award_to_several_is_never_a_tie(tmp_path):
    tie = "NOTE: A tie."
    result = read_oscars(
        write(
            tmp_path,
            row(Class="Special", Note=tie),
            row(Class="Special", Nominees="Ralph Fiennes", NomineeIds="nm0000146", Note=tie),
        )
    )

    assert not result.ceremonies[0].categories[0].tie


def test_display_spellings_are_the_most_frequent_not_in_capitals_with_the_others_as_aliases(
    tmp_path,
):
    result = read_oscars(
        write(
            tmp_path,
            row(Ceremony="95", Year="2022", Nominees="Kazuhiro Tsuji", NomineeIds="nm0875308"),
            row(Ceremony="96", Year="2023", Nominees="Kazu Hiro", NomineeIds="nm0875308"),
            row(Ceremony="97", Year="2024", Nominees="KAZU HIRO", NomineeIds="nm0875308"),
            row(
                Ceremony="97",
                Year="2024",
                Nominees="KAZU HIRO",
                NomineeIds="nm0875308",
                Film="Conclave",
            ),
        )
    )

    names = {
        p.name
        for c in result.ceremonies
        for cat in c.categories
        for n in cat.nominations
        for p in n.people
    }
    # A tie between the two spellings not in capitals: the latest ceremony's wins.
    assert names == {"Kazu Hiro"}
    assert result.aliases == {"nm0875308": {"Kazuhiro Tsuji", "KAZU HIRO"}}


# Bad input: the row is reported with its line and skipped; the rest is read.


def test_a_malformed_row_is_reported_with_its_line_number_and_skipped(tmp_path):
    result = read_oscars(write(tmp_path, row(), row(Film="Conclave", Winner="Maybe")))

    assert result.problems == ["line 3: Winner 'Maybe' is not True or empty; skipped"]
    assert (result.rows, result.skipped) == (2, 1)
    assert len(result.ceremonies[0].categories[0].nominations) == 1


def test_a_ceremony_number_out_of_range_is_skipped(tmp_path):
    result = read_oscars(write(tmp_path, row(Ceremony="40000"), row()))

    assert result.problems == ["line 2: Ceremony '40000' is not a ceremony number; skipped"]


@pytest.mark.parametrize("number", ["²", "٩٧", "9" * 5000, "0", "-97"])
@pytest.mark.parametrize("editions", [None, [97]])
def test_a_ceremony_that_is_not_ascii_digits_is_reported_and_skipped(tmp_path, number, editions):
    result = read_oscars(write(tmp_path, row(Ceremony=number), row()), editions=editions)

    [problem] = result.problems
    assert problem.startswith("line 2: Ceremony '")
    assert problem.endswith("' is not a ceremony number; skipped")
    assert [c.edition for c in result.ceremonies] == [97]


@pytest.mark.parametrize("year", ["²⁰²⁴", "٢٠٢٤", "9" * 5000, "2024/²⁵"])
def test_a_film_year_that_is_not_ascii_digits_is_reported_and_skipped(tmp_path, year):
    result = read_oscars(write(tmp_path, row(Year=year), row()))

    [problem] = result.problems
    assert problem.startswith("line 2: Year '")
    assert problem.endswith("' is not a film year like 2024 or 1927/28; skipped")
    assert [c.edition for c in result.ceremonies] == [97]


def test_a_film_year_before_1900_is_skipped(tmp_path):
    result = read_oscars(write(tmp_path, row(Year="1850")))

    assert result.problems == ["line 2: Year '1850' is out of range (1900-2100); skipped"]
    assert result.ceremonies == []


def test_a_ceremony_held_after_2100_is_skipped(tmp_path):
    result = read_oscars(write(tmp_path, row(Year="2100")))

    assert result.problems == ["line 2: Year '2100' is out of range (1900-2100); skipped"]


def test_a_year_differing_within_a_ceremony_is_skipped(tmp_path):
    result = read_oscars(write(tmp_path, row(), row(Year="2023")))

    assert result.problems == [
        "line 3: Year '2023' differs from the 97th ceremony's '2024'; skipped"
    ]


def test_a_cell_over_the_csv_field_size_limit_is_skipped_not_a_crash(tmp_path):
    limit = csv.field_size_limit()
    result = read_oscars(write(tmp_path, row(Note="x" * (limit + 1)), row()))

    assert result.problems == [
        f"line 2: a cell is longer than {limit} characters (the csv module's limit); skipped"
    ]
    assert len(result.ceremonies[0].categories[0].nominations) == 1


def test_an_over_long_name_is_skipped(tmp_path):
    result = read_oscars(write(tmp_path, row(Nominees="n" * 301)))

    assert result.problems == ["line 2: Nominees is longer than 300 characters; skipped"]


def test_a_nul_character_is_skipped(tmp_path):
    result = read_oscars(write(tmp_path, row(Film="The\x00Brutalist")))

    assert result.problems == ["line 2: Film contains a NUL character; skipped"]


def test_too_many_columns_are_skipped(tmp_path):
    result = read_oscars(write(tmp_path, row(Citation="c") + "\textra"))

    assert result.problems == ["line 2: 15 columns, at most 14 expected; skipped"]


# Bad files: one line naming the file.


def test_a_file_that_is_not_oscars_csv_is_refused(tmp_path):
    with pytest.raises(ImportProblem, match=r"oscars\.csv: not oscars\.csv \(the header"):
        read_oscars(write(tmp_path, "1,2,3", header="a,b,c"))


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(ImportProblem, match=r"is a directory, not a file$"):
        read_oscars(tmp_path)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "oscars.csv"
    path.write_bytes((HEADER + "\n" + row(Film="Am\xe9lie")).encode("latin-1"))

    with pytest.raises(ImportProblem, match=r"not UTF-8 text \(byte 0xe9 on line 2\)$"):
        read_oscars(path)


# The real file.


def test_the_whole_file_is_read_with_nothing_skipped(oscars):
    nominations = sum(len(c.nominations) for s in oscars.ceremonies for c in s.categories)

    assert [c.edition for c in oscars.ceremonies] == list(range(1, 99))
    assert oscars.problems == []
    assert nominations + oscars.ignored == oscars.rows == 12137


def test_the_41st_best_actress_is_a_tie(oscars):
    actress = category(oscars, 41, "Actress")

    assert actress.tie
    assert sorted(p.name for n in actress.nominations if n.won for p in n.people) == [
        "Barbra Streisand",
        "Katharine Hepburn",
    ]


def test_the_6th_assistant_directors_are_several_winners_not_a_tie(oscars):
    assistant = category(oscars, 6, "Assistant Director")

    assert (assistant.winners, assistant.tie) == (7, False)


def test_the_15th_documentaries_are_several_winners_not_a_tie(oscars):
    documentary = category(oscars, 15, "Documentary")

    assert (documentary.winners, documentary.tie) == (4, False)
    midway = next(n for n in documentary.nominations if n.place == "line 1388")
    assert midway.note.startswith('"A special award to Battle of Midway for the historical')


def test_exactly_the_ties_the_file_notes_are_ties(oscars):
    ties = {(s.edition, c.name) for s in oscars.ceremonies for c in s.categories if c.tie}

    assert ties == {
        (5, "Actor"),
        (22, "Best Documentary Short"),
        (41, "Actress"),
        (59, "Best Documentary Feature"),
        (67, "Best Live Action Short"),
        (85, "Sound Editing"),
        (98, "Best Live Action Short"),
    }


def test_brandos_refusal_is_kept_as_the_nominations_note(oscars):
    actor = category(oscars, 45, "Actor")
    brando = next(n for n in actor.nominations if n.won)

    assert brando.people[0].name == "Marlon Brando"
    assert brando.note == "Mr. Brando refused the award."
    assert brando.place == "line 5226"


def test_a_doubled_note_prefix_is_stripped(oscars):
    singers = category(oscars, 98, "Best Live Action Short").nominations

    assert all(n.note.startswith("A tie. The other winning film") for n in singers if n.won)


def test_fran_walsh_is_shown_one_way_with_frances_walsh_as_an_alias(oscars):
    credits = {
        p.name for s in oscars.ceremonies for c in s.categories for n in c.nominations
        for p in n.people if p.imdb_id == "nm0909638"
    }  # fmt: skip

    assert credits == {"Fran Walsh"}
    assert oscars.aliases["nm0909638"] == {"Frances Walsh"}


def test_display_spellings_do_not_depend_on_the_ceremonies_read():
    heavenly_creatures = read_oscars(require(OSCARS_CSV), editions=[67])

    writing = category(
        heavenly_creatures, 67, "Writing (Screenplay Written Directly for the Screen)"
    )
    walsh = [p for n in writing.nominations for p in n.people if p.imdb_id == "nm0909638"]
    assert [p.name for p in walsh] == ["Fran Walsh"]
    assert heavenly_creatures.aliases["nm0909638"] == {"Frances Walsh"}


def test_a_spelling_in_capitals_is_never_the_display_name(oscars):
    edouart = {
        p.name for s in oscars.ceremonies for c in s.categories for n in c.nominations
        for p in n.people if p.imdb_id == "nm0249643"
    }  # fmt: skip

    assert edouart == {"Farciot Edouart"}
    assert "FARCIOT EDOUART" in oscars.aliases["nm0249643"]
