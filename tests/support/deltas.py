"""The delta applier in Python, for the tests, drills and benchmarks only: readers run `patched`
in static/ceremony/dom.js, which this mirrors, so the builder (ceremony/realtime/deltas.py) can be
checked against many write sequences without a browser, and a scripted reader can follow the
socket as a page does (`followed`)."""

from typing import Any

from ceremony.realtime.deltas import row_key


def patched(old: Any, change: Any) -> Any:
    if isinstance(change, list):
        return change[0]
    if isinstance(old, list):
        return _patched_rows(old, change)
    new = dict(old)
    for field, sub in change.items():
        if sub == []:
            del new[field]
        else:
            new[field] = patched(old.get(field), sub)
    return new


def _patched_rows(old: list, change: dict) -> list:
    rows = change.get("rows", {})
    new, added = [], set()
    for part in change.get("order", [[0, len(old)]]):
        if len(part) == 2 and isinstance(part[1], int):
            new.extend(old[part[0] : part[0] + part[1]])
        else:
            added.add(len(new))
            new.append(part[0] if len(part) == 1 else patched(old[part[0]], part[1]))
    return [
        patched(row, rows[key])
        if i not in added and (key := row_key(row)) is not None and key in rows
        else row
        for i, row in enumerate(new)
    ]


def frame_version(frame: dict) -> int | None:
    """The version a snapshot or delta frame brings; None for a heartbeat."""
    if frame["type"] == "snapshot":
        return frame["snapshot"]["version"]
    return frame["version"] if frame["type"] == "delta" else None


def followed(state: dict | None, frame: dict) -> dict:
    """The snapshot a reader showing `state` shows after a snapshot or delta frame. A delta
    applies to its base version only: anything else is the server's mistake, raised."""
    if frame["type"] == "snapshot":
        return frame["snapshot"]
    if state is None or frame["base"] != state["version"]:
        raise ValueError(
            f"a delta from {frame['base']} sent to a reader at {state and state['version']}"
        )
    return patched(state, frame["changes"])
