"""Random writes through the real write path (ceremony.services), as editors make them on the
night: record, tie, correct, withdraw, reorder, note and status. For the tests that check a
reader's state after any sequence of them (tests/test_deltas.py, tests/browser/test_live_deltas.py).
"""

import random

from ceremony import services
from ceremony.models import Category, Ceremony

NOTES = ["", "A first win tonight.", "As at the Globes.", "Upset <b>& “quotes”</b>", "Ünïcödé ✓"]


def _categories(ceremony: Ceremony) -> list[Category]:
    return list(
        Category.objects.filter(ceremony=ceremony).in_order().prefetch_related("nominations")
    )


def random_write(
    rng: random.Random, ceremony_id: int, *, final: bool = False, want: str | None = None
) -> str:
    """Make one write that the ceremony's state allows, chosen at random (or `want`, one of the
    choices below, if the state allows it); say what it was. `final`: marking the ceremony
    final (and reopening it) is among the choices."""
    ceremony = Ceremony.objects.get(pk=ceremony_id)
    categories = _categories(ceremony)
    announced = [c for c in categories if any(n.won for n in c.nominations.all())]
    open_ = [c for c in categories if c not in announced and c.nominations.count() >= 2]
    choices = []
    if ceremony.status == "live":
        if open_:
            choices += ["record"] * 4 + ["tie"]
        if announced:
            choices += ["correct", "withdraw", "note"]
        if not announced:
            choices.append("draft")
        if final:
            choices.append("final")
    else:
        choices.append("live")
    if len(categories) > 1:
        choices.append("reorder")
    what = want if want in choices else rng.choice(choices)
    if what in ("record", "tie"):
        category = rng.choice(open_)
        nominations = list(category.nominations.all())
        winners = rng.sample(nominations, 2 if what == "tie" else 1)
        services.result_record(
            category_id=category.pk,
            nomination_ids=[n.pk for n in winners],
            tie=what == "tie",
            note=rng.choice(NOTES),
            editor=None,
        )
        return f"{what} {category.slug}"
    if what == "correct":
        category = rng.choice(announced)
        nominations = list(category.nominations.all())
        tie = len(nominations) > 2 and rng.random() < 0.2
        # A single winner other than the one recorded, or a tie.
        others = [n for n in nominations if not n.won] if not tie else nominations
        winners = rng.sample(others, 2 if tie else 1)
        try:
            services.result_correct(
                category_id=category.pk,
                nomination_ids=[n.pk for n in winners],
                tie=tie,
                reason=rng.choice(["Misread card", "Wrong envelope"]),
                note=rng.choice(NOTES),
                editor=None,
            )
        except services.ServiceError as refused:  # the same winners again
            return f"correct {category.slug} refused: {refused}"
        return f"correct {category.slug}"
    if what == "withdraw":
        category = rng.choice(announced)
        services.result_withdraw(category_id=category.pk, reason="Not yet read", editor=None)
        return f"withdraw {category.slug}"
    if what == "note":
        category = rng.choice(announced)
        try:
            note = rng.choice([n for n in NOTES if n != category.note])
            services.result_note(category_id=category.pk, note=note, editor=None)
        except services.ServiceError as refused:  # the same note again
            return f"note {category.slug} refused: {refused}"
        return f"note {category.slug}"
    if what == "reorder":
        category = rng.choice(categories)
        move = rng.choice(["up", "down", "next"])
        try:
            services.category_move(category_id=category.pk, move=move, editor=None)
        except services.ServiceError as refused:  # already first, last or announced
            return f"reorder {category.slug} {move} refused: {refused}"
        return f"reorder {category.slug} {move}"
    reason = "Reopened to fix a result" if ceremony.status == "final" else ""
    services.ceremony_set_status(ceremony_id=ceremony_id, status=what, editor=None, reason=reason)
    return f"status {what}"
