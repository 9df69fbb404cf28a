"""Text rules shared by every layer: the keys names are matched by, category-name folding, credits
split into names, and lists joined for readers ("A, B and C"). Pure functions, no database.
"""

import re
import unicodedata


def name_key(value: str) -> str:
    """Fold a name for identity matching: accents, case, punctuation and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", " ", stripped.casefold()).strip()


def fold_category_name(name: str) -> str:
    """Case, spacing and en or em dashes (as hyphens) ignored."""
    return " ".join(name.replace("\u2013", "-").replace("\u2014", "-").casefold().split())


def is_song_category(name: str) -> bool:
    return "song" in name.casefold()


def split_credit(nominee: str) -> list[str]:
    """'A, B and C' -> ['A', 'B', 'C']."""
    parts = []
    for chunk in nominee.split(", "):
        parts.extend(chunk.split(" and "))
    return [p.strip() for p in parts if p.strip()]


def join_labels(labels: list[str]) -> str:
    """['A', 'B', 'C'] -> 'A, B and C'."""
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st, 22nd, 101st, 111th."""
    if n % 100 in (11, 12, 13):
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def describe_winners(state: dict, *, empty: str = "nothing recorded") -> str:
    """A category's result as the audit log stores it ({"winners": [...], "tie": ...}), in words."""
    labels = [w["label"] for w in state.get("winners", [])]
    if not labels:
        return empty
    return " and ".join(labels) + (" (tie)" if state.get("tie") else "")
