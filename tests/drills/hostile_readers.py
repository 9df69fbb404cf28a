"""Drill 4 (hostile readers).

CI runs it as tests; this script runs them by hand and reports.

Frames over 1 MiB, binary frames, invalid JSON, a write command, 1,000 frames per second from
one socket, a foreign Origin and no Origin, while a bystander reads; then a real write.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_drill \
    REDIS_URL=redis://127.0.0.1:6379/0 REDIS_PREFIX=drill \
    .venv/bin/python tests/drills/hostile_readers.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.drills.common import run_tests

if __name__ == "__main__":
    passed = run_tests(
        "drill 4 (hostile readers)",
        (
            "frames over 1 MiB, binary frames, invalid JSON, a write command, 1,000 frames "
            "per second from one socket, a foreign Origin and no Origin, while a bystander "
            "reads; then a real write"
        ),
        [
            "tests/test_drills.py::test_hostile_readers_are_cut_off_write_nothing_and_leave_other_readers_served",
            "tests/test_daphne_process.py::test_daphne_refuses_a_foreign_origin_and_closes_on_any_frame_or_an_oversized_one",
        ],
    )
    sys.exit(0 if passed else 1)
