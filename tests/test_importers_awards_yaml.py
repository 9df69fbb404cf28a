"""The IMDb awards files' parser: the body from the file, editions, what is left out, and one
line naming file, place and problem for bad input."""

import pytest

from ceremony.importers.awards_yaml import read_awards
from ceremony.importers.spec import ImportProblem
from tests.support.awards import awards_file

HEADER = "# Critics Choice Awards\n"


def write(tmp_path, body: str, name: str = "cc.yml"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def year(key: str, event: str = "ev0000133", content: str = "") -> str:
    return f"'{key}': # https://www.imdb.com/event/{event}/{key[:4]}/1/\n{content}"


PICTURE = (
    "  critics choice award:\n"
    "    best picture:\n      nominee: [tt0000001, tt0000002]\n      winner: [tt0000002]\n"
    "    best drama series:\n      nominee: [tt0000003]\n      winner: [tt0000003]\n"
    "  freedom award:\n    freedom award:\n      nominee: [tt0000004]\n"
)


def test_the_body_editions_and_categories_come_from_the_file(tmp_path):
    read = read_awards(
        write(tmp_path, HEADER + year("2016-2", content=PICTURE) + year("2016", content=PICTURE))
    )
    assert read.body["name"] == "Critics' Choice Awards"
    assert [(y.key, y.edition, y.held_year, y.season) for y in read.years] == [
        ("2016", 21, 2016, 2016),
        ("2016-2", 22, 2016, 2017),
    ]
    # Television and other awards are left out: the drama series and the freedom award.
    assert [c.shown for c in read.years[0].categories] == ["Best Picture"]
    assert read.ignored == 4
    spec = read.specs()[1]
    assert (spec.name, spec.film_year, spec.date.month, spec.date_exact) == (
        "22nd Critics' Choice Awards",
        "2016",
        12,
        False,
    )
    assert [n.won for n in spec.categories[0].nominations] == [False, True]


def test_names_are_shown_title_cased_keeping_small_words():
    read = read_awards(awards_file("bafta"))
    names = {c.shown for y in read.years if y.key == "2025" for c in y.categories}
    assert "Best Film not in the English Language" in names
    assert "Best Children's & Family Film" in names


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("# nothing\n'2024': {}\n", "no IMDb event address in its comments"),
        (year("2024", event="ev9999999"), "IMDb event ev9999999 is not a body"),
        (
            HEADER + year("2024", content="  critics choice award:\n    best picture: [1, 2\n"),
            "line 5: not YAML (did not find expected ',' or ']')",
        ),
        (
            HEADER
            + year(
                "2024",
                content="  critics choice award:\n    best picture:\n      nominee: [nm123]\n",
            ),
            "at 2024 > critics choice award > best picture > nominee[0]: String should match",
        ),
        (
            HEADER
            + year(
                "2024", content="  critics choice award:\n    best picture:\n      nominees: []\n"
            ),
            "at 2024 > critics choice award > best picture > nominees: Extra inputs",
        ),
        (HEADER + year("1994", content=PICTURE), "at 1994: before the body's first ceremony"),
    ],
)
def test_bad_input_is_one_line_naming_file_place_and_problem(tmp_path, text, problem):
    path = write(tmp_path, text)
    with pytest.raises(ImportProblem) as raised:
        read_awards(path)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert problem in message
