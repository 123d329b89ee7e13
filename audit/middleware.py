"""The request being served, for audit records written deep inside services (who asked, from where)."""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

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


REFUSAL_RECORDED = "_hotline_audit_refusal_recorded"


def refusal_recorded(request) -> None:
    """A service wrote its own refused record for this request (a refused reveal): no second one."""
    setattr(request, REFUSAL_RECORDED, True)


class RefusalAuditMiddleware:
    """Records every refusal (403) of a signed-in member on the pages and API that hold personal data: the URL
    namespaces of settings.AUDIT_REFUSAL_NAMESPACES (work orders, the staff API, reviews, alerts).

    A refusal is a view's PermissionDenied: Django's (seen here by process_exception) or the REST framework's
    (handled inside the view: its 403 answer carries `exception`). Other 403s are not refusals of access to
    data and are not recorded: a missing CSRF token, a password or second factor due (org.middleware), an
    anonymous visitor's request (nobody to trace; it is asked to sign in). Placed after the authentication
    middleware; the record is written in the request's own connection after the view has ended.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403 and (
            getattr(request, "_hotline_permission_denied", False) or getattr(response, "exception", False)
        ):
            self._record(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            request._hotline_permission_denied = True
        return None

    def _record(self, request) -> None:
        from audit.choices import Action, Result
        from audit.services import audit_record

        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        # Staff members only: the platform's integration key (a principal, not an account) has no place on
        # these pages and is refused by its own authentication.
        if not isinstance(user, get_user_model()) or not user.is_authenticated or match is None:
            return
        if getattr(request, REFUSAL_RECORDED, False):
            return
        if not set(match.namespaces) & set(settings.AUDIT_REFUSAL_NAMESPACES):
            return
        # The URL's own arguments are ids and codes (a work order's pk, a field's name), never personal data.
        arguments = {name: str(value)[:64] for name, value in sorted(match.kwargs.items())}
        audit_record(
            Action.ACCESS_REFUSED,
            actor=user,
            result=Result.REFUSED,
            data={"view": match.view_name, "method": request.method, "arguments": arguments},
            request=request,
        )
