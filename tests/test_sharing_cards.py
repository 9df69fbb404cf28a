"""Share cards: 1200x630 PNGs, whatever the length of what they say; kept by what they say."""

import io

from django.core.cache import cache
from PIL import Image, ImageDraw

from ceremony.sharing import cards
from ceremony.sharing.results import CardText

CARD = CardText(
    kicker="97th Academy Awards",
    title="Best Supporting Actor",
    headline="Kieran Culkin",
    credit="A Real Pain",
    verdict="As the Golden Globes predicted: Kieran Culkin (A Real Pain) won.",
)


def test_a_card_is_a_1200_by_630_png():
    image = Image.open(io.BytesIO(cards.draw_card(CARD)))

    assert image.format == "PNG"
    assert image.size == (1200, 630)


def test_a_headline_too_long_for_three_lines_is_cut_with_an_ellipsis_inside_the_card():
    image = Image.new("RGB", (10, 10))
    draw = ImageDraw.Draw(image)
    long = " ".join(["Supercalifragilistic"] * 30)

    face, lines = cards.fit(draw, long, True, (84, 42), 1072, 3)

    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(draw.textlength(line, font=face) <= 1072 for line in lines)


def test_cards_saying_the_same_are_drawn_once_and_others_anew(monkeypatch):
    cache.clear()
    drawn = []
    real = cards.draw_card
    monkeypatch.setattr(cards, "draw_card", lambda text: drawn.append(text) or real(text))
    corrected = CardText(**{**CARD.__dict__, "headline": "Yura Borisov", "badge": "Corrected"})

    first = cards.card_png(CARD)
    again = cards.card_png(CARD)
    other = cards.card_png(corrected)

    assert first == again
    assert other != first
    assert drawn == [CARD, corrected]
