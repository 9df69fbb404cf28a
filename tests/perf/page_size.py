"""Bytes on the wire of the ceremony page and the API of the final 97th Academy Awards, plain
and gzip-compressed as the page cache sends them (Daphne, production settings).

Records every result of the 97th from the demo file, makes it final, starts one Daphne process
and fetches each URL until it comes from the page cache (the first answer, before the process
watches the ceremony, is not kept), with and without `Accept-Encoding: gzip`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_perf \
    REDIS_URL=redis://127.0.0.1:6379/0 REDIS_PREFIX=perf \
    .venv/bin/python tests/perf/page_size.py

The database named is flushed. Figures: docs/performance.md (*Compressed pages*).
"""

import argparse
import http.client
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.support import stack

FINAL = """
from ceremony import services
from ceremony.models import Ceremony
from tests.support.builders import demo_data, record_all
oscars = Ceremony.objects.get(slug="97th-academy-awards")
record_all(oscars, demo_data("oscars-97-results.json"))
services.ceremony_set_status(ceremony_id=oscars.pk, status="final", editor=None)
"""


def fetch(port: int, path: str, gzip: bool) -> tuple[int, str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return len(body), response.getheader("Content-Encoding") or "", response.getheader("Vary")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8660)
    args = parser.parse_args()
    env = stack.production_env()
    stack.prepare(env, static=False)
    stack.manage("shell", "--command", FINAL, env=env)
    workdir = Path(tempfile.mkdtemp(prefix="perf-page-size-"))
    server = stack.Server("daphne", args.port, env, workdir / "server.log", gc_log=False)
    server.start()
    try:
        for path in (f"/ceremonies/{stack.SLUG}/", f"/api/ceremonies/{stack.SLUG}/"):
            for _ in range(2):
                fetch(args.port, path, gzip=False)
            plain, _, _ = fetch(args.port, path, gzip=False)
            zipped, encoding, vary = fetch(args.port, path, gzip=True)
            print(
                f"{path}: {plain / 1000:.1f} KB plain, {zipped / 1000:.1f} KB with "
                f"Content-Encoding: {encoding or 'none'} (Vary: {vary})",
                flush=True,
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
