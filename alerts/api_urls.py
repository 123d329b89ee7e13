"""The staff API's alert URLs (alerts/api.py), included by hotline/urls.py in the staff API's namespace."""

from django.urls import path

from alerts import api

urlpatterns = [
    path("alerts/", api.StaffAlertListView.as_view(), name="alert-list"),
    path("alerts/<int:pk>/", api.StaffAlertDetailView.as_view(), name="alert-detail"),
    path("alerts/<int:pk>/tickets/", api.StaffAlertTicketsView.as_view(), name="alert-tickets"),
    path("alerts/<int:pk>/consult/", api.StaffAlertConsultView.as_view(), name="alert-consult"),
    path("alerts/<int:pk>/close/", api.StaffAlertCloseView.as_view(), name="alert-close"),
]
