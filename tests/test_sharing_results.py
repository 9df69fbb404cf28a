"""What a result's page, card, feed entry and update say, from the snapshot."""

import pytest

from ceremony import services
from ceremony.realtime import snapshots
from ceremony.sharing.results import (
    ballot_card_text,
    result_card_text,
    result_of,
    scoreboard_order,
    shareable_results,
)
from tests.support.builders import nomination, record

pytestmark = pytest.mark.django_db


def snapshot_of(ceremony) -> dict:
    return snapshots.current_snapshot_of(ceremony.pk).data


def test_an_upset_card_names_the_ceremony_category_winner_credit_and_verdict(live_97, editor):
    record(live_97, "Best Actress", "Mikey Madison", editor=editor)

    text = result_card_text(result_of(snapshot_of(live_97), "best-actress"))

    assert text.kicker == "97th Academy Awards"
    assert text.title == "Best Actress"
    assert text.headline == "Mikey Madison"
    assert text.credit == "Anora"
    assert text.verdict == (
        "Upset: Golden Globe winners Fernanda Torres (I'm Still Here) and Demi Moore "
        "(The Substance) lost to Mikey Madison (Anora)."
    )
    assert text.badge == "Upset"


def test_a_corrected_card_says_what_it_was_and_why(live_97, editor):
    record(live_97, "Best Actress", "Demi Moore", editor=editor)
    right = nomination(live_97, "Best Actress", "Mikey Madison")
    services.result_correct(
        category_id=right.category_id, nomination_ids=[right.pk], editor=editor, reason="Misread"
    )

    text = result_card_text(result_of(snapshot_of(live_97), "best-actress"))

    assert text.headline == "Mikey Madison"
    assert text.badge == "Corrected"
    assert text.verdict == "Corrected: was Demi Moore. Reason: Misread"


def test_a_withdrawn_result_is_still_shareable_and_says_so(live_97, editor):
    category = record(live_97, "Best Picture", "Anora", editor=editor)
    services.result_withdraw(category_id=category.pk, editor=editor, reason="Not yet read")

    result = result_of(snapshot_of(live_97), "best-picture")

    assert result.shareable
    assert result.headline == "Result withdrawn"
    assert result_card_text(result).badge == "Withdrawn"


def test_results_are_listed_latest_update_first_and_unannounced_ones_left_out(live_97, editor):
    record(live_97, "Best Actress", "Mikey Madison", editor=editor)
    record(live_97, "Best Picture", "Anora", editor=editor)

    titles = [r.title for r in shareable_results(snapshot_of(live_97))]

    assert titles == ["Best Picture: Anora", "Best Actress: Mikey Madison"]
    assert result_of(snapshot_of(live_97), "no-such-category") is None


def test_the_embeds_rows_are_the_results_latest_first_then_those_to_come(live_97, editor):
    record(live_97, "Best Actress", "Mikey Madison", editor=editor)
    record(live_97, "Best Supporting Actor", "Kieran Culkin", editor=editor)

    rows = [r.slug for r in scoreboard_order(snapshot_of(live_97))]

    assert rows[:3] == ["best-supporting-actor", "best-actress", "best-animated-feature"]
    assert len(rows) == 23


def test_a_ballot_card_says_the_score_and_how_far_the_show_is(live_97, editor):
    record(live_97, "Best Picture", "Anora", editor=editor)

    text = ballot_card_text(snapshot_of(live_97), 1, 1)

    assert text.headline == "I called 1 of 1"
    assert text.verdict == "1 of 23 categories awarded so far."
