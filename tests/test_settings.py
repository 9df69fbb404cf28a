"""Settings are read from the environment; a bad value stops start-up and names the variable."""

import json
import os
import subprocess
import sys

import pytest

from tests.support.environment import PRODUCTION, PROJECT


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "SECURE_SSL"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysqll://nowhere"),
        ("REDIS_URL", "localhost:6379"),
        ("TIME_ZONE", "Mars/Olympus_Mons"),
        ("REDIS_MAX_CONNECTIONS", "many"),
        ("SECURE_SSL", "sometimes"),
        ("SECRET_KEY", "short"),
        ("ALLOWED_HOSTS", ""),
        ("WEBSOCKET_MAX_QUEUED_BYTES", "1000"),
        ("DATABASE_POOL", "sometimes"),
        ("DATABASE_POOL_MAX_SIZE", "0"),
        ("DATABASE_POOL_TIMEOUT", "0"),
        ("DATABASE_CONN_MAX_AGE", "60"),
        ("REDIS_SENTINELS", "10.0.0.1"),
        ("REDIS_SENTINELS", "10.0.0.1:26379,10.0.0.2:port"),
        ("REDIS_SENTINELS", "10.0.0.1:70000"),
        ("EDGE_PUBLISH_URLS", "10.0.0.21:8090/pub"),
        ("WEBSOCKET_PREPARED_FRAMES", "sometimes"),
        ("WEBSOCKET_DIRECT_WRITES", "sometimes"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value):
    result = manage("check", **{**PRODUCTION, variable: value})

    assert result.returncode != 0
    assert variable in result.stderr


SENTINELS = {
    "REDIS_SENTINELS": "10.0.0.1:26379, 10.0.0.2:26379,[fd00::3]:26379",
    "REDIS_SENTINEL_MASTER": "tracker",
}


def without_redis_url() -> dict[str, str]:
    return {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({"REDIS_SENTINELS": SENTINELS["REDIS_SENTINELS"]}, "REDIS_SENTINEL_MASTER"),
        ({"REDIS_SENTINEL_MASTER": "tracker"}, "REDIS_SENTINELS"),
    ],
)
def test_sentinels_without_the_master_name_or_the_other_way_round_stop_start_up(given, named):
    result = manage("check", **without_redis_url(), **given)

    assert result.returncode != 0
    assert named in result.stderr


def test_a_redis_url_beside_sentinels_stops_start_up():
    result = manage("check", **PRODUCTION, **SENTINELS)

    assert result.returncode != 0
    assert "REDIS_URL and REDIS_SENTINELS" in result.stderr


def test_sentinels_become_the_channel_layers_host():
    show = "import json; from django.conf import settings as s; print(json.dumps(s.CHANNEL_LAYERS))"

    result = manage(
        "shell", "--command", show, **without_redis_url(), **SENTINELS, REDIS_PASSWORD="pw"
    )

    assert result.returncode == 0, result.stderr
    layer = json.loads(result.stdout.splitlines()[-1])["default"]
    assert layer["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    [host] = layer["CONFIG"]["hosts"]
    assert host["master_name"] == "tracker"
    assert host["sentinels"] == [["10.0.0.1", 26379], ["10.0.0.2", 26379], ["fd00::3", 26379]]
    assert host["password"] == "pw"
    assert "address" not in host


def test_production_needs_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = manage("check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_defaults_need_no_variables():
    result = manage("check", DEBUG="true")

    assert result.returncode == 0, result.stderr


def test_comparing_models_with_migrations_needs_no_variables():
    # A fresh checkout or a hook has no secret: the command serves and signs nothing.
    result = manage("makemigrations", "--check", "--dry-run")

    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_postgresql_gets_a_connection_pool_sized_from_the_environment_and_sqlite_none():
    show = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS'))"

    pooled = manage("shell", "-c", show, **PRODUCTION, DATABASE_POOL_MAX_SIZE="7")
    unpooled = manage("shell", "-c", show, **PRODUCTION, DATABASE_POOL="false")
    sqlite = manage("shell", "-c", show, DEBUG="true")

    assert "'pool': {'min_size': 2, 'max_size': 7, 'timeout': 10}" in pooled.stdout, pooled.stderr
    assert "pool" not in unpooled.stdout
    assert "pool" not in sqlite.stdout
