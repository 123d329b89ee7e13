"""Staff pages of the platform clients (administrators): each client's webhook address and signing secret."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from integrations import services
from integrations.models import IntegrationClient


class WebhookForm(forms.Form):
    webhook_url = forms.URLField(
        label=_("webhook address"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Where this platform takes our status updates (POST, signed). Empty: the server's setting."),
    )


def _clients(user):
    """The clients of the administrator's bureau (a superuser without a unit sees every bureau's)."""
    clients = IntegrationClient.objects.select_related("bureau").order_by("name")
    if user.unit_id is not None:
        clients = clients.filter(bureau_id=user.unit.bureau_id)
    return clients


class ClientListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "integrations.manage_clients"

    def get(self, request):
        return TemplateResponse(request, "integrations/clients.html", {"clients": list(_clients(request.user))})


class ClientWebhookView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Edit the address; make a new secret (shown on this answer only, never stored in the page again)."""

    permission_required = "integrations.manage_clients"

    def _page(self, request, client, form, *, secret="", status=200):
        response = TemplateResponse(
            request,
            "integrations/client_webhook.html",
            {"client": client, "form": form, "new_secret": secret},
            status=status,
        )
        response["Cache-Control"] = "no-store"
        return response

    def get(self, request, pk):
        client = get_object_or_404(_clients(request.user), pk=pk)
        return self._page(request, client, WebhookForm(initial={"webhook_url": client.webhook_url}))

    def post(self, request, pk):
        client = get_object_or_404(_clients(request.user), pk=pk)
        if request.POST.get("rotate"):
            secret = services.client_webhook_secret_rotate(client, actor=request.user)
            messages.success(request, gettext("A new secret was made; the old one no longer signs."))
            return self._page(request, client, WebhookForm(initial={"webhook_url": client.webhook_url}), secret=secret)
        form = WebhookForm(request.POST)
        if form.is_valid():
            try:
                services.client_webhook_set(client, actor=request.user, url=form.cleaned_data["webhook_url"])
            except ValidationError as error:
                for message in error.message_dict.get("webhook_url", error.messages):
                    form.add_error("webhook_url", message)
            else:
                messages.success(request, gettext("The webhook address was saved."))
                return redirect("integrations:clients")
        return self._page(request, client, form, status=400)
