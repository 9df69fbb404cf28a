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


# --- numbers from outside (query strings, CSV cells, ceremony numbers, years, settings) -------

# Longer than any number the project reads; int() of 4,301 digits or more raises besides.
MAX_DIGITS = 9


def parse_number(text: object, *, max_digits: int = MAX_DIGITS, minimum: int = 0) -> int | None:
    """A number given by a user or a file: ASCII digits only ("²" and Arabic-Indic digits are
    not numbers here, though str.isdigit() says so), at most `max_digits` of them, at least
    `minimum`; None for anything else, never an exception."""
    if not isinstance(text, str) or not 0 < len(text) <= max_digits:
        return None
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value >= minimum else None


def parse_year(text: object) -> int | None:
    """A year (1 to 9999, as Python's dates and PostgreSQL's allow) given by a user or a file;
    None for anything else."""
    return parse_number(text, max_digits=4, minimum=1)


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


# --- search keys --------------------------------------------------------------------------------

_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii"]
_SPELLED = list(_NUMBERS)[1:14]  # "one" ... "thirteen"
# Each way a number in a title is written ("Part II", "Part 2", "Part Two"), by any of them.
_NUMERALS = {
    way: (str(n), roman, spelled)
    for n, (roman, spelled) in enumerate(zip(_ROMAN, _SPELLED, strict=True), start=1)
    for way in (str(n), roman, spelled)
    # "I" alone is a word more often than a number ("I, Tonya"); it stays itself.
    if way != "i"
}
# What a search tries besides the query itself: enough for any order of a person's names and
# the numerals of a title, few enough to stay a handful of index look-ups.
MAX_SEARCH_KEYS = 12


def search_keys(query: str) -> list[str]:
    """The folded keys (as `name_key`) a search for `query` matches names by, the query's own
    first: each numeral also as digits, Roman and in words ("godfather part 2" finds "The
    Godfather Part II"), and the words in every rotation ("cruz penelope" finds "Penélope
    Cruz"; "de niro robert" finds "Robert De Niro")."""
    words = name_key(query).split()
    if not words:
        return []
    orders = [words[i:] + words[:i] for i in range(len(words))] if len(words) <= 4 else [words]
    keys = {" ".join(words): None}
    for order in orders:
        variants = [[]]
        for word in order:
            # A numeral alone is no title: "2" would find every "two" inside a word.
            ways = _NUMERALS.get(word, (word,)) if len(words) > 1 else (word,)
            variants = [[*v, way] for v in variants for way in ways][:MAX_SEARCH_KEYS]
        keys.update(dict.fromkeys(" ".join(v) for v in variants))
    return list(keys)[:MAX_SEARCH_KEYS]


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


# --- text as readers see it (docs/archive.md, *Display text*) ------------------------------------

# Words a category name keeps in lower case (the bodies' own style: "Best Performance by an
# Actress in a Motion Picture, Drama"), except first or after a dash or an opening bracket.
_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or"}
    | {"over", "the", "to", "with"}
)
_EN_DASH = "\u2013"
_SPACED_HYPHEN = re.compile(r"\s+-{1,2}\s+")


def _is_shouting(text: str, least: int = 2) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= least and all(not ch.islower() for ch in letters)


def display_category_name(name: str) -> str:
    """A category's name as pages show it, whatever the source's casing: "Best Performance By
    An Actress In A Motion Picture - Drama" -> "Best Performance by an Actress in a Motion
    Picture, en dash, Drama" (the bodies' own dash, as in the JSON files); a name in capitals
    gets capitals on its words first."""
    text = _SPACED_HYPHEN.sub(f" {_EN_DASH} ", " ".join(name.split()))
    words = text.split(" ")
    if _is_shouting(_PARENTHESES.sub("", text)):
        # "MUSIC (Original Score)": the words in capitals, not the bracket's.
        words = [w[:1] + w[1:].lower() if _is_shouting(w) else w for w in words]
    out = []
    for i, word in enumerate(words):
        after_break = i == 0 or out[-1] in {_EN_DASH, "\u2014"} or out[-1].endswith(":")
        folded = word.casefold()
        if not after_break and folded in _SMALL_WORDS:
            word = folded
        elif word.startswith("(") and word[1:].casefold() in _SMALL_WORDS:
            word = "(" + word[1:2].upper() + word[2:]
        out.append(word)
    return " ".join(out)


def display_note(note: str) -> str:
    """A source's note as pages show it: one written in capitals ("THIS IS NOT AN OFFICIAL
    NOMINATION") in sentence case; any other as it came."""
    if not _is_shouting(note, least=4):
        return note
    lowered = note.lower()
    return re.sub(r"(^\s*|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), lowered)


def join_teams(credits: list[str]) -> str:
    """Several winners' credits in one line, each team kept whole: ["A, B and C", "D and E"]
    -> "A, B and C; D and E"; single names as "A and B"."""
    if any(", " in c or " and " in c or " & " in c for c in credits):
        return "; ".join(credits)
    return join_labels(credits)


def credited_as(nominee: str, names: list[str]) -> str:
    """A credit ("A, B and C") with each name that is a linked person's, but spelled another
    way ("Matiss Kaža" for Matīss Kaža), in that person's own spelling: one person, one name
    on every page."""
    if not nominee or not names:
        return nominee
    own = {name_key(n): n for n in names}
    for part in split_credit(nominee):
        spelled = own.get(name_key(part))
        if spelled and spelled != part:
            nominee = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", spelled, nominee, count=1)
    return nominee
