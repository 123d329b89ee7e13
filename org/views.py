from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from org.services import user_set_language

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
