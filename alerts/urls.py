from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.AlertListView.as_view(), name="list"),
    path("<int:pk>/", views.AlertDetailView.as_view(), name="detail"),
    path("<int:pk>/consult/", views.alert_consult, name="consult"),
    path("<int:pk>/close/", views.alert_close, name="close"),
    path("<int:pk>/merge/", views.alert_merge, name="merge"),
    path("<int:pk>/split/", views.alert_split, name="split"),
]
