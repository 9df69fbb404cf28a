"""The model: logistic regressions (scikit-learn) on the nominees of past seasons, read as a
conditional logit, each category's probabilities the softmax of its nominees' scores; one model
per kind of category (acting; picture or director; other) and whether precursors are linked to
it; and the walk forward, each ceremony's categories forecast by models fitted only on the
ceremonies held before it. Why this model, and its figures: docs/forecast.md.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from ceremony.forecast.features import Group

# Regularisation (scikit-learn's C), chosen on the walk forward (docs/forecast.md).
STRENGTH = 0.2
# A model is fitted once this many earlier categories with results can be learnt from; a kind
# of category with fewer so far is forecast by the model of every category.
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


def _learnable(training: list[Group]) -> bool:
    return len(training) >= MIN_TRAINING and len({w for g in training for w in g.won}) == 2


def fit(training: list[Group]) -> tuple[LogisticRegression, list[str]]:
    """The model fitted on these categories."""
    columns = _columns(training)
    model = LogisticRegression(C=STRENGTH, max_iter=1000)
    model.fit(_matrix(training, columns), np.array([w for g in training for w in g.won]))
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
    """Per ceremony, its forecast from the ceremonies held before its date: each category by
    the model of its part (`Group.part`), or of every category while its part has too little to
    learn from; none for the first ceremonies (fewer than MIN_TRAINING categories in all)."""
    by_date: dict[dt.date, list[Group]] = defaultdict(list)
    for group in groups:
        by_date[group.date].append(group)
    training: list[Group] = []
    training_of: dict[tuple, list[Group]] = defaultdict(list)  # the same, by part
    seasons: set[int] = set()
    out: dict[int, Forecast] = {}
    for date in sorted(by_date):
        tonight = by_date[date]
        if _learnable(training):
            by_part: dict[tuple, list[Group]] = defaultdict(list)
            for group in tonight:
                by_part[group.part].append(group)
            by_ceremony: dict[int, dict[int, list[float]]] = defaultdict(dict)
            for part, forecast in by_part.items():
                learn = training_of[part]
                model, columns = fit(learn if _learnable(learn) else training)
                for group, probabilities in zip(
                    forecast, predict(model, columns, forecast), strict=True
                ):
                    by_ceremony[group.ceremony_id][group.category_id] = probabilities
            for ceremony_id, probabilities in by_ceremony.items():
                out[ceremony_id] = Forecast(seasons=len(seasons), probabilities=probabilities)
        learnt = [g for g in tonight if g.trains and g.announced]
        training += learnt
        for group in learnt:
            training_of[group.part].append(group)
        seasons |= {g.ceremony_id for g in learnt}
    return out
