"""The test suite. pytest rewrites the asserts of the shared helpers (tests/support) as it does a
test module's or a conftest.py's, so a failing one reports the values it compared."""

import pytest

pytest.register_assert_rewrite("tests.support")
