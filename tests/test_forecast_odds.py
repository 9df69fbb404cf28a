"""The forecast as a snapshot carries it and a page says it: hundredths summing to exactly 1,
how surprising a result was, the forecast's ballot."""

import pytest

from ceremony.forecast import odds


@pytest.mark.parametrize(
    "probabilities",
    [[1 / 3] * 3, [0.333, 0.333, 0.334], [0.9951, 0.0049], [0.2] * 5, [0.004] * 9 + [0.964]],
)
def test_hundredths_always_sum_to_exactly_one_hundred(probabilities):
    shares = odds.hundredths(probabilities)
    assert sum(shares) == 100
    assert all(abs(s - 100 * p) < 1 for s, p in zip(shares, probabilities, strict=True))


def category(slug, forecast, winner=None, at=None, competitive=True):
    return {
        "slug": slug,
        "competitive": competitive,
        "announced": winner is not None,
        "announced_at": at,
        "nominations": [{"id": i, "won": i == winner} for i, _ in forecast],
        "forecast": forecast,
    }


def night(*categories):
    return {"categories": list(categories)}


def test_a_result_says_the_chance_the_forecast_gave_it():
    data = night(category("a", [[1, 0.62], [2, 0.38]], winner=2, at="2025-03-02T01:00"))
    assert odds.surprise(data, "a") == "The forecast gave it a 38% chance."


def test_the_favourite_winning_is_said_so():
    data = night(category("a", [[1, 0.82], [2, 0.18]], winner=1, at="2025-03-02T01:00"))
    assert odds.surprise(data, "a") == "The forecast gave it an 82% chance: the favourite won."


def test_a_shared_top_is_a_joint_favourite_and_even_odds_name_no_favourite():
    shared = night(category("a", [[1, 0.4], [2, 0.4], [3, 0.2]], winner=2, at="t"))
    assert odds.surprise(shared, "a") == "The forecast gave it a 40% chance: a joint favourite won."
    even = night(category("a", [[1, 0.5], [2, 0.5]], winner=2, at="t"))
    assert odds.surprise(even, "a") == "The forecast gave it a 50% chance."


def test_the_least_likely_result_so_far_is_the_biggest_surprise_of_the_night_so_far():
    data = night(
        category("a", [[1, 0.7], [2, 0.3]], winner=2, at="2025-03-02T01:00"),
        category("b", [[3, 0.88], [4, 0.12]], winner=4, at="2025-03-02T01:10"),
        category("c", [[5, 0.8], [6, 0.2]], winner=6, at="2025-03-02T01:20"),
    )
    assert odds.surprise(data, "a") == "The forecast gave it a 30% chance."
    assert odds.surprise(data, "b") == (
        "The forecast gave it a 12% chance: the biggest surprise of the night so far."
    )
    # Later, and less surprising than b: no superlative.
    assert odds.surprise(data, "c") == "The forecast gave it a 20% chance."


def test_no_result_or_no_forecast_says_nothing():
    data = night(category("a", [[1, 0.5], [2, 0.5]]), category("b", [], winner=None))
    assert odds.surprise(data, "a") == ""
    assert odds.surprise(data, "b") == ""


def test_the_forecasts_ballot_counts_its_favourites_among_the_results():
    data = night(
        category("a", [[1, 0.7], [2, 0.3]], winner=1, at="t1"),
        category("b", [[3, 0.6], [4, 0.4]], winner=4, at="t2"),
        category("c", [[5, 0.5], [6, 0.5]], winner=5, at="t3"),
        category("d", [[7, 0.9], [8, 0.1]]),
    )
    assert odds.ballot_text(data) == (
        "The forecast's ballot (its favourite in every category): 1.5 of 3 right."
    )


def test_chances_read_as_words():
    assert odds.chance(0.12) == "a 12% chance"
    assert odds.chance(0.08) == "an 8% chance"
    assert odds.chance(0.11) == "an 11% chance"
    assert odds.chance(0.001) == "less than a 1% chance"
