"""Channel-layer settings for a test: Redis under a prefix of the test's own, or a layer that no
reader of the test listens to."""

import os
import uuid

from django.conf import settings


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
