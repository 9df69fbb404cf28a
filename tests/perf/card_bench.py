"""Share cards: how long one takes to draw, and to serve once drawn (docs/performance.md,
*Share cards*).

Draws the card of each of the 97th Academy Awards' 23 results (ceremony/demo, the winners'
names as headlines, their films as credits, a verdict line) ROUNDS times with
`cards.draw_card`, and times each; then serves each from the cache (`cards.card_png`, the
second call). The floor, timed in the same run: a blank 1200x630 image encoded as PNG, the
least any card costs. Prints the medians and their ratio to the floor. The texts stand in for
real ones (the same lengths); docs/share-card.png is a real result's card. Needs no database;
asserts nothing.

    DEBUG=true .venv/bin/python tests/perf/card_bench.py --rounds 5
"""

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "true")


def demo_cards():
    from ceremony.sharing.results import CardText

    data = json.loads((PROJECT / "ceremony/demo/oscars-97-results.json").read_text())
    texts = []
    for category in data["categories"]:
        winners = [n for n in category["nominees"] if n["won"]]
        film_level = not any(n["nominee"] for n in winners) or "Picture" in category["name"]
        names = " and ".join(n["film"] if film_level else n["nominee"] for n in winners)
        credit = "" if film_level else " and ".join(n["film"] for n in winners)
        texts.append(
            CardText(
                kicker=data["ceremony"],
                title=category["name"],
                headline=names,
                credit=credit,
                # A line of a real verdict's length; the badge drawn on every fifth card.
                verdict=f"{names} won {category['name']} at the {data['ceremony']}.",
                badge="Upset" if len(texts) % 5 == 0 else "",
            )
        )
    return texts


def floor() -> None:
    from PIL import Image

    Image.new("RGB", (1200, 630), (24, 22, 38)).save(io.BytesIO(), "PNG", compress_level=6)


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - start) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.cache import cache

    from ceremony.sharing import cards

    texts = demo_cards()
    cards.draw_card(texts[0])  # fonts loaded once per process
    draws, floors, served = [], [], []
    for _ in range(args.rounds):
        cache.clear()
        for text in texts:
            floors.append(timed(floor))
            draws.append(timed(cards.draw_card, text))
            cards.card_png(text)
            served.append(timed(cards.card_png, text))
    draw, low, hit = (statistics.median(x) for x in (draws, floors, served))
    print(f"cards: {len(texts)} texts x {args.rounds} rounds")
    print(f"draw   median {draw:6.1f} ms  (max {max(draws):.1f} ms)")
    print(f"floor  median {low:6.1f} ms  (a blank 1200x630 PNG)")
    print(f"ratio  {draw / low:.1f}x the floor")
    print(f"cached median {hit:6.3f} ms")


if __name__ == "__main__":
    main()
