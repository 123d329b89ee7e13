from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from alerts.api_urls import urlpatterns as alerts_staff_api
from documents.api import urlpatterns as documents_api
from integrations.api.open311 import urlpatterns as open311_urls
from integrations.api.urls import urlpatterns as platform_api
from org.forms import LoginForm
from reports.api import IndicatorsView
from tickets.api.urls import urlpatterns as staff_api


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages that link no icon (Django's admin): send them to the one ours link.

    Not permanent: the static URL carries the file's hash, which changes with the icon.
    """
    response = HttpResponseRedirect(static("img/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


urlpatterns = [
    path("favicon.ico", favicon),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[], authentication_classes=[]), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="schema", permission_classes=[], authentication_classes=[]),
        name="api-docs",
    ),
    path("api/v1/hotline/", include((platform_api, "platform_api"))),
    path("api/v1/staff/indicators/", IndicatorsView.as_view(), name="staff_indicators"),
    path("api/v1/staff/", include((staff_api + alerts_staff_api + documents_api, "staff_api"))),
    path("open311/v2/", include((open311_urls, "open311"))),
    path("tickets/", include("tickets.urls")),
    path("reviews/", include("reviews.urls")),
    path("reports/", include("reports.urls")),
    path("notifications/", include("notifications.urls")),
    path("alerts/", include("alerts.urls")),
    path("dispatch/", include("dispatch.urls")),
    path("documents/", include("documents.urls")),
    path("integrations/", include("integrations.urls")),
    path("", include("org.urls")),
]

# JSON errors under /api/ and /open311/, Django's pages elsewhere.
handler404 = "core.api.exceptions.handler404"
handler500 = "core.api.exceptions.handler500"
