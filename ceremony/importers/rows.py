"""What the CSV parsers produce: one row per nomination, before any identity is resolved."""

from collections import defaultdict
from dataclasses import dataclass, field


class ImportProblem(Exception):
    """A row that cannot be imported; the message names what is wrong with it."""


@dataclass
class Row:
    """One nomination as read from a file, before any identity is resolved."""

    line: int
    edition: int
    film_year: str
    category: str
    canonical: str
    competitive: bool
    films: list[tuple[str, str | None]]
    nominee: str
    people: list[tuple[str, str | None]]
    won: bool
    detail: str = ""
    song: bool = False


@dataclass
class ReadResult:
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: int = 0
    # Rows that are not nominations (the 1930s preliminary lists) or out of scope (television).
    ignored: int = 0

    def by_edition(self) -> dict[int, list[Row]]:
        groups: dict[int, list[Row]] = defaultdict(list)
        for row in self.rows:
            groups[row.edition].append(row)
        return dict(sorted(groups.items()))
