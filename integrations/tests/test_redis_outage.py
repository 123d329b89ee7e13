"""Intake while Redis is down, with the cache and the broker on one Redis (the layout README recommends).

The test starts its own redis-server on a free port, so that it can stop it; the intake runs through the real
throttle, the real commit and the real after-commit hand-overs (alerts' check, notifications).
"""

import pytest
import redis

from core.testing import start_redis, stop_process
from hotline.celery import app
from integrations.api import throttles
from tickets.models import Ticket

URL = "/api/v1/hotline/tickets/"

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_for_cache_and_broker(tmp_path, settings):
    server, port = start_redis(tmp_path)
    url = f"redis://127.0.0.1:{port}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    saved_broker = app.conf.broker_url
    app.conf.broker_url = url
    try:
        yield {"process": server, "port": port}
    finally:
        app.conf.broker_url = saved_broker
        stop_process(server)
        # The throttle remembers the outage for its process: the tests after this one start with a working cache.
        throttles.ClientRateThrottle._shared_down_until = 0.0
        throttles._local_counters.clear()


def test_intake_with_redis_stopped_answers_201_and_stores_every_work_order(
    platform, payload, redis_for_cache_and_broker
):
    first = platform.post(URL, payload | {"external_id": "SH12345-20261128-100000"}, format="json")
    counted_in_redis = redis.Redis(port=redis_for_cache_and_broker["port"]).keys("*throttle_client_*")
    stop_process(redis_for_cache_and_broker["process"])

    codes = [
        platform.post(URL, payload | {"external_id": f"SH12345-20261128-1000{n:02d}"}, format="json").status_code
        for n in range(1, 11)
    ]

    assert (first.status_code, len(counted_in_redis)) == (201, 1)
    assert codes == [201] * 10
    assert Ticket.objects.count() == 11


def test_intake_with_redis_stopped_still_limits_the_rate_per_process(
    platform, payload, redis_for_cache_and_broker, settings
):
    settings.HOTLINE_API_RATE = "3/min"
    stop_process(redis_for_cache_and_broker["process"])

    codes = [
        platform.post(URL, payload | {"external_id": f"SH12345-20261128-2000{n:02d}"}, format="json").status_code
        for n in range(4)
    ]

    assert codes == [201, 201, 201, 429]
