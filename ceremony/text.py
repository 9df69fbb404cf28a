"""Text rules shared by every layer: the keys names are matched by, category-name folding, credits
split into names, and lists joined for readers ("A, B and C"). Pure functions, no database.
"""

import re
import unicodedata
from functools import cache, lru_cache

# Latin letters with no decomposition into a base letter and an accent.
_LATIN_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h"}
)
_ASCII_WORDS = re.compile(r"[a-z0-9]+")
# Letters, digits and the marks that belong to them (Devanagari vowel signs, for one).
_WORDS = re.compile(
    r"(?:[^\W_]|[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a"
    r"\u064b-\u065f\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u0981-\u0983"
    r"\u09bc-\u09d7\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u3099\u309a])+"
)


@cache
def is_latin(ch: str) -> bool:
    return ch.isascii() or unicodedata.name(ch, "").startswith("LATIN")


@lru_cache(maxsize=65536)
def name_key(value: str) -> str:
    """Fold a name for identity matching: case, spacing and punctuation ignored everywhere;
    accents ignored on Latin letters only ("Göransson" = "goransson"), so names in other scripts
    keep every letter and are never all one key. Never empty for a name with any letter or
    digit; a name of punctuation only keys as itself."""
    text = unicodedata.normalize("NFKC", value or "").casefold()
    if text.isascii():
        return " ".join(_ASCII_WORDS.findall(text)) or " ".join(text.split())
    letters: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and letters and is_latin(letters[-1]):
            continue
        letters.append(ch)
    text = unicodedata.normalize("NFC", "".join(letters)).translate(_LATIN_LETTERS)
    return " ".join(_WORDS.findall(text)) or " ".join(text.split())


_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def loose_name_key(value: str) -> str:
    """A looser key for names the two bodies spell differently: middle initials and Jr./Sr.
    dropped, spaces and doubled letters ignored ("J. Carroll Naish" = "J. Carrol Naish",
    "Morton DaCosta" = "Morton Da Costa"). Only ever used with evidence besides the name."""
    words = name_key(value).split()
    words = [w for i, w in enumerate(words) if w not in _SUFFIXES and (i == 0 or len(w) > 1)]
    return re.sub(r"(.)\1+", r"\1", "".join(words))


def fold_category_name(name: str) -> str:
    """Case, spacing and en or em dashes (as hyphens) ignored."""
    return " ".join(name.replace("\u2013", "-").replace("\u2014", "-").casefold().split())


def song_key(title: str) -> str:
    """A song's title for matching, its parenthesised subtitle left out: "Evergreen (Love Theme
    From A Star Is Born)" is "Evergreen", as the Golden Globes list it."""
    short = re.sub(r"\([^)]*\)", " ", title or "")
    return name_key(short) if name_key(short) else name_key(title)


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


# --- film titles across award bodies (docs/archive.md, "What is joined") ----------------------

_TRAILING_YEAR = re.compile(r"\s*(?:\(\d{4}\)|-\s*\d{4})$")
# "Way We Were, The", "Cage aux Folles, La": an article moved to the end by a listing.
_INVERTED_ARTICLE = re.compile(
    r"^(?P<rest>.+),\s*(?P<article>the|a|an|la|le|les|el|los|las|il|der|die|das)$", re.IGNORECASE
)
_NUMBERS = {
    **{
        w: str(n)
        for n, w in enumerate(
            [
                "zero",
                "one",
                "two",
                "three",
                "four",
                "five",
                "six",
                "seven",
                "eight",
                "nine",
                "ten",
                "eleven",
                "twelve",
                "thirteen",
                "fourteen",
                "fifteen",
                "sixteen",
                "seventeen",
                "eighteen",
                "nineteen",
                "twenty",
            ]
        )
    },
    **{r: str(n) for n, r in enumerate(["ii", "iii", "iv", "v", "vi", "vii", "viii"], start=2)},
}
# Abbreviations expand to every word they can stand for ("Dr." is Doctor or Drive).
_ABBREVIATIONS = {
    "blvd": ("boulevard",),
    "mr": ("mister",),
    "mrs": ("missus",),
    "vs": ("versus",),
    "pt": ("part",),
    "vol": ("volume",),
    "st": ("saint", "street"),
    "dr": ("doctor", "drive"),
}
_SUBTITLE = re.compile(r":\s+|\s+-\s+|\s*\.\.\.\s*")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_OR_ALTERNATIVE = re.compile(r"^(?P<a>.+?),?\s+or\s*\((?P<b>[^()]+)\)$", re.IGNORECASE)


def plain_title(title: str) -> str:
    """A title as a reader expects it: "Way We Were, The" -> "The Way We Were", a trailing
    "(1950)" or " - 1960" dropped."""
    title = _TRAILING_YEAR.sub("", " ".join(title.split()))
    match = _INVERTED_ARTICLE.match(title)
    return f"{match['article']} {match['rest']}" if match else title


def _word_keys(text: str, separator: str) -> set[str]:
    """The title's keys: folded, & as and, numbers as digits, abbreviations expanded (several
    keys where one is ambiguous), words joined by `separator`."""
    words = name_key(text.replace("&", " and ")).split()
    variants = [[]]
    for word in words:
        options = _ABBREVIATIONS.get(word, (_NUMBERS.get(word, word),))
        variants = [[*v, option] for v in variants for option in options]
    return {separator.join(v) for v in variants if v}


def title_keys(title: str) -> set[str]:
    """Keys under which two listings of one film's whole title are the same film (within a
    year of each other); spaces ignored ("Good Fellas" = "GoodFellas")."""
    return _word_keys(plain_title(title), "")


def title_spaced_keys(title: str) -> set[str]:
    """The whole title's keys with its words apart, which a part of another title must equal
    ("A Lien" is no part of "Alien: Romulus")."""
    return _word_keys(plain_title(title), " ")


def title_part_keys(title: str) -> set[str]:
    """Keys of a title's parts: the main title before a subtitle ("Star Wars: Episode IV - A
    New Hope"), each alternative title in parentheses ("The White Ribbon (Das weisse Band)"),
    "X or (Y)". A part joins only another listing's whole title, of the same year: two parts
    never join each other (the Lord of the Rings films would be one)."""
    title = plain_title(title)
    parts = [_PARENTHESES.sub(" ", title), *_PARENTHESES.findall(title)]
    if match := _OR_ALTERNATIVE.match(title):
        parts += [match["a"], match["b"]]
    for part in list(parts):
        pieces = _SUBTITLE.split(part)
        if len(pieces) > 1:
            parts += pieces
    keys = set().union(*(_word_keys(p, " ") for p in parts if p.strip()))
    return keys - title_spaced_keys(title)


# --- fields of work, for telling namesakes apart -----------------------------------------------

_FIELDS = [
    ("acting", ("actor", "actress", "performance", "new star", "juvenile", "henrietta")),
    ("directing", ("direct",)),
    ("writing", ("writ", "screenplay", "story", "title")),
    ("music", ("music", "score", "song", "scoring")),
    ("sound", ("sound",)),
    ("cinematography", ("cinematograph", "photograph", "color")),
    ("editing", ("editing",)),
    ("design", ("art direction", "production design", "costume", "makeup", "hair", "decoration")),
    ("effects", ("effects",)),
    ("picture", ("picture", "production", "film", "feature", "short", "documentary", "animated")),
]


def field_of(category_name: str) -> str:
    """The field of work a category's credits are in: acting, directing, writing, music ..."""
    folded = category_name.casefold()
    for name, words in _FIELDS:
        if any(w in folded for w in words):
            return name
    return "other"
