"""What the reviews views share: the page size, the safe `next` target, errors as messages, the user's bureau."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from tickets.services import TransitionNotAllowed

PAGE_SIZE = 50


def next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def report_error(request, error: Exception) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    elif isinstance(error, TransitionNotAllowed):
        messages.error(request, _("This work order is no longer at this step. Reload it."))
    else:
        messages.error(request, str(error))


def bureau_of(user):
    """The bureau a page writes into: the user's; someone without a unit has none (404, not a 500)."""
    if user.unit_id is None:
        raise Http404
    return user.unit.bureau
