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
        ("POOL_RATE_SAVE", "lots"),
        ("REDIS_SENTINELS", "10.0.0.1:²"),
        ("REDIS_SENTINELS", "10.0.0.1:" + "2" * 4301),
        ("REDIS_SENTINELS", "10.0.0.1:0"),
        ("REDIS_SENTINELS", ","),
        ("REDIS_MAX_CONNECTIONS", "²"),
        ("REDIS_MAX_CONNECTIONS", "1" * 4301),
        ("SECRET_KEY", "x" * 64),
        ("SECRET_KEY", "ab" * 32),
        ("EDGE_PUBLISH_URLS", "10.0.0.21:8090/pub"),
        ("WEBSOCKET_PREPARED_FRAMES", "sometimes"),
        ("WEBSOCKET_DIRECT_WRITES", "sometimes"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value):
    result = manage("check", **{**PRODUCTION, variable: value})

    assert result.returncode != 0
    assert variable in result.stderr
    # One clear line, not a traceback from deep inside a library.
    assert "Traceback" not in result.stderr or "ImproperlyConfigured" in result.stderr
    assert "ValueError" not in result.stderr


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


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("http://10.0.0.1:26379", "is a URL; give host:port"),
        ("redis://10.0.0.1:26379", "is a URL; give host:port"),
        (",", "names no address"),
        (" , ,", "names no address"),
        ("10.0.0.1:²", "is not host:port with a port from 1 to 65535"),
    ],
)
def test_sentinels_that_are_no_addresses_stop_start_up_with_one_clear_line(value, says):
    result = manage("check", **without_redis_url(), **SENTINELS | {"REDIS_SENTINELS": value})

    assert result.returncode != 0
    assert says in result.stderr
    assert "ValueError" not in result.stderr


def test_a_secret_key_of_one_character_repeated_stops_start_up():
    result = manage("check", **PRODUCTION | {"SECRET_KEY": "k" * 50})

    assert result.returncode != 0
    assert "SECRET_KEY has fewer than 10 different characters" in result.stderr


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


def test_a_request_for_a_host_not_allowed_is_logged_in_one_line_not_a_traceback():
    # In a process of its own: the site's logging as configured, no test runner's handlers.
    request = (
        "from django.test import Client; "
        "print(Client().get('/', HTTP_HOST='evil.example').status_code)"
    )

    result = manage("shell", "--command", request, DEBUG="true", LOG_LEVEL="INFO")

    assert result.stdout.split()[-1:] == ["400"], result.stderr
    logged = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(logged) <= 1, logged
