"""Drill 5 (two editors at the same moment, 100 times).

CI runs it as tests; this script runs them by hand and reports.

Two threads record (or withdraw) the same category from the same revision behind a barrier, 100
rounds, on PostgreSQL, while a reader on a Daphne process collects every version.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_drill \
    REDIS_URL=redis://127.0.0.1:6379/0 REDIS_PREFIX=drill \
    .venv/bin/python tests/drills/two_editors.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.drills.common import run_tests

if __name__ == "__main__":
    passed = run_tests(
        "drill 5 (two editors at the same moment, 100 times)",
        (
            "two threads record (or withdraw) the same category from the same revision behind "
            "a barrier, 100 rounds, on PostgreSQL, while a reader on a Daphne process "
            "collects every version"
        ),
        [
            "tests/test_drills.py::test_two_editors_racing_100_times_one_saves_one_conflicts_readers_see_each_version_once",
            "tests/test_admin.py::test_two_editors_at_once_on_postgres_one_records_and_the_other_gets_the_conflict",
        ],
    )
    sys.exit(0 if passed else 1)
