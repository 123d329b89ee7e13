from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("due/", views.DuePanelView.as_view(), name="due"),
    path("tiers/", views.TierCountsView.as_view(), name="tiers"),
]
