"""The ceremony JSON parser: a file in, a CeremonySpec or one line naming the problem out. No
database."""

import datetime as dt
import json

import pytest

from ceremony.importers.json_file import ceremony_spec, read_json_file
from ceremony.importers.spec import ImportProblem
from tests.support.builders import ceremony_data
from tests.support.environment import DEMO


def sample() -> dict:
    return ceremony_data(
        {
            "Best Picture": [("Anora", None, True), ("Wicked",)],
            "Best Actress": [("Anora", "Mikey Madison", True), ("The Substance", "Demi Moore")],
            "Best Original Song": [("Emilia Pérez", "El Mal", True), ("Sing Sing", "Like a Bird")],
        }
    )


def write(tmp_path, data) -> str:
    path = tmp_path / "ceremony.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def refused(path) -> str:
    """The one-line message a file is refused with; it names the file."""
    with pytest.raises(ImportProblem) as raised:
        read_json_file(path)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    return message


# What a file becomes.


def test_a_results_file_becomes_a_curated_spec_with_its_exact_date():
    spec = read_json_file(DEMO / "oscars-97-results.json")

    assert (spec.body, spec.edition, spec.name) == ("Academy Awards", 97, "97th Academy Awards")
    assert (spec.date, spec.date_exact, spec.film_year) == (dt.date(2025, 3, 2), True, "2024")
    assert spec.curated
    assert spec.has_results
    assert spec.decided
    assert spec.source == str(DEMO / "oscars-97-results.json")
    assert [c.name for c in spec.categories][:2] == [
        "Best Supporting Actor",
        "Best Animated Feature",
    ]
    assert all(c.competitive is None for c in spec.categories)


def test_nominees_keep_the_file_order_and_credit_people_split_from_the_text(tmp_path):
    data = sample()
    data["categories"][1]["nominees"][1]["nominee"] = "Joel Coen, Ethan Coen and Someone"

    actress = read_json_file(write(tmp_path, data)).categories[1]

    assert [n.nominee for n in actress.nominations] == [
        "Mikey Madison",
        "Joel Coen, Ethan Coen and Someone",
    ]
    assert [p.name for p in actress.nominations[1].people] == ["Joel Coen", "Ethan Coen", "Someone"]
    assert actress.nominations[0].films[0].title == "Anora"
    assert actress.nominations[0].place == "category 2 (Best Actress), nominee 1"


def test_a_song_nominee_is_the_song_title_with_no_people():
    spec = read_json_file(DEMO / "oscars-97-results.json")
    song = next(c for c in spec.categories if c.name == "Best Original Song")

    el_mal = next(n for n in song.nominations if n.won)
    assert (el_mal.nominee, el_mal.detail, el_mal.people) == ("El Mal", "El Mal", [])
    assert [f.title for f in el_mal.films] == ["Emilia Pérez"]


def test_a_null_nominee_is_an_empty_credit_with_no_people(tmp_path):
    picture = read_json_file(write(tmp_path, sample())).categories[0]

    assert (picture.nominations[0].nominee, picture.nominations[0].people) == ("", [])


def test_two_winners_in_a_category_are_a_tie(tmp_path):
    data = sample()
    data["categories"][1]["nominees"][1]["won"] = True

    spec = read_json_file(write(tmp_path, data))

    assert [c.tie for c in spec.categories] == [False, True, False]


def test_without_results_no_one_has_won_and_nothing_is_tied(tmp_path):
    data = sample()
    data["categories"][1]["nominees"][1]["won"] = True

    spec = read_json_file(write(tmp_path, data), with_results=False)

    assert not spec.has_results
    assert not any(n.won for c in spec.categories for n in c.nominations)
    assert not any(c.tie for c in spec.categories)


def test_an_exports_extra_keys_are_ignored(tmp_path):
    data = sample() | {"status": "final", "version": 12, "fields": ["ceremony"], "results": []}
    data["categories"][0] |= {"slug": "best-picture", "competitive": True}

    assert read_json_file(write(tmp_path, data)).categories[0].name == "Best Picture"


def test_bidi_controls_are_removed_and_whitespace_collapsed_in_every_name(tmp_path):
    data = sample()
    data["ceremony"] = "1st\u202e Test\t Awards"
    data["categories"][1]["name"] = " Best\u2066  Actress\u2069 "
    data["categories"][1]["nominees"][0] |= {"film": "An\u200fora", "nominee": "Mikey\t\tMadison"}

    spec = read_json_file(write(tmp_path, data))

    assert spec.name == "1st Test Awards"
    actress = spec.categories[1]
    assert actress.name == "Best Actress"
    assert actress.nominations[0].films[0].title == "Anora"
    assert actress.nominations[0].nominee == "Mikey Madison"
    assert actress.nominations[0].people[0].name == "Mikey Madison"


