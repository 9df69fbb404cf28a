"""The season-by-season evaluation: the scores on hand-made categories, and on the real archive
(../shared/data, imported once for the class) the figures docs/forecast.md gives, recomputed."""

import datetime as dt
import math

import pytest

from ceremony.forecast import evaluation, features, fitting
from ceremony.forecast.features import Group
from tests.support.archive import every_body
from tests.support.environment import PROJECT


def scored(probabilities, won, key="directing", year=2001):
    return evaluation.Scored(1, year, key, tuple(probabilities), tuple(won))


def test_the_favourite_is_right_when_it_won_and_shares_a_tie_on_top():
    assert scored([0.6, 0.4], [True, False]).hit == 1
    assert scored([0.6, 0.4], [False, True]).hit == 0
    assert scored([0.4, 0.4, 0.2], [False, True, False]).hit == 0.5


def test_a_tie_that_differs_only_by_rounding_is_still_a_tie():
    # Two nominees with the same features, summed in another order by another machine's BLAS.
    assert scored([0.4 + 2e-16, 0.4, 0.2], [False, True, False]).hit == 0.5
    assert scored([0.4 + 1e-6, 0.4, 0.2], [False, True, False]).hit == 0


def test_brier_and_log_loss_of_one_category():
    row = scored([0.5, 0.3, 0.2], [False, True, False])
    assert row.brier == pytest.approx(0.25 + 0.49 + 0.04)
    assert row.log_loss == pytest.approx(-math.log(0.3))
    # A tie: each winner's share of the result is a half.
    assert scored([0.5, 0.5], [True, True]).brier == pytest.approx(0)


def globe_group(record_logit: float) -> Group:
    """Four nominees: the Globe picked the first (with this record here), BAFTA (a 50% record)
    the third; a film-only Globe win shared between two nominees counts in no baseline."""
    return Group(
        category_id=1,
        ceremony_id=1,
        date=dt.date(2001, 3, 1),
        key="directing",
        trains=True,
        ids=[1, 2, 3, 4],
        features=[{}, {}, {}, {}],
        won=[False, True, False, False],
        body_won={"Golden Globe": {1}, "BAFTA": {3}, "Spirit": set()},
        body_shared={"Spirit": {2: 0.5, 4: 0.5}},
        records={"Golden Globe": record_logit, "BAFTA": 0.0, "Spirit": 2.0},
    )


def test_the_globe_baseline_gives_the_globe_winner_its_record():
    probabilities = evaluation.globe_baseline(globe_group(math.log(3)))  # a 75% record
    assert probabilities == pytest.approx([0.75, 0.25 / 3, 0.25 / 3, 0.25 / 3])


def test_the_consensus_averages_the_bodies_votes_weighted_by_their_records():
    probabilities = evaluation.consensus_baseline(globe_group(math.log(3)))
    # The Globe: 0.75 for its pick; BAFTA (a 50% record): 0.5 for its own; each spreads the rest.
    globe = [0.75, 0.25 / 3, 0.25 / 3, 0.25 / 3]
    bafta = [0.5 / 3, 0.5 / 3, 0.5, 0.5 / 3]
    assert probabilities == pytest.approx([(g + b) / 2 for g, b in zip(globe, bafta, strict=True)])
    assert sum(probabilities) == pytest.approx(1)


@pytest.fixture(scope="class")
def archive(django_db_setup, django_db_blocker):
    with every_body(django_db_blocker) as outputs, django_db_blocker.unblock():
        groups = features.read_groups()
        yield outputs, groups, fitting.walk_forward(groups)


# All its tests among the database ones: pytest-django runs those first, and a class split
# between the two groups would import its archive twice.
@pytest.mark.django_db
class TestOnTheRealArchive:
    def test_the_docs_figures_are_the_evaluations_recomputed(self, archive):
        _, groups, forecasts = archive
        figures = evaluation.markdown(evaluation.report(groups, forecasts))
        doc = (PROJECT / "docs" / "forecast.md").read_text(encoding="utf-8")
        assert figures in doc

    def test_the_forecast_beats_the_globe_baseline(self, archive):
        _, groups, forecasts = archive
        figures = evaluation.report(groups, forecasts)
        for part in ("all", "big"):
            assert figures[part]["model"]["brier"] < figures[part]["globe"]["brier"]
            assert figures[part]["model"]["log_loss"] < figures[part]["globe"]["log_loss"]

    def test_the_import_stored_the_same_odds_the_evaluation_scores(self, archive, db):
        from ceremony.forecast.models import Odds

        _, groups, forecasts = archive
        stored = dict(Odds.objects.values_list("nomination_id", "probability"))
        for group in groups[-100:]:
            forecast = forecasts[group.ceremony_id].probabilities[group.category_id]
            assert [stored[i] for i in group.ids] == pytest.approx(forecast)
