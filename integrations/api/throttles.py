"""One rate per client: an integration key, else a staff member, else the address."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from integrations.models import IntegrationClient


class ClientRateThrottle(SimpleRateThrottle):
    scope = "client"

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
