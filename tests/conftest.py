"""Small builders shared by the tests. Real services, real database; nothing mocked."""

import copy
import json
import os
import uuid
from importlib import import_module
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connections

from ceremony import services
from ceremony.importers.json_file import ceremony_spec
from ceremony.models import Ceremony, Nomination
from ceremony.realtime import fanout, snapshots
from ceremony.text import name_key

IN_CI = os.environ.get("CI") == "true"
CHROMIUM = Path("/usr/bin/chromium")
DEMO = Path(__file__).resolve().parents[1] / "ceremony" / "demo"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def demo_data(name: str) -> dict:
    return json.loads((DEMO / name).read_text(encoding="utf-8"))


def ceremony_data(categories: dict[str, list], **fields) -> dict:
    """A ceremony in the import format. Nominees are "Film" or ("Film", "Nominee") or
    ("Film", "Nominee", True) for a winner."""
    rows = []
    for name, nominees in categories.items():
        entries = []
        for n in nominees:
            n = (n,) if isinstance(n, str) else n
            entries.append(
                {"film": n[0], "nominee": n[1] if len(n) > 1 else None, "won": len(n) > 2 and n[2]}
            )
        rows.append({"name": name, "nominees": entries})
    return {
        "ceremony": "1st Test Awards",
        "body": "Test Awards",
        "edition": 1,
        "date": "2025-03-02",
        "venue": "A hall",
        "categories": rows,
        **fields,
    }


def make_ceremony(categories: dict[str, list], *, status: str = "live", **fields) -> Ceremony:
    summary = services.ceremony_import(
        spec=ceremony_spec(ceremony_data(categories, **fields), source="test", with_results=False)
    )
    ceremony = summary.ceremony
    if status != ceremony.status:
        services.ceremony_set_status(ceremony_id=ceremony.pk, status="live", editor=None)
        if status == "final":
            services.ceremony_set_status(ceremony_id=ceremony.pk, status="final", editor=None)
    ceremony.refresh_from_db()
    return ceremony


def nomination(ceremony: Ceremony, category: str, who: str) -> Nomination:
    """The nomination in `category` whose nominee or film is `who`."""
    for n in Nomination.objects.filter(category__ceremony=ceremony, category__name=category):
        if name_key(who) in (name_key(n.nominee), name_key(n.film_title)):
            return n
    raise LookupError(f"{who!r} is not nominated in {category!r}")


def record(ceremony: Ceremony, category: str, *who: str, editor=None, **kwargs):
    noms = [nomination(ceremony, category, w) for w in who]
    return services.result_record(
        category_id=noms[0].category_id,
        nomination_ids=[n.pk for n in noms],
        editor=editor,
        tie=len(noms) > 1,
        **kwargs,
    )


def record_all(ceremony: Ceremony, results: dict, editor=None) -> None:
    """Record every winner of a results file, in the file's order."""
    for row in results["categories"]:
        winners = [n for n in row["nominees"] if n.get("won")]
        for n in winners:
            record_one = nomination(ceremony, row["name"], n["nominee"] or n["film"])
            assert record_one.film_title == n["film"]
        record(
            ceremony, row["name"], *[(n["nominee"] or n["film"]) for n in winners], editor=editor
        )


def editors_group() -> Group:
    """The Editors group as the data migrations leave it. A transactional test's flush empties
    every table, the migrations' data included, so a later such test may need it put back."""
    group, created = Group.objects.get_or_create(name="Editors")
    if created:
        migrations = "ceremony.migrations."
        granted = set(import_module(migrations + "0002_editors_group").EDITOR_PERMISSIONS)
        granted -= set(import_module(migrations + "0003_editors_desk_and_audit_only").REMOVED)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="ceremony", codename__in=granted)
        )
    return group


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
            if IN_CI:
                pytest.fail(f"CI requires this test to run, but it {reason}")
            pytest.skip(reason)


def redis_layer(**host) -> dict:
    # A prefix of its own per test: runs sharing one Redis never hear each other.
    prefix = f"{os.environ.get('REDIS_PREFIX', 'tracker')}-test-{uuid.uuid4().hex[:8]}"
    return {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "prefix": prefix,
                "hosts": [{"address": settings.REDIS_URL, **host}],
            },
        }
    }


def elsewhere(layer: str) -> dict:
    """A layer that no reader of this test listens to: its messages are lost."""
    if layer == "redis":
        return redis_layer()
    return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


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
    yield
    snapshots.cache.clear()


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
