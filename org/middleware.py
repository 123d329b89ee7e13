from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext

from org.accounts import second_factor_step, session_expired
from org.passwords import password_expired

API_PREFIXES = ("/api/", "/open311/")
# What a member may still open while a second factor or a password change is due.
ALWAYS_OPEN = frozenset({"logout", "set_language", "otp_verify", "otp_setup", "password_change", "admin:logout"})


class AccountPolicyMiddleware:
    """Ends expired sessions, then sends the member to the second factor or the password change when due
    (org.accounts). A request without a session cookie (the platform's keys, static files) is not looked at."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.user.is_authenticated:
            return None
        if session_expired(request.session):
            logout(request)
            if not request.path.startswith(API_PREFIXES):
                messages.info(request, gettext("You were signed out: the session had expired."))
            return None  # the view now sees an anonymous visitor and asks for a sign-in as usual
        if request.resolver_match.view_name in ALWAYS_OPEN:
            return None
        step = second_factor_step(request)
        if step is None and password_expired(request.user):
            step = "password_change"
        if step is None:
            return None
        if request.path.startswith(API_PREFIXES):
            code, message = {
                "otp_verify": ("second_factor_required", gettext("Enter the code of your authenticator app first.")),
                "otp_setup": ("second_factor_required", gettext("Set up your authenticator app first.")),
                "password_change": ("password_expired", gettext("Your password has expired: change it first.")),
            }[step]
            return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=403)
        return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
