"""Drill 7: `manage.py check --deploy` under production settings reports 0 warnings.

Production settings as tests/support/environment.py gives them (DEBUG off, a real secret key, a host
name, PostgreSQL and Redis URLs); CI runs the same as
tests/test_settings.py::test_check_deploy_is_clean_under_production_settings.

    .venv/bin/python tests/drills/check_deploy.py
"""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.drills.common import result
from tests.support.environment import PRODUCTION, PROJECT
from tests.support.stack import PYTHON

if __name__ == "__main__":
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "SECURE_SSL"}
    done = subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=PROJECT,
        env={**env, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = (done.stdout + done.stderr).strip()
    print(f"manage.py check --deploy with {sorted(PRODUCTION)} set:\n  {output}")
    warnings = output.count("(security.W") + output.count("WARNINGS:")
    passed = result(
        "drill 7 (check --deploy)",
        {"0 warnings, no issues": done.returncode == 0 and "no issues" in output and not warnings},
    )
    sys.exit(0 if passed else 1)
