"""docs/forecast.md's screenshots, made again from the current code and fit: the 97th's page
with its odds before any result, after the night's first ten results and after every result
(its categories; the rehearsal copy, replayed with `replay_ceremony` from
../shared/data/oscars-97.json), and /forecast/ (the record and the calibration chart), each at
1366x900 and 390x844.

Needs the archive docs/forecast.md's figures are computed on, already imported (its "The
figures" section says how); nothing is flushed: only the 97th's rehearsal copy is written.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_archive \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python tests/perf/forecast_screenshots.py
"""

import json
import os
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "true")

from tests.perf.screenshots import DESKTOP, DOCS, PHONE, SERVER_ENV, shoot  # noqa: E402

RESULTS = PROJECT.parent / "shared" / "data" / "oscars-97.json"
DURING = 10  # results in for the "during" pictures


def replay(slug: str, data: dict, keep: set[str] | None, folder: Path) -> None:
    """The rehearsal copy reset and the file's winners recorded, only those of `keep`'s
    categories (None: all)."""
    from django.core.management import call_command

    from ceremony.text import name_key

    rows = []
    for row in data["categories"]:
        won = keep is None or name_key(row["name"]) in keep
        rows.append({**row, "nominees": [{**n, "won": won and n["won"]} for n in row["nominees"]]})
    path = folder / f"results-{len(rows)}-{'all' if keep is None else len(keep)}.json"
    path.write_text(json.dumps({**data, "categories": rows}), encoding="utf-8")
    call_command("replay_ceremony", slug, str(path), interval=0, verbosity=0)


def main():
    if not RESULTS.exists():
        sys.exit(f"{RESULTS} is missing: this needs ../shared/data.")
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    from ceremony import services
    from ceremony.models import Ceremony
    from ceremony.text import name_key
    from tests.support import stack
    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, off_loop
    from tests.support.servers import DaphneServer

    stack.manage(
        "collectstatic", "--no-input", "--verbosity", "0", env={**os.environ, **SERVER_ENV}
    )
    real = Ceremony.objects.get(body__name="Academy Awards", edition=97, rehearsal=False)
    data = json.loads(RESULTS.read_text(encoding="utf-8"))
    folder = Path(tempfile.mkdtemp(prefix="forecast-shots-"))
    replay(real.slug, data, set(), folder)  # the copy made, with the 97th's odds
    copy = Ceremony.objects.get(slug=services.rehearsal_slug(real.slug))
    # The file lists the categories in the night's running order.
    first = {name_key(row["name"]) for row in data["categories"][:DURING]}
    server = DaphneServer(env={**os.environ, **SERVER_ENV}).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for moment, keep in (("before", set()), ("during", first), ("after", None)):
                if keep != set():
                    # Playwright runs an event loop here: the writes go from a thread.
                    off_loop(replay, real.slug, data, keep, folder)
                for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                    path = DOCS / f"forecast-97-{moment}-{name}.png"
                    url = f"{server.url}{copy.get_absolute_url()}#categories-h"
                    shoot(browser, url, path, viewport, "main")
            for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                for part, anchor in (("", ""), ("-calibration", "#calibration")):
                    path = DOCS / f"forecast{part}-{name}.png"
                    shoot(browser, f"{server.url}/forecast/{anchor}", path, viewport, "main")
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
