"""The model: a logistic regression (scikit-learn) on the nominees of past seasons, read as a
conditional logit, each category's probabilities the softmax of its nominees' scores; and the
walk forward, each ceremony's categories forecast by a model fitted only on the ceremonies held
before it. Why this model, and its figures: docs/forecast.md.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from ceremony.forecast.features import Group

# Regularisation (scikit-learn's C), chosen on the walk forward (docs/forecast.md): 0.3 keeps the
# favourites of C = 1 (the library's default) with a better Brier score and calibration; 0.1
# scores better still on Brier but loses favourites.
STRENGTH = 0.3
# Older seasons could weigh less (the precursors changed: SAG from 1995, Critics' Choice from
# 1996); a half-life of 10 years made the six big categories since 2000 worse (67.9% of
# favourites right, Brier 0.444, against 69.1% and 0.437 with every season alike), so none.
HALF_LIFE: float | None = None
# A ceremony is forecast once this many earlier categories with results can be learnt from.
MIN_TRAINING = 50


@dataclass(frozen=True)
class Forecast:
    """A ceremony's categories forecast: per category, its nominees' probabilities."""

    seasons: int  # the ceremonies the model learnt from
    probabilities: dict[int, list[float]]  # category id -> in its nominees' order


def _columns(groups: list[Group]) -> list[str]:
    return sorted({name for g in groups for f in g.features for name in f})


def _matrix(groups: list[Group], columns: list[str]) -> np.ndarray:
    return np.array(
        [[f.get(c, 0.0) for c in columns] for g in groups for f in g.features], dtype=float
    )


def fit(training: list[Group], on: dt.date | None = None) -> tuple[LogisticRegression, list[str]]:
    """The model fitted on these categories; with `on` (the date forecast), each season weighs
    half as much every HALF_LIFE years before it (None: all alike)."""
    columns = _columns(training)
    model = LogisticRegression(C=STRENGTH, max_iter=1000)
    weights = None
    if on is not None and HALF_LIFE:
        weights = np.array(
            [0.5 ** ((on - g.date).days / 365.25 / HALF_LIFE) for g in training for _ in g.ids]
        )
    model.fit(
        _matrix(training, columns),
        np.array([w for g in training for w in g.won]),
        sample_weight=weights,
    )
    return model, columns


def predict(model: LogisticRegression, columns: list[str], groups: list[Group]) -> list[list]:
    """Each group's probabilities: the softmax of its nominees' scores."""
    if not groups:
        return []
    scores = model.decision_function(_matrix(groups, columns))
    out, start = [], 0
    for group in groups:
        part = scores[start : start + len(group.ids)]
        start += len(group.ids)
        weights = np.exp(part - part.max())
        out.append((weights / weights.sum()).tolist())
    return out


def walk_forward(groups: list[Group]) -> dict[int, Forecast]:
    """Per ceremony, its forecast from the ceremonies held before its date; none for the first
    ones (fewer than MIN_TRAINING categories to learn from)."""
    by_date: dict[dt.date, list[Group]] = defaultdict(list)
    for group in groups:
        by_date[group.date].append(group)
    training: list[Group] = []
    seasons: set[int] = set()
    out: dict[int, Forecast] = {}
    for date in sorted(by_date):
        tonight = by_date[date]
        if len(training) >= MIN_TRAINING and len({w for g in training for w in g.won}) == 2:
            model, columns = fit(training, date)
            by_ceremony: dict[int, dict[int, list[float]]] = defaultdict(dict)
            for group, probabilities in zip(tonight, predict(model, columns, tonight), strict=True):
                by_ceremony[group.ceremony_id][group.category_id] = probabilities
            for ceremony_id, probabilities in by_ceremony.items():
                out[ceremony_id] = Forecast(seasons=len(seasons), probabilities=probabilities)
        learnt = [g for g in tonight if g.trains and g.announced]
        training += learnt
        seasons |= {g.ceremony_id for g in learnt}
    return out
