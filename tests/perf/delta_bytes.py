"""Bytes sent per reader per result: the 97th Academy Awards replayed through the services, each
result's frame as READERS websockets of a Daphne process receive it.

Imports the 82nd Golden Globes and the 97th's nominees from ../shared/data (so upsets and records
are as on the night; with `--every-body` the other precursor bodies' IMDb awards files too, so
each category carries its season), starts Daphne as its own process (Redis layer), connects the
readers, then records the 23 results in the order presented, one every INTERVAL seconds, from
this process (the publish crosses Redis). Prints, per result, the frame each reader got (its type
and size), the whole snapshot's frame (what every reader got before deltas) and, for comparison, two
generic diffs of each snapshot against the one before, run with node from `--node-modules DIR`
(npm packages not used by the project): the Fossil delta of the JSON text that Centrifugo sends
(fossil-delta), and an RFC 6902 JSON Patch (fast-json-patch's `compare`); then the medians per
reader per result. Without `--node-modules`, the Fossil delta is estimated (8 bytes per copy, 4
per insert plus the text inserted). Prints figures; asserts nothing.

    npm install --prefix /tmp/fd fossil-delta@2.0.0 fast-json-patch@3.1.1   # optional
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_perf \
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python tests/perf/delta_bytes.py --readers 20 \
    --node-modules /tmp/fd/node_modules

The database named is created (and its tables flushed) by this script: never point it at real data.
"""

import argparse
import asyncio
import difflib
import itertools
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SHARED = PROJECT.parent / "shared" / "data"
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "true")
# JSON text cut after each separator: what the text diff matches (a character-level match of
# 40 KB texts takes minutes).
TOKEN = re.compile(r"[^,{}\[\]:]*[,{}\[\]:]|[^,{}\[\]:]+$")


def prepare(every_body: bool = False):
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    from ceremony import services
    from ceremony.importers.json_file import read_json_file

    services.ceremony_import(spec=read_json_file(SHARED / "golden-globes-82.json"))
    oscars = SHARED / "oscars-97.json"
    ceremony = services.ceremony_import(spec=read_json_file(oscars, with_results=False)).ceremony
    if every_body:
        # The season's other precursors (the snapshot's `season`), linked as import_awards
        # links them to the 97th.
        imdb = SHARED / "third_party" / "imdb-awards"
        files = [
            imdb / f"{n}.yml" for n in ("bafta", "actor-awards", "critics-choice", "spirit-awards")
        ]
        call_command("import_awards", *map(str, files), verbosity=0)
    services.ceremony_set_status(ceremony_id=ceremony.pk, status="live", editor=None)
    ceremony.refresh_from_db()
    return ceremony, json.loads(oscars.read_text(encoding="utf-8"))


def plan(ceremony, data):
    """(category id, category name, winner ids) per result, in the order presented."""
    from tests.support.builders import nomination

    results = []
    for row in data["categories"]:
        winners = [
            nomination(ceremony, row["name"], n["nominee"] or n["film"])
            for n in row["nominees"]
            if n["won"]
        ]
        results.append((winners[0].category_id, row["name"], [n.pk for n in winners]))
    return results


