from django.urls import path

from integrations.api import views

urlpatterns = [
    path("tickets/", views.PlatformTicketCreateView.as_view(), name="ticket-create"),
    path("tickets/<str:source>/<str:external_id>/", views.PlatformTicketDetailView.as_view(), name="ticket-detail"),
    path(
        "tickets/<str:source>/<str:external_id>/callback/",
        views.PlatformCallbackView.as_view(),
        name="ticket-callback",
    ),
    path("tickets/<str:source>/<str:external_id>/urge/", views.PlatformUrgeView.as_view(), name="ticket-urge"),
    path("updates/", views.PlatformUpdatesView.as_view(), name="updates"),
]
