"""/healthz: what a load balancer polls. 200 while the database and Redis answer, else 503."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from tests.support.environment import PROJECT
from tests.support.servers import free_port, server_env

# A process of its own, so the service it cannot reach is the one it was configured with.
PROBE = (
    "import django; django.setup(); from django.test import Client; "
    "r = Client(HTTP_HOST='localhost').get('/healthz'); "
    "print(r.status_code); print(r.content.decode())"
)


def probe(**env: str) -> tuple[int, dict, str]:
    """GET /healthz in a fresh process on the test database, with `env` on top."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT,
        env={**server_env(), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.splitlines()[-2:]
    return int(status), json.loads(body), body


@pytest.mark.django_db
def test_healthy_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["version"] == settings.APP_VERSION
    assert body["redis"] == ("ok" if settings.REDIS_URL else "not configured")
    assert response["Cache-Control"] == "no-store"


@pytest.mark.redis
@pytest.mark.django_db
def test_reports_redis_reachable(client):
    assert client.get("/healthz").json()["redis"] == "ok"


@pytest.mark.django_db
def test_unavailable_when_the_database_is_unreachable():
    status, body, _ = probe(DATABASE_URL=f"postgres://tracker@127.0.0.1:{free_port()}/tracker")

    assert status == 503
    assert body["status"] == "unavailable"
    assert body["database"] == "unreachable"


@pytest.mark.django_db
def test_unavailable_when_redis_is_unreachable_and_names_no_secret():
    redis_url = f"redis://:redis-password-here@127.0.0.1:{free_port()}/0"
    secret = "a-secret-that-must-never-be-shown-0123456789"

    status, body, text = probe(REDIS_URL=redis_url, SECRET_KEY=secret)

    assert status == 503
    assert body["redis"] == "unreachable"
    assert body["database"] == "ok"
    for leak in (secret, "redis-password-here", "127.0.0.1"):
        assert leak not in text


@pytest.mark.django_db
def test_version_comes_from_the_deploy():
    status, body, _ = probe(APP_VERSION="deploy-4f9c2e1")

    assert status == 200
    assert body["version"] == "deploy-4f9c2e1"


@pytest.mark.django_db
def test_not_redirected_to_https_so_plain_http_probes_work():
    status, _, _ = probe(SECURE_SSL="true")

    assert status == 200
