"""Share cards: a 1200x630 PNG per result (and per ballot score), drawn here with Pillow and
Debian's DejaVu fonts, no outside service; kept in the cache by what it says, so each is drawn
once and a correction (which changes what it says) draws a new one (docs/sharing.md)."""

import hashlib
import io
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont

from ceremony.sharing.results import CardText

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
# Debian's fonts-dejavu-core (.ci/run installs it if missing).
FONTS = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"

BACKGROUND = (24, 22, 38)
GOLD = (232, 190, 92)
TEXT = (245, 243, 238)
MUTED = (190, 186, 200)
BADGES = {"Upset": (200, 58, 58), "Corrected": (176, 104, 16), "Withdrawn": (120, 120, 130)}
# Cards kept a week: each key is what the card says, so a kept card is never stale.
CACHE_SECONDS = 7 * 24 * 3600


@lru_cache(maxsize=64)
def font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size)


def wrap(draw: ImageDraw.ImageDraw, text: str, face, width: int) -> list[str]:
    """`text` in lines no wider than `width` (a word longer than that stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=face) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def fit(draw, text: str, bold: bool, sizes: tuple[int, ...], width: int, max_lines: int):
    """The largest of `sizes` at which `text` takes at most `max_lines` lines; the smallest
    size's first lines, the last cut with an ellipsis, if none does."""
    for size in sizes:
        face = font(bold, size)
        lines = wrap(draw, text, face, width)
        if len(lines) <= max_lines and all(draw.textlength(x, font=face) <= width for x in lines):
            return face, lines
    lines = lines[:max_lines]
    while lines[-1] and draw.textlength(lines[-1] + "…", font=face) > width:
        lines[-1] = lines[-1][:-1]
    lines[-1] += "…"
    return face, lines


def draw_card(text: CardText) -> bytes:
    """The card as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN
    draw.rectangle((0, 0, 16, HEIGHT), fill=GOLD)

    y = MARGIN
    face, lines = fit(draw, text.kicker.upper(), True, (26, 22), inner, 1)
    draw.text((MARGIN, y), lines[0], font=face, fill=GOLD)
    y += 48
    face, lines = fit(draw, text.title, False, (40, 34, 28), inner, 2)
    for line in lines:
        draw.text((MARGIN, y), line, font=face, fill=MUTED)
        y += face.size + 10
    y += 18

    face, lines = fit(draw, text.headline, True, (84, 72, 60, 50, 42), inner, 3)
    for line in lines:
        draw.text((MARGIN, y), line, font=face, fill=TEXT)
        y += face.size + 12
    if text.credit:
        face, lines = fit(draw, text.credit, False, (32, 28, 24), inner, 1)
        draw.text((MARGIN, y), lines[0], font=face, fill=MUTED)
        y += face.size + 12

    footer_y = HEIGHT - MARGIN - 30
    if text.verdict:
        room = max(1, (footer_y - 24 - y) // 36)
        face, lines = fit(draw, text.verdict, False, (28, 24), inner, min(3, room))
        vy = footer_y - 24 - len(lines) * (face.size + 8)
        for line in lines:
            draw.text((MARGIN, vy), line, font=face, fill=MUTED)
            vy += face.size + 8

    draw.text((MARGIN, footer_y), text.footer, font=font(True, 26), fill=GOLD)
    if text.badge:
        face = font(True, 28)
        width = int(draw.textlength(text.badge, font=face)) + 40
        box = (WIDTH - MARGIN - width, footer_y - 8, WIDTH - MARGIN, footer_y + 40)
        draw.rounded_rectangle(box, radius=10, fill=BADGES.get(text.badge, GOLD))
        draw.text((box[0] + 20, footer_y - 1), text.badge, font=face, fill=TEXT)

    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=6)
    return out.getvalue()


def card_key(text: CardText) -> str:
    return "sharing-card:" + hashlib.sha256(text.key.encode()).hexdigest()


def card_png(text: CardText) -> bytes:
    """The card, from the cache when one saying the same was drawn before."""
    key = card_key(text)
    png = cache.get(key)
    if png is None:
        png = draw_card(text)
        cache.set(key, png, CACHE_SECONDS)
    return png
