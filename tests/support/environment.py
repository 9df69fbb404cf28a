"""Where the project and its data are, what kind of run this is, and what a test does when this
machine lacks something it needs: skip here, fail in CI (CI must run everything)."""

import os
from pathlib import Path
from typing import NoReturn

import pytest

PROJECT = Path(__file__).resolve().parents[2]
DEMO = PROJECT / "ceremony" / "demo"
SHARED_DATA = PROJECT.parent / "shared" / "data"
IN_CI = os.environ.get("CI") == "true"
# Settings as production gives them (DEBUG off, a real secret key, a host name, PostgreSQL and
# Redis URLs), for the checks that start manage.py under them.
PRODUCTION = {
    "SECRET_KEY": "a-production-like-secret-key-that-is-long-and-random-4f9c2e",
    "ALLOWED_HOSTS": "awards.example.org",
    "DATABASE_URL": "postgres://tracker@db.example.org:5432/tracker",
    "REDIS_URL": "redis://redis.example.org:6379/0",
    "DEBUG": "false",
}


def unavailable(reason: str) -> NoReturn:
    """Skip the test, saying why (`reason` reads "needs ..."); in CI, fail it instead."""
    if IN_CI:
        pytest.fail(f"CI requires this test to run, but it {reason}")
    pytest.skip(reason)
