"""Odds for every envelope: a probability per Oscar nominee from the season's precursor results,
each ceremony forecast by a model fitted only on the seasons before it.

`features` reads the archive into one row per nominee, `fitting` fits and forecasts season by
season (scikit-learn), `evaluation` scores those forecasts, `odds` is the read side the snapshot
uses, `models` the stored probabilities. Writing them is `ceremony.services.forecast_fit`. The
model, the figures and why: docs/forecast.md.
"""