def test_parsed_data_is_checked_the_same_way_with_the_source_named():
    data = sample()
    del data["edition"]

    with pytest.raises(ImportProblem, match=r'^results\.json: "edition" is missing$'):
        ceremony_spec(data, source="results.json")


# Bad input: one line each, naming the file, the place and the problem.


def test_an_edition_over_32767_is_refused(tmp_path):
    message = refused(write(tmp_path, sample() | {"edition": 32768}))

    assert message.endswith('"edition" must be a positive whole number up to 32767, not 32768')


def test_an_absurd_edition_is_refused(tmp_path):
    message = refused(write(tmp_path, sample() | {"edition": 10**30}))

    assert '"edition" must be a positive whole number' in message


def test_an_edition_of_zero_or_true_is_refused(tmp_path):
    assert '"edition" must be a positive whole number' in refused(
        write(tmp_path, sample() | {"edition": 0})
    )
    assert '"edition" must be a positive whole number' in refused(
        write(tmp_path, sample() | {"edition": True})
    )


def test_a_number_for_the_date_is_refused(tmp_path):
    message = refused(write(tmp_path, sample() | {"date": 20250302}))

    assert message.endswith('"date" must be YYYY-MM-DD, not a number')


def test_a_date_in_words_is_refused(tmp_path):
    assert '"date" must be YYYY-MM-DD' in refused(
        write(tmp_path, sample() | {"date": "2 March 2025"})
    )


@pytest.mark.parametrize("date", ["٢٠٢٥-٠٣-٠٢", "²⁰²⁵-03-02"])
def test_a_date_not_in_ascii_digits_is_refused(tmp_path, date):
    assert refused(write(tmp_path, sample() | {"date": date})).endswith(
        f'"date" must be YYYY-MM-DD, not {date!r}'
    )


def test_an_impossible_date_is_refused(tmp_path):
    assert '"date" 2025-02-30 is not a date' in refused(
        write(tmp_path, sample() | {"date": "2025-02-30"})
    )


def test_a_year_before_1900_is_refused(tmp_path):
    message = refused(write(tmp_path, sample() | {"date": "1899-12-31"}))

    assert message.endswith('"date" has year 1899, out of range (1900-2100)')


def test_a_year_after_2100_is_refused(tmp_path):
    assert "has year 2101, out of range" in refused(
        write(tmp_path, sample() | {"date": "2101-01-01"})
    )


def test_a_number_for_the_venue_is_refused(tmp_path):
    assert refused(write(tmp_path, sample() | {"venue": 7})).endswith(
        '"venue" must be text, not a number'
    )


def test_a_list_for_the_venue_is_refused(tmp_path):
    assert refused(write(tmp_path, sample() | {"venue": ["Dolby Theatre"]})).endswith(
        '"venue" must be text, not a list'
    )


def test_an_over_long_ceremony_name_is_refused(tmp_path):
    assert refused(write(tmp_path, sample() | {"ceremony": "x" * 201})).endswith(
        '"ceremony" is longer than 200 characters'
    )


def test_an_over_long_venue_is_refused(tmp_path):
    assert '"venue" is longer than 300 characters' in refused(
        write(tmp_path, sample() | {"venue": "v" * 301})
    )


def test_an_over_long_category_name_is_refused(tmp_path):
    data = sample()
    data["categories"][1]["name"] = "c" * 301

    assert ": category 2 (ccccc" in refused(write(tmp_path, data))
    assert refused(write(tmp_path, data)).endswith('"name" is longer than 300 characters')


def test_an_over_long_film_title_is_refused(tmp_path):
    data = sample()
    data["categories"][1]["nominees"][1]["film"] = "f" * 601

    assert refused(write(tmp_path, data)).endswith(
        'category 2 (Best Actress), nominee 2: "film" is longer than 600 characters'
    )


def test_an_over_long_nominee_is_refused(tmp_path):
    data = sample()
    data["categories"][1]["nominees"][0]["nominee"] = "n" * 1001

    assert refused(write(tmp_path, data)).endswith(
        'nominee 1: "nominee" is longer than 1000 characters'
    )


def test_a_film_title_too_long_for_a_film_is_refused(tmp_path):
    data = sample()
    data["categories"][0]["nominees"][0]["film"] = "f" * 301

    assert refused(write(tmp_path, data)).endswith(
        'category 1 (Best Picture), nominee 1: "film" is longer than 300 characters'
    )


