"""How good the forecast was, season by season: each category scored as forecast before its
night (the walk forward), against the baselines. The scores: the favourite right (a share where
several nominees tie on top), the Brier score (the squared distance between the probabilities and
the result, summed over a category's nominees: 0 is perfect, 2 the worst) and the log loss (minus
the log of the probability given to the winner). Pure; the figures in docs/forecast.md come from
`report()`, run by `manage.py forecast_evaluate`.
"""

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ceremony.forecast.features import BIG_SIX, Group
from ceremony.forecast.fitting import Forecast

SINCE = 2000
# Probabilities are clipped here for the log loss, so a sure thing that lost costs ~14, not inf.
FLOOR = 1e-6
BINS = 10
GLOBE = "Golden Globe"


# Probabilities this close are the same probability (see `Scored.hit`).
TIE = 1e-9


@dataclass(frozen=True)
class Scored:
    """One announced category's forecast and result."""

    category_id: int
    year: int
    key: str
    probabilities: tuple[float, ...]
    won: tuple[bool, ...]

    @property
    def big(self) -> bool:
        return self.key in BIG_SIX

    @property
    def hit(self) -> float:
        top = max(self.probabilities)
        # Nominees the model cannot tell apart share the favourite's place: their probabilities
        # are equal but for rounding, which differs between machines (BLAS's order of sums).
        tops = [w for p, w in zip(self.probabilities, self.won, strict=True) if top - p <= TIE]
        return sum(tops) / len(tops)

    @property
    def brier(self) -> float:
        share = 1 / sum(self.won)
        return sum((p - share * w) ** 2 for p, w in zip(self.probabilities, self.won, strict=True))

    @property
    def log_loss(self) -> float:
        won = sum(p for p, w in zip(self.probabilities, self.won, strict=True) if w)
        return -math.log(max(won, FLOOR))

    @property
    def winner_probability(self) -> float:
        return min(p for p, w in zip(self.probabilities, self.won, strict=True) if w)


def _vote(group: Group, body: str) -> list[float] | None:
    """One body's call as probabilities: the nominees it picked here (never guessed) share its
    record in this category before tonight, the others the rest; None where it made no call."""
    n = len(group.ids)
    picks = [i for i, pk in enumerate(group.ids) if pk in group.body_won[body]]
    if not picks or len(picks) == n:
        return None
    rate = 1 / (1 + math.exp(-group.records[body]))
    return [rate / len(picks) if i in picks else (1 - rate) / (n - len(picks)) for i in range(n)]


def globe_baseline(group: Group) -> list[float]:
    """ "The Golden Globe winner": the Globe winners nominated here share the Globe's record in
    this category before tonight (smoothed, as the model's feature), the others the rest; no
    Globe winner nominated, every nominee alike."""
    vote = _vote(group, GLOBE) if GLOBE in group.records else None
    return vote or [1 / len(group.ids)] * len(group.ids)


def consensus_baseline(group: Group) -> list[float]:
    """The season's consensus: every body whose winner is nominated here votes for it with its
    record in this category (smoothed, as the model's feature) and spreads the rest over the
    other nominees; the category's probabilities are the bodies' average. Its favourite is the
    nominee with the most weight, as the season verdict's. No body with a call: all alike."""
    n = len(group.ids)
    votes = [v for body in sorted(group.records) if (v := _vote(group, body))]
    if not votes:
        return [1 / n] * n
    return [sum(v[i] for v in votes) / len(votes) for i in range(n)]


def scored(
    groups: Iterable[Group],
    forecasts: dict[int, Forecast],
    baseline: Callable[[Group], list[float]] | None = None,
) -> list[Scored]:
    """Every announced real category that the forecast covers, by the model or a baseline."""
    out = []
    for group in groups:
        forecast = forecasts.get(group.ceremony_id)
        if not (group.trains and group.announced and forecast):
            continue
        probabilities = baseline(group) if baseline else forecast.probabilities[group.category_id]
        out.append(
            Scored(
                group.category_id,
                group.date.year,
                group.key,
                tuple(probabilities),
                tuple(group.won),
            )
        )
    return out


