"""Drill 6 (a write that fails after validation).

CI runs it as tests; this script runs them by hand and reports.

A PostgreSQL trigger refuses the audit entry the service writes after validating, writing the
result and bumping the version; a reader on a Daphne process listens past the fan-out periodic
check.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_drill \
    REDIS_URL=redis://127.0.0.1:6379/0 REDIS_PREFIX=drill \
    .venv/bin/python tests/drills/forced_rollback.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.drills.common import run_tests

if __name__ == "__main__":
    passed = run_tests(
        "drill 6 (a write that fails after validation)",
        (
            "a PostgreSQL trigger refuses the audit entry the service writes after "
            "validating, writing the result and bumping the version; a reader on a Daphne "
            "process listens past the fan-out periodic check"
        ),
        [
            "tests/test_drills.py::test_a_write_failing_after_validation_rolls_back_and_no_reader_receives_anything",
            "tests/test_consumers.py::test_a_rolled_back_write_sends_nothing",
            "tests/test_live.py::test_a_rolled_back_write_publishes_and_caches_nothing",
        ],
    )
    sys.exit(0 if passed else 1)
