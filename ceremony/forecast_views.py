"""The forecast's record in the archive: how often its favourite won, its Brier score and log
loss, overall and for the six big categories since 2000, its calibration (a server-drawn SVG),
its record per decade and the most surprising results by it. Read from the stored odds (each
category's as they stood before its night); the figures' why: docs/forecast.md.
"""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from ceremony.forecast import odds
from ceremony.scoreboard import is_film_level

# The calibration chart: a square plot with room for the axes' labels.
PLOT = {"left": 48, "top": 12, "size": 300, "bottom": 40}


def calibration_chart(cells: list[dict]) -> dict:
    """Each band of forecast probability as a point at (mean forecast, share won), its area by
    the nominees in it, over the diagonal a perfect forecast would lie on."""
    left, top, size = PLOT["left"], PLOT["top"], PLOT["size"]
    most = max((c["nominees"] for c in cells), default=1)

    def x(p: float) -> float:
        return round(left + p * size, 1)

    def y(p: float) -> float:
        return round(top + (1 - p) * size, 1)

    points = [
        {
            "x": x(c["forecast"]),
            "y": y(c["won"]),
            "r": round(3 + 9 * (c["nominees"] / most) ** 0.5, 1),
            "title": f"Forecast {c['low']:.0%}–{c['high']:.0%}: {c['nominees']} nominees given "
            f"{c['forecast']:.0%} on average, {c['won']:.0%} of them won",
        }
        for c in cells
    ]
    ticks = [{"label": f"{t}%", "x": x(t / 100), "y": y(t / 100)} for t in range(0, 101, 20)]
    return {
        "width": left + size + 24,
        "height": top + size + PLOT["bottom"],
        "points": points,
        "line": " ".join(f"{p['x']},{p['y']}" for p in points),
        "ticks": ticks,
        "diagonal": {"x1": x(0), "y1": y(0), "x2": x(1), "y2": y(1)},
        "axis_y": top + size,
        "left": left,
        "right": left + size,
        "label_x": left + size / 2,
        "label_y": top + size + 34,
    }


@require_safe
def forecast_page(request):
    """GET /forecast/: the forecast's record, from the stored odds of every held Oscar ceremony."""
    figures = odds.record(odds.finished())
    surprises = [
        {
            "odds": o,
            "chance": odds.chance(o.probability),
            "ceremony": o.nomination.category.ceremony,
            "category": o.nomination.category,
            # A film-level category's winner is its film, not its producers.
            "winner": o.nomination.film_title
            if is_film_level(o.nomination.category.name) and o.nomination.film_title
            else str(o.nomination),
        }
        for o in odds.most_surprising()
    ]
    return render(
        request,
        "ceremony/forecast.html",
        {
            "figures": figures,
            "chart": calibration_chart(figures["calibration"]),
            "surprises": surprises,
        },
    )
