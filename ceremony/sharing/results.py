"""A result as the sharing side tells it: one category of a ceremony's snapshot, and the few
lines its page, card, feed entry and notification say (pure functions of the snapshot)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ceremony.text import join_teams


@dataclass(frozen=True)
class Result:
    """One category's result at one version of its ceremony."""

    ceremony: dict[str, Any]  # the snapshot's "ceremony"
    category: dict[str, Any]  # the snapshot's row of the category
    version: int

    @property
    def slug(self) -> str:
        return self.category["slug"]

    @property
    def name(self) -> str:
        return self.category["name"]

    @property
    def shareable(self) -> bool:
        """Announced, or withdrawn after an announcement: something happened to share."""
        return bool(self.category["announced"] or self.category["corrected_at"])

    @property
    def headline(self) -> str:
        winners = self.category["winners"]
        if not winners:
            return "Result withdrawn" if self.category["corrected_at"] else "Not announced yet"
        return join_teams([w["headline"] or w["label"] for w in winners])

    @property
    def credit(self) -> str:
        """The small print under the headline: who, for a film, or the film, for a person."""
        return join_teams([w["credit"] for w in self.category["winners"] if w["credit"]])

    @property
    def verdict(self) -> str:
        """Against the precursors: the Golden Globes' call, held, upset or none."""
        return self.category["precursor"]["summary"] if self.category["announced"] else ""

    @property
    def upset(self) -> bool:
        return self.category["announced"] and self.category["precursor"]["status"] == "upset"

    @property
    def correction(self) -> str:
        """ "Corrected: was X. Reason: ..." for a corrected or withdrawn result, else ""."""
        if not self.category["corrected_at"]:
            return ""
        fix = self.category["correction"] or {}
        line = "Corrected" if self.category["announced"] else "Withdrawn"
        if fix.get("was"):
            line += f": was {join_teams(fix['was'])}"
        line += "."
        if fix.get("reason"):
            line += f" Reason: {fix['reason']}"
        return line

    @property
    def announced_at(self) -> datetime | None:
        value = self.category["announced_at"]
        return datetime.fromisoformat(value) if value else None

    @property
    def updated_at(self) -> datetime | None:
        """The correction's time, else the announcement's."""
        value = self.category["corrected_at"] or self.category["announced_at"]
        return datetime.fromisoformat(value) if value else None

    @property
    def title(self) -> str:
        """ "Best Picture: Anora", as a feed entry, a notification and a page title say it."""
        return f"{self.name}: {self.headline}"

    @property
    def summary(self) -> str:
        """One paragraph: the winner, the credit, the verdict and the correction."""
        parts = [self.headline + (f" ({self.credit})" if self.credit else "") + "."]
        parts += [text for text in (self.verdict, self.correction) if text]
        return " ".join(parts)


def result_of(snapshot: dict[str, Any], category_slug: str) -> Result | None:
    """The category `category_slug` of the snapshot, or None if it has none by that slug."""
    for row in snapshot["categories"]:
        if row["slug"] == category_slug:
            return Result(snapshot["ceremony"], row, snapshot["version"])
    return None


def all_results(snapshot: dict[str, Any]) -> list[Result]:
    """Every category's result, in the show's order."""
    return [
        Result(snapshot["ceremony"], row, snapshot["version"]) for row in snapshot["categories"]
    ]


def shareable_results(snapshot: dict[str, Any]) -> list[Result]:
    """Every announced (or withdrawn) result, the latest first; those with no time (imported
    with the ceremony, not recorded on the night) after them, in the show's order."""
    results = [r for r in all_results(snapshot) if r.shareable]
    timed = sorted(
        (r for r in results if r.updated_at),
        key=lambda r: (r.updated_at, r.category["order"]),
        reverse=True,
    )
    return timed + [r for r in results if not r.updated_at]


def scoreboard_order(snapshot: dict[str, Any]) -> list[Result]:
    """The embed's rows: the results so far, the latest first, then those to come in the
    show's order (static/sharing/embed.js orders them the same way)."""
    done = shareable_results(snapshot)
    return done + [r for r in all_results(snapshot) if not r.shareable]


@dataclass(frozen=True)
class CardText:
    """Everything a share card says, line by line: what the card is drawn from, and what its
    cache key and tests read."""

    kicker: str  # the ceremony
    title: str  # the category, or "My ballot"
    headline: str  # the winner, or "I called 18 of 23"
    credit: str = ""
    verdict: str = ""
    badge: str = ""  # "Upset", "Corrected", "Withdrawn" or ""
    footer: str = "Awards tracker"

    @property
    def key(self) -> str:
        return "\x1f".join(
            [self.kicker, self.title, self.headline, self.credit, self.verdict, self.badge]
        )


def result_card_text(result: Result) -> CardText:
    badge = ""
    if result.category["corrected_at"]:
        badge = "Corrected" if result.category["announced"] else "Withdrawn"
    elif result.upset:
        badge = "Upset"
    verdict = result.correction if result.category["corrected_at"] else result.verdict
    return CardText(
        kicker=result.ceremony["name"],
        title=result.name,
        headline=result.headline,
        credit=result.credit,
        verdict=verdict,
        badge=badge,
    )


def ballot_card_text(snapshot: dict[str, Any], called: int, total: int) -> CardText:
    announced = snapshot["progress"]["announced"]
    return CardText(
        kicker=snapshot["ceremony"]["name"],
        title="My ballot",
        headline=f"I called {called} of {total}",
        verdict=f"{announced} of {snapshot['progress']['total']} categories awarded so far."
        if announced < snapshot["progress"]["total"]
        else "Every category awarded.",
    )