def scores(rows: list[Scored]) -> dict[str, float]:
    n = len(rows)
    if not n:
        return {"categories": 0, "favourite": 0.0, "brier": 0.0, "log_loss": 0.0}
    return {
        "categories": n,
        "favourite": sum(r.hit for r in rows) / n,
        "brier": sum(r.brier for r in rows) / n,
        "log_loss": sum(r.log_loss for r in rows) / n,
    }


def big_since(rows: list[Scored], since: int = SINCE) -> list[Scored]:
    return [r for r in rows if r.big and r.year >= since]


def calibration(rows: list[Scored], bins: int = BINS) -> list[dict]:
    """Per band of forecast probability (0-10%, ... 90-100%): the nominees in it, the mean
    probability they were given and the share of them that won."""
    cells = defaultdict(lambda: [0, 0.0, 0])
    for row in rows:
        for p, w in zip(row.probabilities, row.won, strict=True):
            cell = cells[min(int(p * bins), bins - 1)]
            cell[0] += 1
            cell[1] += p
            cell[2] += w
    return [
        {
            "band": b,
            "low": b / bins,
            "high": (b + 1) / bins,
            "nominees": cells[b][0],
            "forecast": cells[b][1] / cells[b][0],
            "won": cells[b][2] / cells[b][0],
        }
        for b in range(bins)
        if cells[b][0]
    ]


def by_decade(rows: list[Scored]) -> list[dict]:
    decades = defaultdict(list)
    for row in rows:
        decades[row.year // 10 * 10].append(row)
    return [{"decade": d, **scores(decades[d])} for d in sorted(decades)]


def report(groups: list[Group], forecasts: dict[int, Forecast]) -> dict:
    """The figures docs/forecast.md gives: the model and the baselines, over all the categories
    forecast and over the six big ones since 2000; the calibration; the record per decade."""
    model = scored(groups, forecasts)
    globe = scored(groups, forecasts, globe_baseline)
    consensus = scored(groups, forecasts, consensus_baseline)
    return {
        "seasons": sorted({r.year for r in model}),
        "all": {"model": scores(model), "globe": scores(globe), "consensus": scores(consensus)},
        "big": {
            "model": scores(big_since(model)),
            "globe": scores(big_since(globe)),
            "consensus": scores(big_since(consensus)),
        },
        "calibration": calibration(model),
        "decades": by_decade(model),
    }


BEGIN = "<!-- figures: written by `manage.py forecast_evaluate`; do not edit by hand -->"
END = "<!-- end of figures -->"


def _score_row(name: str, s: dict) -> str:
    return (
        f"| {name} | {s['categories']} | {s['favourite']:.1%} | {s['brier']:.3f} | "
        f"{s['log_loss']:.3f} |"
    )


def markdown(figures: dict) -> str:
    """The figures as docs/forecast.md shows them, between its BEGIN and END markers."""
    seasons = figures["seasons"]
    lines = [
        BEGIN,
        "",
        f"Seasons forecast: the Oscars of {seasons[0]}–{seasons[-1]} ({len(seasons)} ceremonies),"
        " each by a model fitted only on the ceremonies before it.",
    ]
    names = {"model": "The forecast", "globe": "Baseline: the Golden Globe winner"}
    names |= {"consensus": "Baseline: the season's consensus"}
    for part, title in (
        ("all", "All categories"),
        ("big", f"The six big categories since {SINCE}"),
    ):
        lines += [
            "",
            f"**{title}**",
            "",
            "| | categories | favourite right | Brier | log loss |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        lines += [_score_row(names[k], v) for k, v in figures[part].items()]
    lines += [
        "",
        "**Calibration** (every nominee of every category forecast)",
        "",
        "| forecast | nominees | mean forecast | won |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {c['low']:.0%}–{c['high']:.0%} | {c['nominees']} | {c['forecast']:.1%} | "
        f"{c['won']:.1%} |"
        for c in figures["calibration"]
    ]
    lines += [
        "",
        "**Per decade** (the years the Oscars were held)",
        "",
        "| decade | categories | favourite right | Brier | log loss |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [_score_row(f"{d['decade']}s", d) for d in figures["decades"]]
    return "\n".join([*lines, "", END])
