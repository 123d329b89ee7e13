from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.password_validation import password_validators_help_texts
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, gettext
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from django_otp import match_token, user_has_device

from org.forms import TokenForm, locked_message
from org.passwords import password_expired
from org.services import (
    otp_device_confirm,
    otp_device_pending,
    otp_qr_svg,
    otp_secret_text,
    second_factor_passed,
    user_set_language,
)

# Where each role starts its day: the first of these pages the user may open (and that is installed).
START_PAGES = [
    ("reviews:dashboard", "reviews.view_dashboard"),
    ("tickets:inbox", "tickets.view_inbox"),
    ("tickets:my_work", "tickets.view_my_work"),
    ("tickets:unit_queue", "tickets.view_unit_queue"),
]


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "org/home.html"

    def get(self, request, *args, **kwargs):
        for url_name, perm in START_PAGES:
            if request.user.has_perm(perm):
                try:
                    return HttpResponseRedirect(reverse(url_name))
                except NoReverseMatch:
                    continue
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["unit"] = user.unit
        context["roles"] = list(user.roles.all())
        return context


@require_POST
def set_language(request):
    """The header's language switch: remembered in a cookie, and on the account when signed in."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        if request.user.is_authenticated:
            user_set_language(request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked account (settings.AXES_LOCKOUT_CALLABLE): the sign-in page it was
    going to show, whose form says the account is locked (org.forms.LoginForm)."""
    if original_response is not None:
        return original_response
    return HttpResponse(locked_message(), status=403, content_type="text/plain; charset=utf-8")


def _next_url(request, default: str = "home") -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse(default)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing one's password: the rules of settings.AUTH_PASSWORD_VALIDATORS, and where an expired password
    is sent (org.middleware)."""

    template_name = "org/password_change.html"
    template_engine = "jinja2"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expired"] = password_expired(self.request.user)
        context["set_by_administrator"] = self.request.user.password_change_required
        context["next"] = _next_url(self.request)
        context["rules"] = password_validators_help_texts()
        return context

    def get_success_url(self):
        return _next_url(self.request)

    def form_valid(self, form):
        response = super().form_valid(form)  # saves, and keeps this session signed in with the new password
        messages.success(self.request, gettext("Your password was changed."))
        return response


class OtpVerifyView(LoginRequiredMixin, FormView):
    """The second step of signing in for a member with an authenticator app."""

    template_name = "org/otp_verify.html"
    template_engine = "jinja2"
    form_class = TokenForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = _next_url(self.request)
        return context

    def form_valid(self, form):
        with transaction.atomic():  # match_token locks the devices while it checks (no code used twice)
            device = match_token(self.request.user, form.cleaned_data["token"])
        if device is None:
            form.add_error("token", gettext("The code is wrong or has expired."))
            return self.form_invalid(form)
        second_factor_passed(self.request, device)
        return HttpResponseRedirect(_next_url(self.request))


class OtpSetupView(LoginRequiredMixin, FormView):
    """Enrolling an authenticator app: a QR code (SVG drawn here, no script) and the key for typing in,
    confirmed by one code from the app. A member who already has an app must pass it first (a stolen
    password alone cannot enrol another)."""

    template_name = "org/otp_setup.html"
    template_engine = "jinja2"
    form_class = TokenForm

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and user_has_device(request.user, confirmed=True)
            and not request.user.is_verified()
        ):
            return HttpResponseRedirect(f"{reverse('otp_verify')}?{urlencode({'next': request.get_full_path()})}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = otp_device_pending(self.request.user)
        context["qr_svg"] = otp_qr_svg(device)
        context["secret"] = otp_secret_text(device)
        context["next"] = _next_url(self.request)
        return context

    def form_valid(self, form):
        device = otp_device_pending(self.request.user)
        if not device.verify_token(form.cleaned_data["token"]):
            form.add_error("token", gettext("The code is wrong or has expired."))
            return self.form_invalid(form)
        otp_device_confirm(device)
        second_factor_passed(self.request, device)
        messages.success(self.request, gettext("Your authenticator app is set up."))
        return HttpResponseRedirect(_next_url(self.request))
