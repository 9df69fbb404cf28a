"""Text as every parser takes it from a file: read as UTF-8, each string checked (no NUL, no
other control character, no lone surrogate), bidi controls removed and whitespace collapsed, and
the length limits of the model fields it is stored in, and the records of a CSV file."""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from django.db.models import Model

from ceremony.importers.spec import ImportProblem
from ceremony.text import name_key, parse_number

# The years a ceremony or its films may fall in; anything else is a typo.
FIRST_YEAR, LAST_YEAR = 1900, 2100
# No award body has held more ceremonies; a larger number is a typo.
MAX_EDITION = 32767
# Invisible direction marks: they make equal names differ and can reorder what a reader sees.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# Control characters other than whitespace (which is collapsed), and lone surrogates.
_REFUSED = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff]")


def edition(value: str) -> int | None:
    """A ceremony number from a file (ASCII digits, 1 to MAX_EDITION), or None."""
    number = parse_number(value, max_digits=len(str(MAX_EDITION)), minimum=1)
    return number if number is not None and number <= MAX_EDITION else None


def stored_length(value: str) -> int:
    """The length a name takes once stored: as written, and as its key (NFKC and case folded:
    "ﬃ" is "ffi", "ß" is "ss"), which is kept whole. (Slugs are cut to their column.)"""
    return max(len(value), len(name_key(value)))


def too_long(value: str, limit: int) -> str:
    """ "is longer than N characters" (written, or `stored_length` once normalised) if the
    value does not fit a column of `limit` characters, else ""."""
    if len(value) > limit:
        return f"is longer than {limit} characters"
    if stored_length(value) > limit:
        return f"is longer than {limit} characters once normalised"
    return ""


def clean(value: str) -> str:
    """The text with bidi controls removed and whitespace collapsed; ValueError (its message
    fits after a field's name) for a NUL, another control character or a lone surrogate."""
    bad = _REFUSED.search(value)
    if bad:
        char = bad.group()
        if char == "\x00":
            raise ValueError("contains a NUL character")
        kind = "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
        raise ValueError(f"contains {kind} (U+{ord(char):04X})")
    if not value.isascii():
        value = _BIDI.sub("", value)
    return " ".join(value.split())


def shown(value: object, width: int = 60) -> str:
    """A value from a file, safe to put in a one-line message: printable, short."""
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(_BIDI.sub("", text).split())
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    text = _REFUSED.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= width else text[: width - 1] + "…"


@cache
def max_length(model: type[Model], field: str) -> int:
    return model._meta.get_field(field).max_length


def check_lengths(*checks: tuple[str, Iterable[str], type[Model], str]) -> None:
    """ImportProblem "<column> is longer than N characters" for the first value longer than
    its model field allows, as written or once normalised (`stored_length`); each check is
    (column, values, model, field)."""
    for column, values, model, field in checks:
        limit = max_length(model, field)
        for value in values:
            if problem := too_long(value, limit):
                raise ImportProblem(f"{column} {problem}")


def read_text(path: Path) -> str:
    """The whole file as text; ImportProblem naming the file if it cannot be read as UTF-8."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportProblem(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportProblem(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise ImportProblem(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ImportProblem(
            f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line})"
        ) from None


def csv_records(text: str, **dialect) -> Iterator[tuple[int, list[str] | ImportProblem]]:
    """(line, fields) per record of a CSV text read with `dialect` (the csv module's reader
    options); a record the csv module refuses comes as an ImportProblem."""
    reader = csv.reader(io.StringIO(text, newline=""), **dialect)
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                limit = csv.field_size_limit()
                exc = f"a cell is longer than {limit} characters (the csv module's limit)"
            yield reader.line_num, ImportProblem(str(exc))
            continue
        yield reader.line_num, fields
