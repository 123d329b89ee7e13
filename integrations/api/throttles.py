"""One rate per client: an integration key, else a staff member, else the address."""

import logging
import time

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.throttling import SimpleRateThrottle

from integrations.models import IntegrationClient

logger = logging.getLogger(__name__)

# Where the counters go while the shared cache (Redis) cannot be reached: this process's memory. A rate limit
# counted per process for a while beats refusing every request (the intake must never be lost to a cache).
_local_counters = LocMemCache("hotline-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 10000}})
# After a failure the shared cache is left alone this long: no connection attempt per request during an outage.
SHARED_CACHE_RETRY_SECONDS = 10.0


class ClientRateThrottle(SimpleRateThrottle):
    scope = "client"
    _shared_down_until = 0.0  # monotonic time; class-wide, so one outage is noticed once per process

    def get_rate(self):
        # Read at request time (not at import) so that settings can change it.
        return settings.HOTLINE_API_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, IntegrationClient):
            ident = f"client-{request.auth.pk}"
        elif getattr(request.user, "is_authenticated", False) and request.user.pk:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        if time.monotonic() >= ClientRateThrottle._shared_down_until:
            try:
                return super().allow_request(request, view)
            except Exception:  # noqa: BLE001 - any cache failure (refused, timeout, auth) must not fail the request
                ClientRateThrottle._shared_down_until = time.monotonic() + SHARED_CACHE_RETRY_SECONDS
                logger.warning(
                    "the cache is unavailable: API rates counted per process for %ss",
                    SHARED_CACHE_RETRY_SECONDS,
                    exc_info=True,
                )
        self.cache = _local_counters
        return super().allow_request(request, view)
