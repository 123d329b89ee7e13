from django.urls import path

from integrations import views

app_name = "integrations"
urlpatterns = [
    path("clients/", views.ClientListView.as_view(), name="clients"),
    path("clients/<int:pk>/webhook/", views.ClientWebhookView.as_view(), name="client_webhook"),
]