@pytest.mark.parametrize("title", ["한" * 300, "é" * 300, "東" * 300])
def test_a_title_that_fits_its_column_once_folded_is_accepted(tmp_path, title):
    data = sample()
    data["categories"][0]["nominees"][0]["film"] = title

    spec = read_json_file(write(tmp_path, data))

    assert spec.categories[0].nominations[0].films[0].title == title


def test_a_nul_character_is_refused(tmp_path):
    data = sample()
    data["categories"][1]["nominees"][1]["nominee"] = "Demi\u0000Moore"

    assert refused(write(tmp_path, data)).endswith(
        'category 2 (Best Actress), nominee 2: "nominee" contains a NUL character'
    )


def test_a_lone_surrogate_is_refused(tmp_path):
    data = sample()
    data["categories"][0]["name"] = "Best \ud800Picture"

    # json.dumps escapes it: the file is valid UTF-8 holding "\ud800".
    message = refused(write(tmp_path, data))

    assert message.endswith(
        'category 1 (Best \\ud800Picture): "name" contains a lone surrogate (U+D800)'
    )


def test_a_control_character_is_refused(tmp_path):
    assert '"body" contains a control character (U+0007)' in refused(
        write(tmp_path, sample() | {"body": "Test\u0007Awards"})
    )


def test_a_name_of_bidi_controls_only_is_empty(tmp_path):
    data = sample()
    data["categories"][0]["name"] = "\u202e\u202c"

    assert refused(write(tmp_path, data)).endswith('category 1: "name" is empty')


def test_deep_nesting_is_refused_in_one_line(tmp_path):
    message = refused(write(tmp_path, '{"ceremony": ' + "[" * 100_000 + "]" * 100_000 + "}"))

    assert message.endswith("not valid JSON (nested too deeply)")


def test_deep_nesting_that_parses_is_a_wrong_type(tmp_path):
    nested = json.loads("[" * 500 + "]" * 500)

    assert refused(write(tmp_path, sample() | {"venue": nested})).endswith(
        '"venue" must be text, not a list'
    )


def test_a_directory_is_refused(tmp_path):
    assert refused(tmp_path) == f"{tmp_path}: is a directory, not a file"


def test_a_missing_file_is_refused(tmp_path):
    assert refused(tmp_path / "nope.json") == f"{tmp_path / 'nope.json'}: no such file"


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(
        json.dumps(sample() | {"venue": "Théâtre"}, ensure_ascii=False).encode("latin-1")
    )

    assert refused(path) == f"{path}: not UTF-8 text (byte 0xe9 on line 1)"


def test_invalid_json_is_refused(tmp_path):
    message = refused(write(tmp_path, '{"ceremony": '))

    assert (
        message
        == f"{tmp_path / 'ceremony.json'}: not valid JSON (line 1, column 14: Expecting value)"
    )


def test_a_number_too_long_to_read_is_refused(tmp_path):
    assert "not valid JSON (Exceeds the limit" in refused(
        write(tmp_path, '{"edition": ' + "9" * 5000 + "}")
    )


def test_a_list_at_the_top_is_refused(tmp_path):
    assert refused(write(tmp_path, [sample()])).endswith(
        "the top level must be an object, not a list"
    )


def test_a_category_appearing_twice_is_refused(tmp_path):
    data = sample()
    data["categories"].append(dict(data["categories"][0], name="best  picture"))

    assert refused(write(tmp_path, data)).endswith(
        "category 4 (best picture): appears twice (as category 1)"
    )


def test_a_category_without_nominees_is_refused(tmp_path):
    data = sample()
    data["categories"][2]["nominees"] = []

    assert refused(write(tmp_path, data)).endswith(
        'category 3 (Best Original Song): "nominees" must be a non-empty list'
    )


def test_no_categories_is_refused(tmp_path):
    assert refused(write(tmp_path, sample() | {"categories": []})).endswith(
        '"categories" must be a non-empty list'
    )


def test_a_nominee_without_a_film_is_refused(tmp_path):
    data = sample()
    del data["categories"][1]["nominees"][1]["film"]

    assert refused(write(tmp_path, data)).endswith(
        'category 2 (Best Actress), nominee 2: "film" is missing'
    )


def test_won_that_is_not_true_or_false_is_refused(tmp_path):
    data = sample()
    data["categories"][1]["nominees"][0]["won"] = "yes"

    assert refused(write(tmp_path, data)).endswith(
        "category 2 (Best Actress), nominee 1: \"won\" must be true or false, not 'yes'"
    )


def test_a_nominee_that_is_not_an_object_is_refused(tmp_path):
    data = sample()
    data["categories"][1]["nominees"][0] = "Mikey Madison"

    assert refused(write(tmp_path, data)).endswith(
        "category 2 (Best Actress), nominee 1: must be an object, not 'Mikey Madison'"
    )
