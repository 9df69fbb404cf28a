"""Deltas: what changed between two snapshots of a ceremony, so a reader already showing one
version is sent the next as a few hundred bytes instead of the whole snapshot.

Generic over the snapshot's structure (objects patched field by field, lists of rows keyed by
their identity, anything else replaced), so fields added to the snapshot later travel without a
change here. `static/ceremony/dom.js` (`patched`) applies them. The format, the rule for the base
version and the sizes measured: docs/protocol.md (*Deltas*).
"""

import json
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importable without Django set up: the drills' readers apply deltas too
    from ceremony.realtime.snapshots import Snapshot

# A list is a list of rows when each item is an object with one of these fields (the first
# present is its key) and no two share a key: categories, tallies, latest (slug), nominations,
# winners (id), records (kind).
IDENTITY = ("slug", "id", "kind")
# A new item of a list may be sent as a patch of one of this many first old items.
SIMILAR_CANDIDATES = 8


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def row_key(row: Any) -> str | None:
    """A row's key: its first `IDENTITY` field, a string or an integer (which read the same in
    JavaScript once written as a string; a float, a boolean or null do not)."""
    if isinstance(row, dict):
        for field in IDENTITY:
            if field in row:
                value = row[field]
                return value if type(value) is str else str(value) if type(value) is int else None
    return None


def _row_keys(rows: list) -> list[str] | None:
    keys = [row_key(row) for row in rows]
    if None in keys or len(set(keys)) != len(keys):
        return None
    return keys


def _same(old: Any, new: Any) -> bool:
    """Equal as JSON: `True` is not `1` here, as it is for Python's `==`."""
    if type(old) is not type(new):
        return False
    if isinstance(old, dict):
        return old.keys() == new.keys() and all(_same(old[k], new[k]) for k in old)
    if isinstance(old, list):
        return len(old) == len(new) and all(map(_same, old, new))
    return old == new


def change(old: Any, new: Any) -> Any:
    """The change from `old` to `new`, or None if there is none:

    - `[value]`: replaced by value (any JSON value);
    - an object, where `old` is an object: `{field: change}` for each field that changed, `[]`
      for a field removed;
    - an object, where `old` is a list: `{"order": [...], "rows": {key: change}}`. `order` (only
      if the list's members or their order changed) gives the new list, runs of old items as
      `[first index, count]` and each new item as `[item]`; `rows`, in a list of rows (items
      keyed by `IDENTITY`), has the change of each row kept that changed, by key. Items of any
      other list are matched by their whole value. A new item may also come as `[index, patch]`:
      the old item at index, patched (when that is shorter).

    Whichever is shorter as JSON, the patch or the replacement, is used."""
    if old == new and _same(old, new):  # most of a snapshot: compared in C first
        return None
    if isinstance(old, dict) and isinstance(new, dict):
        patch: dict[str, Any] = {}
        for field, value in new.items():
            if field not in old:
                patch[field] = [value]
            elif (sub := change(old[field], value)) is not None:
                patch[field] = sub
        for field in old.keys() - new.keys():
            patch[field] = []
    elif isinstance(old, list) and isinstance(new, list):
        patch = _list_change(old, new)
    else:
        return None if _same(old, new) else [new]
    if not patch:
        return None
    replacement = [new]
    return replacement if len(_dumps(patch)) >= len(_dumps(replacement)) else patch


def _list_change(old: list, new: list) -> dict[str, Any]:
    old_keys, new_keys = _row_keys(old), _row_keys(new)
    keyed = old_keys is not None and new_keys is not None
    if not keyed:
        old_keys, new_keys = [_dumps(item) for item in old], [_dumps(item) for item in new]
    where: dict[str, int] = {}
    for index, key in enumerate(old_keys):
        where.setdefault(key, index)
    order: list[list] = []
    rows: dict[str, Any] = {}
    for item, key in zip(new, new_keys, strict=True):
        index = where.get(key)
        if index is None:
            order.append(_new_item(old, item))
            continue
        last = order[-1] if order else None
        if last and len(last) == 2 and isinstance(last[1], int) and sum(last) == index:
            last[1] += 1
        else:
            order.append([index, 1])
        if keyed and (sub := change(old[index], item)) is not None:
            rows[key] = sub
    patch: dict[str, Any] = {}
    if order != [[0, len(old)]] and (old or new):
        patch["order"] = order
    if rows:
        patch["rows"] = rows
    return patch


def _new_item(old: list, item: Any) -> list:
    """A new item of a list, as `[item]`, or as `[index, patch]` (the old item at index, patched)
    where one of the first few old items makes that shorter: a new row is mostly like the others
    (a person's row, a record's holder)."""
    best = [item]
    size = len(_dumps(best))
    if isinstance(item, dict):
        for index, candidate in enumerate(old[:SIMILAR_CANDIDATES]):
            sub = change(candidate, item) if isinstance(candidate, dict) else None
            if isinstance(sub, dict) and len(_dumps(like := [index, sub])) < size:
                best, size = like, len(_dumps(like))
    return best


@dataclass(frozen=True)
class Delta:
    """The change from the snapshot at `base` to the one at `version`."""

    base: int
    version: int
    changes: Any

    @cached_property
    def message(self) -> str:
        """The websocket frame, serialized once per process for all the readers at `base`."""
        return (
            f'{{"type":"delta","base":{self.base},"version":{self.version},'
            f'"changes":{_dumps(self.changes)}}}'
        )


def between(old: "Snapshot", new: "Snapshot") -> Delta:
    return Delta(base=old.version, version=new.version, changes=change(old.data, new.data) or {})
