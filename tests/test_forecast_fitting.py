"""The walk forward: each ceremony forecast by a model fitted only on the ceremonies before it."""

import datetime as dt

from ceremony.forecast import fitting
from ceremony.forecast.features import Group


def group(
    n: int, date: dt.date, winner: int, favourite: int, ceremony: int, key: str = "directing"
) -> Group:
    """Five nominees; `favourite` has the precursor feature, `winner` won (-1: not announced)."""
    return Group(
        category_id=n,
        ceremony_id=ceremony,
        date=date,
        key=key,
        trains=True,
        ids=[10 * n + i for i in range(5)],
        features=[{"Golden Globe won": float(i == favourite)} for i in range(5)],
        won=[i == winner for i in range(5)],
        records={"Golden Globe": 0.0},
    )


def history(later_winner: int) -> list[Group]:
    """Sixty past categories where the precursor's pick won 45 times; then one ceremony to
    forecast; then a later one whose result varies."""
    past = [group(n, dt.date(1990, 3, 1), 0 if n % 4 else 1, 0, 1) for n in range(60)]
    tonight = group(100, dt.date(1991, 3, 1), 2, 2, 2)
    later = group(101, dt.date(1992, 3, 1), later_winner, 3, 3)
    return [*past, tonight, later]


def test_each_ceremony_is_forecast_from_the_ones_before_it_only():
    a = fitting.walk_forward(history(later_winner=3))
    b = fitting.walk_forward(history(later_winner=0))
    assert a[2].probabilities == b[2].probabilities
    assert a[2].seasons == 1
    assert a[3].seasons == 2


def test_the_precursors_pick_is_the_favourite_and_a_categorys_odds_sum_to_one():
    forecast = fitting.walk_forward(history(later_winner=3))[2].probabilities[100]
    assert max(forecast) == forecast[2]
    assert abs(sum(forecast) - 1) < 1e-12
    # Learnt from the past: the pick won 45 of 60 times, the other four shared 15.
    assert 0.6 < forecast[2] < 0.9


def test_the_first_ceremonies_get_no_forecast_until_there_is_enough_to_learn_from():
    groups = [group(n, dt.date(1990 + n, 3, 1), 0, 0, n) for n in range(fitting.MIN_TRAINING + 1)]
    forecasts = fitting.walk_forward(groups)
    assert sorted(forecasts) == [fitting.MIN_TRAINING]


def test_each_kind_of_category_is_forecast_by_what_its_own_past_says():
    """The same precursor win, in the acting categories where it held 3 times in 4, and in the
    other categories where it held 1 time in 4."""
    date = dt.date(1990, 3, 1)
    acting = [group(n, date, 0 if n % 4 else 1, 0, 1, "actor in a leading role") for n in range(60)]
    other = [group(n, date, 1 if n % 4 else 0, 0, 1, "film editing") for n in range(60, 120)]
    tonight = [
        group(200, dt.date(1991, 3, 1), -1, 0, 2, "actress in a leading role"),
        group(201, dt.date(1991, 3, 1), -1, 0, 2, "sound"),
    ]
    forecast = fitting.walk_forward([*acting, *other, *tonight])[2].probabilities
    assert forecast[200][0] > 0.6
    assert forecast[201][0] < 0.35
