"""`Authorization: Token <key>` for integration clients; a key that matches no active client is refused (401)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
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
            # A key was given and is wrong: say so (not "no credentials were provided"), in the request's language.
            raise exceptions.AuthenticationFailed(_("The API key is wrong or has been disabled."))
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
