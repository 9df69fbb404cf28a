"""Pools test data: a small show before it starts, players joined through the services, results
recorded and corrected as the desk would, and the standings counted by hand."""

from ceremony import services as ceremony_services
from ceremony.models import Ceremony
from ceremony.pools import services
from ceremony.pools.models import Member
from tests.support.builders import make_ceremony, nomination

SHOW = {
    "Best Picture": ["Anora", "The Brutalist", "Conclave"],
    "Best Director": [("Anora", "Sean Baker"), ("The Brutalist", "Brady Corbet")],
    "Best Actress": [("Anora", "Mikey Madison"), ("The Substance", "Demi Moore")],
}


def draft_show(**fields) -> Ceremony:
    return make_ceremony(SHOW, status="draft", **fields)


def pick_of(ceremony: Ceremony, category: str, who: str) -> tuple[str, int]:
    n = nomination(ceremony, category, who)
    return n.category.slug, n.pk


def picks(ceremony: Ceremony, chosen: dict[str, str]) -> dict[str, int]:
    """{category name: nominee} as a ballot: {category slug: nomination id}."""
    return dict(pick_of(ceremony, category, who) for category, who in chosen.items())


def player(pool_id: int, name: str, ceremony: Ceremony, chosen: dict[str, str]) -> Member:
    return services.member_join(pool_id=pool_id, name=name, picks=picks(ceremony, chosen)).member


def go_live(ceremony: Ceremony) -> None:
    ceremony_services.ceremony_set_status(ceremony_id=ceremony.pk, status="live", editor=None)


def correct(ceremony: Ceremony, category: str, who: str) -> None:
    n = nomination(ceremony, category, who)
    ceremony_services.result_correct(
        category_id=n.category_id, nomination_ids=[n.pk], editor=None, reason="misread"
    )


def hand_count(ballots: dict[str, dict[str, str]], winners: dict[str, str]) -> dict[str, int]:
    """Each player's right picks, counted the plain way: one point a category."""
    return {
        name: sum(1 for category, who in chosen.items() if winners.get(category) == who)
        for name, chosen in ballots.items()
    }
