import pytest

from ceremony.pools import services, throttle
from tests.support.pools import draft_show


@pytest.fixture(autouse=True)
def _limits_in_memory(settings):
    """Each test counts from nothing, in this process's memory (test_throttle uses Redis)."""
    settings.POOL_RATE_STORAGE = "memory://"
    throttle._limiter.cache_clear()
    yield
    throttle._limiter.cache_clear()


@pytest.fixture
def show(db):
    """A small show before it starts (tests.support.pools.SHOW)."""
    return draft_show()


@pytest.fixture
def created(show):
    """A pool of the show, with a tiebreak question, and its manage secret."""
    return services.pool_create(ceremony_id=show.pk, name="Office", tiebreak_question="How many?")


@pytest.fixture
def pool(created):
    return created.pool
