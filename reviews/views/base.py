"""What the reviews views share: the list page base, the safe `next` target, errors as messages, the user's bureau."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import ListView

from core.pagination import LenientPageMixin
from tickets.services import TransitionNotAllowed

PAGE_SIZE = 50


class ReviewListView(LoginRequiredMixin, PermissionRequiredMixin, LenientPageMixin, ListView):
    """A list page of reviews: signed in, holding `permission_required`, PAGE_SIZE rows a page (a bad ?page=
    shows the first or the last page)."""

    paginate_by = PAGE_SIZE


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