def estimated_diff_size(old: str, new: str) -> int:
    """A copy/insert delta of `new` against `old` (Fossil's kind), estimated from a token match."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    size = 0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            size += 8
        elif tag in ("replace", "insert"):
            size += 4 + sum(len(t.encode()) for t in b[j1:j2])
    return size


GENERIC = """
const { createDelta } = require(process.argv[1] + "/fossil-delta");
const { compare } = require(process.argv[1] + "/fast-json-patch");
const pairs = JSON.parse(require("fs").readFileSync(0, "utf8"));
const bytes = (text) => new TextEncoder().encode(text);
console.log(JSON.stringify(pairs.map(([a, b]) => [
  createDelta(bytes(a), bytes(b)).length,
  bytes(JSON.stringify(compare(JSON.parse(a), JSON.parse(b)))).length,
])));
"""


def generic_diff_sizes(texts: list[str], node_modules: str | None) -> dict[str, list[int]]:
    """Per generic diff, its size for each text against the one before."""
    pairs = list(itertools.pairwise(texts))
    if node_modules is None:
        return {"Fossil delta (estimated)": [estimated_diff_size(a, b) for a, b in pairs]}
    out = subprocess.run(
        ["node", "-e", GENERIC, node_modules],
        input=json.dumps(pairs),
        capture_output=True,
        text=True,
        check=True,
    )
    sizes = json.loads(out.stdout)
    return {
        "Fossil delta": [fossil for fossil, _ in sizes],
        "JSON Patch": [patch for _, patch in sizes],
    }


def write_all(results, interval: float, written: dict) -> None:
    from ceremony import services
    from ceremony.realtime import snapshots

    for category_id, name, ids in results:
        time.sleep(interval)
        category = services.result_record(
            category_id=category_id, nomination_ids=ids, editor=None, tie=len(ids) > 1
        )
        snap = snapshots.current_snapshot_of(category.ceremony_id)
        written[snap.version] = (name, snap.text)


def frame_sizes(frames: dict):
    """What a reader keeps: the connect snapshot's size, and each version's frame type and size."""

    def arrived(version: int, frame: str) -> None:
        kind = json.loads(frame)["type"] if version not in frames else "again"
        frames[version] = (kind, len(frame.encode()))

    def connected(frame: str) -> None:
        frames["connect"] = len(frame.encode())

    return arrived, connected


async def measure(args, ceremony, results):
    from tests.support.readers import read_versions, while_writing
    from tests.support.servers import DaphneServer, socket_url

    server = DaphneServer(env={**os.environ, "LOG_LEVEL": "WARNING"}).start()
    try:
        url = socket_url(server.url, ceremony.slug)
        until = ceremony.version + len(results)
        per_reader = [{} for _ in range(args.readers)]
        readies = [asyncio.Event() for _ in range(args.readers)]
        tasks = [
            asyncio.create_task(read_versions(url, server.url, until, ready, *frame_sizes(frames)))
            for frames, ready in zip(per_reader, readies, strict=True)
        ]
        written: dict[int, tuple[str, str]] = {}
        await while_writing(
            tasks, readies, lambda: write_all(results, args.interval, written), timeout=300
        )
    finally:
        server.stop()
    return per_reader, written


def report(args, per_reader, written):
    versions = sorted(written)
    generic = generic_diff_sizes([written[v][1] for v in versions], args.node_modules)
    sent, wholes, kinds = [], [], defaultdict(int)
    print(
        f"{'result':32} {'frame (median)':>15} {'snapshot':>9}"
        + "".join(f"{k:>15}" for k in generic)
    )
    for n, version in enumerate(versions):
        name, text = written[version]
        sizes = [frames[version][1] for frames in per_reader if version in frames]
        for frames in per_reader:
            if version in frames:
                kinds[frames[version][0]] += 1
        sent += sizes
        whole = len('{"type":"snapshot","snapshot":}') + len(text.encode())
        wholes.append(whole)
        others = "".join(f"{f'{v[n - 1]:,} B' if n else '-':>15}" for v in generic.values())
        print(f"{name[:32]:32} {statistics.median(sizes):>13,.0f} B {whole:>9,}{others}")
    connect = statistics.median(frames["connect"] for frames in per_reader)
    print(
        f"\n{args.readers} readers x {len(written)} results: frames {dict(kinds)}; per reader per "
        f"result: median {statistics.median(sent):,.0f} B, mean {statistics.mean(sent):,.0f} B, "
        f"max {max(sent):,} B; whole snapshots: median {statistics.median(wholes):,.0f} B; "
        f"connect snapshot {connect:,.0f} B"
    )
    for name, sizes in generic.items():
        print(f"{name}, the 22 results after the first: median {statistics.median(sizes):,.0f} B")
    ours = [statistics.median(frames[v][1] for frames in per_reader) for v in versions[1:]]
    print(f"These deltas, the same 22: median {statistics.median(ours):,.0f} B")
    print(f"Building a delta (once per result per process): median {build_time(written):.1f} ms")


def build_time(written) -> float:
    """The CPU time a process spends on the delta of each result after the first, in ms."""
    from ceremony.realtime import deltas, snapshots

    texts = [written[v][1] for v in sorted(written)]
    times = []
    for old, new in itertools.pairwise(texts):
        a, b = snapshots.Snapshot.from_text(old), snapshots.Snapshot.from_text(new)
        # CPU time: the other processes on the machine do not count against it.
        started = time.process_time()
        _ = deltas.between(a, b).message
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.3)
    parser.add_argument(
        "--node-modules", help="a folder holding the npm packages fossil-delta and fast-json-patch"
    )
    parser.add_argument(
        "--every-body",
        action="store_true",
        help="also import the IMDb awards files of the other precursor bodies (import_awards)",
    )
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL: the publish must cross processes through Redis.")
    ceremony, data = prepare(args.every_body)
    results = plan(ceremony, data)
    from django.db import connections

    connections.close_all()
    per_reader, written = asyncio.run(measure(args, ceremony, results))
    report(args, per_reader, written)


if __name__ == "__main__":
    main()
