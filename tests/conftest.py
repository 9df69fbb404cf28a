"""The suite's fixtures and hooks: a missing service skips a test (fails it in CI), the demo
ceremonies, an editor, the channel layer under test, and a Daphne process of the test's own. The
helpers they are built on are in tests/support."""

import copy

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from ceremony import history, services
from ceremony.importers.json_file import ceremony_spec
from ceremony.models import Ceremony
from ceremony.realtime import fanout, snapshots
from tests.support.browser import CHROMIUM
from tests.support.builders import demo_data, editors_group
from tests.support.environment import unavailable
from tests.support.layers import elsewhere
from tests.support.servers import DaphneServer


def _missing(marker: str) -> str | None:
    """Why a test with this marker cannot run here, or None."""
    if marker == "postgres" and not settings.IS_POSTGRES:
        return "needs PostgreSQL (set DATABASE_URL=postgres://...)"
    if marker == "redis" and not settings.REDIS_URL:
        return "needs the Redis channel layer (set REDIS_URL=redis://...)"
    if marker == "browser" and not CHROMIUM.exists():
        return "needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    return None


def pytest_runtest_setup(item):
    # Locally a missing service skips, with the reason; in CI it fails: CI must run everything.
    for marker in ("postgres", "redis", "browser"):
        if item.get_closest_marker(marker) and (reason := _missing(marker)):
            unavailable(reason)


@pytest.fixture(
    params=["memory", pytest.param("redis", marks=pytest.mark.redis)],
)
def layer(request, settings):
    settings.CHANNEL_LAYERS = elsewhere(request.param)
    return request.param


@pytest.fixture
async def fanout_pushes_only(monkeypatch):
    """The fan-out without its periodic check, which would hide a lost publish; and, after the
    test, no reader left subscribed (even a failed test's), its subscriber stopped before the
    test database goes."""
    monkeypatch.setattr(fanout, "RESYNC_SECONDS", 3600)
    yield
    hub = fanout.current()
    for ceremony_id, readers in list(hub.readers.items()):
        for reader in list(readers):
            await hub.leave(ceremony_id, reader)
    # The consumers' queries ran in Channels' database thread: close its connections there, or
    # the test database cannot be dropped at the end.
    await sync_to_async(connections.close_all)()


@pytest.fixture(scope="session", autouse=True)
def _collected_static():
    # Pages name static files by their content hash, as in production: that needs the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_snapshot_cache():
    # Test databases reuse ids and versions; a snapshot cached by another test is not this one's.
    snapshots.cache.clear()
    history.cache.clear()
    yield
    snapshots.cache.clear()
    history.cache.clear()


@pytest.fixture
def editor(db, django_user_model):
    user = django_user_model.objects.create_user(
        "editor", password="correct horse battery staple", is_staff=True
    )
    user.groups.add(editors_group())
    return user


@pytest.fixture
def globes_82(db) -> Ceremony:
    return services.ceremony_import(
        spec=ceremony_spec(demo_data("golden-globes-82.json"), source="golden-globes-82.json")
    ).ceremony


@pytest.fixture
def oscars_97(db, globes_82) -> Ceremony:
    """The 97th Academy Awards before the show: nominees only, linked to the 82nd Globes."""
    return services.ceremony_import(
        spec=ceremony_spec(
            demo_data("oscars-97-nominees.json"),
            source="oscars-97-nominees.json",
            with_results=False,
        )
    ).ceremony


@pytest.fixture
def live_97(oscars_97, editor) -> Ceremony:
    services.ceremony_set_status(ceremony_id=oscars_97.pk, status="live", editor=editor)
    oscars_97.refresh_from_db()
    return oscars_97


@pytest.fixture
def results_97() -> dict:
    return copy.deepcopy(demo_data("oscars-97-results.json"))


@pytest.fixture
def daphne(tmp_path):
    """A Daphne process of the test's own, as production runs it, on the test database and
    channel layer; its URL."""
    server = DaphneServer(log_path=tmp_path / "daphne.log")
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
async def close_async_orm_connections():
    yield
    # The async ORM ran in asgiref's thread: close its connection there, or the test database
    # cannot be dropped at the end.
    await sync_to_async(connections.close_all)()
