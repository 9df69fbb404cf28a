"""Limits per address: counted in Redis across processes, per address and action, and let through
(logged) when the store is down."""

import logging

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory

from ceremony.pools import throttle
from tests.support.sentinels import MASTER, SentinelSet


def request_from(address: str):
    return RequestFactory().post("/", REMOTE_ADDR=address)


@pytest.fixture
def redis_limits(settings):
    settings.POOL_RATE_STORAGE = django_settings.REDIS_URL
    settings.REDIS_PREFIX = f"{django_settings.REDIS_PREFIX}-test-throttle"
    throttle._limiter.cache_clear()
    throttle.reset()
    yield
    throttle.reset()


@pytest.mark.redis
def test_processes_share_one_count_in_redis(redis_limits, settings):
    settings.POOL_RATES = {**settings.POOL_RATES, "join": "2/hour"}
    assert throttle.refused("join", request_from("10.1.1.1")) == ""
    throttle._limiter.cache_clear()  # as another process would: a limiter of its own
    assert throttle.refused("join", request_from("10.1.1.1")) == ""
    assert "Too many joins" in throttle.refused("join", request_from("10.1.1.1"))
    assert throttle.refused("join", request_from("10.1.1.2")) == ""
    assert throttle.refused("save", request_from("10.1.1.1")) == ""


def test_a_lookup_is_only_tested_until_a_miss_counts(settings):
    settings.POOL_RATES = {**settings.POOL_RATES, "lookup": "1/minute"}
    who = request_from("10.1.1.3")
    assert throttle.blocked("lookup", who) == throttle.blocked("lookup", who) == ""
    throttle.refused("lookup", who)
    assert "Too many pool codes" in throttle.blocked("lookup", who)


def test_an_unreachable_store_lets_requests_through_and_says_so(settings, caplog):
    settings.POOL_RATE_STORAGE = "redis://127.0.0.1:1/0"
    settings.POOL_RATES = {**settings.POOL_RATES, "save": "1/minute"}
    with caplog.at_level(logging.ERROR, logger="ceremony.pools.throttle"):
        assert throttle.refused("save", request_from("10.1.1.4")) == ""
        assert throttle.refused("save", request_from("10.1.1.4")) == ""
    assert "pool limits unavailable" in caplog.text


@pytest.mark.redis
def test_through_redis_sentinel_the_limits_are_counted_on_the_primary_with_its_password(
    settings, tmp_path
):
    with SentinelSet(tmp_path, (6397, 6398), (26397, 26398, 26399), password="pool-secret") as s:
        settings.POOL_RATE_STORAGE = f"redis+sentinel://{s.addresses}/{MASTER}"
        settings.POOL_RATE_STORAGE_OPTIONS = {
            "password": "pool-secret",
            "sentinel_kwargs": {**django_settings.REDIS_SENTINEL_TIMEOUTS, "password": None},
        }
        settings.POOL_RATES = {**settings.POOL_RATES, "join": "1/hour"}
        throttle._limiter.cache_clear()
        try:
            assert throttle.refused("join", request_from("10.1.1.5")) == ""
            assert "Too many joins" in throttle.refused("join", request_from("10.1.1.5"))
            with s.primary.client() as primary:
                assert primary.keys("*pools*join*10.1.1.5*")
        finally:
            throttle._limiter.cache_clear()
