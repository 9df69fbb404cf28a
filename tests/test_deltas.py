"""The delta between two snapshots (ceremony/realtime/deltas.py): applied to the version before,
it gives the version after, over random write sequences through the real write path; and it
carries only what changed. The applier here is the tests' Python mirror (tests/support/deltas.py)
of the one readers run (static/ceremony/dom.js, checked in tests/browser/test_live_deltas.py)."""

import json
import os
import random

import pytest

from ceremony.realtime import deltas, snapshots
from tests.support.builders import record
from tests.support.deltas import patched
from tests.support.writes import random_write

pytestmark = pytest.mark.django_db

STEPS = 30


def as_json(value) -> str:
    # Strict: Python's `==` takes True for 1.
    return json.dumps(value, sort_keys=True)


def test_each_delta_applied_to_the_version_before_gives_the_version_after(live_97, capsys):
    seed = int(os.environ.get("DELTA_SEED", random.randrange(2**32)))
    with capsys.disabled():
        print(f"\ndelta sequence seed: {seed} (DELTA_SEED={seed} repeats it)")
    rng = random.Random(seed)
    old = snapshots.current_snapshot(live_97)
    for step in range(STEPS):
        what = random_write(rng, live_97.pk, final=True)
        new = snapshots.current_snapshot(live_97)
        if new.version == old.version:
            continue  # the write was refused
        delta = deltas.between(old, new)
        frame = json.loads(delta.message)
        assert (frame["type"], frame["base"], frame["version"]) == (
            "delta",
            old.version,
            new.version,
        )
        after = patched(old.data, frame["changes"])
        assert as_json(after) == as_json(new.data), f"seed {seed}, step {step}: {what}"
        assert len(delta.message) < len(new.message) / 4, f"seed {seed}, step {step}: {what}"
        old = new


def test_a_result_sends_its_category_and_only_the_rows_it_changes(live_97):
    record(live_97, "Best Picture", "Anora")  # the first result also brings the night's records
    old = snapshots.current_snapshot(live_97)
    record(live_97, "Best Animated Feature", "Flow")
    new = snapshots.current_snapshot(live_97)

    delta = deltas.between(old, new)

    assert list(delta.changes["categories"]["rows"]) == ["best-animated-feature"]
    assert set(delta.changes["tallies"]["rows"]) == {"flow-2024"}
    assert delta.changes["progress"] == {"announced": [2]}
    assert "ceremony" not in delta.changes
    assert len(delta.message) < len(new.message) / 5


# Long enough that a patch is shorter than the whole value (else the whole value is sent).
FILLER = "x" * 80


def test_a_field_added_to_the_snapshot_later_travels_without_a_change_here():
    old = {
        "version": 1,
        "categories": [
            {"slug": "a", "name": FILLER, "precursor": {"status": "pending", "summary": FILLER}}
        ],
    }
    new = {
        "version": 2,
        "categories": [
            {
                "slug": "a",
                "name": FILLER,
                "precursor": {"status": "held", "summary": FILLER, "track": {"hits": 3, "of": 4}},
            }
        ],
    }

    changes = deltas.change(old, new)

    assert changes["categories"] == {
        "rows": {"a": {"precursor": {"status": ["held"], "track": [{"hits": 3, "of": 4}]}}}
    }
    assert patched(old, changes) == new


def test_a_reordered_list_of_rows_is_sent_as_runs_of_the_old_rows():
    old = [{"slug": s, "film": FILLER, "wins": 0} for s in "abcdefghij"]
    new = [old[i] for i in (0, 1, 2, 7, 3, 4, 5, 6, 8, 9)]
    new[3] = {**new[3], "wins": 1}

    changes = deltas.change(old, new)

    assert changes == {"order": [[0, 3], [7, 1], [3, 4], [8, 2]], "rows": {"h": {"wins": [1]}}}
    assert patched(old, changes) == new


def test_rows_added_and_removed_are_sent_by_key():
    old = [{"id": 1, "n": FILLER}, {"id": 2, "n": FILLER}, {"id": 3, "n": FILLER}]
    new = [old[0], {"id": 9, "n": "new"}, old[2]]

    changes = deltas.change(old, new)

    assert changes == {"order": [[0, 1], [{"id": 9, "n": "new"}], [2, 1]]}
    assert patched(old, changes) == new


def test_a_patch_longer_than_the_value_it_changes_is_sent_as_the_value():
    assert deltas.change([{"id": 1}], [{"id": 2}]) == [[{"id": 2}]]


def test_lists_without_row_keys_keep_items_by_value_and_values_of_another_type_are_replaced():
    base = {"name": FILLER}
    assert deltas.change({**base, "upsets": ["a"]}, {**base, "upsets": ["a", "b"]}) == {
        "upsets": [["a", "b"]]
    }
    holders = [{"person": {"slug": FILLER + str(n)}} for n in range(3)]
    assert deltas.change({"holders": holders}, {"holders": holders[1:]}) == {
        "holders": {"order": [[1, 2]]}
    }
    assert deltas.change({**base, "won": 1}, {**base, "won": True}) == {"won": [True]}
    assert deltas.change({**base, "correction": None}, {**base, "correction": {"was": []}}) == {
        "correction": [{"was": []}]
    }
    assert deltas.change({**base, "gone": 2}, base) == {"gone": []}
    assert deltas.change({"a": [1, True]}, {"a": [1, True]}) is None


def test_rows_are_keyed_only_by_strings_and_integers_which_javascript_reads_alike():
    # String(1.0) is "1" and String(null) "null" in JavaScript: such lists are matched by value.
    rows = [{"id": 1.0, "n": FILLER}, {"id": None, "n": FILLER}]
    changed = [{"id": 1.0, "n": "changed"}, rows[1]]

    changes = deltas.change(rows, changed)

    assert "rows" not in changes
    assert patched(rows, changes) == changed
