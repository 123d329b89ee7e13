"""The request being served, for audit records written deep inside services (who asked, from where)."""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings

_current_request: ContextVar = ContextVar("hotline_audit_request", default=None)


def current_request():
    """The HTTP request this thread or task is serving, or None (Celery tasks, commands)."""
    return _current_request.get()


def client_address(request) -> str | None:
    """REMOTE_ADDR; behind the TLS proxy (BEHIND_TLS_PROXY) the address that proxy appended last.

    Only the last X-Forwarded-For entry is trusted: the ones before it are whatever the client sent.
    """
    address = request.META.get("REMOTE_ADDR") or None
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            address = forwarded[-1]
    return address


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
