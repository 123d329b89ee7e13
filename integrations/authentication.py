"""`Authorization: Token <key>` for integration clients; staff tokens (if any) fall through to DRF's own."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from integrations.models import ClientPrincipal
from integrations.services import integration_client_for_key


class IntegrationClientAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() != self.keyword.lower().encode():
            return None
        try:
            key = parts[1].decode()
        except UnicodeError:
            return None
        client = integration_client_for_key(key)
        if client is None:
            return None  # maybe a staff token: TokenAuthentication answers 401 if not
        return ClientPrincipal(client), client

    def authenticate_header(self, request):
        return self.keyword


class IntegrationClientScheme(OpenApiAuthenticationExtension):
    target_class = IntegrationClientAuthentication
    name = "integrationKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: a key made by `manage.py create_integration_client`.",
        }
