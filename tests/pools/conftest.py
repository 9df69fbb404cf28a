import pytest

from ceremony.pools import throttle


@pytest.fixture(autouse=True)
def _limits_in_memory(settings):
    """Each test counts from nothing, in this process's memory (test_throttle uses Redis)."""
    settings.POOL_RATE_STORAGE = "memory://"
    throttle._limiter.cache_clear()
    yield
    throttle._limiter.cache_clear()
