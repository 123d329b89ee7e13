from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("pending/", views.PendingReviewsView.as_view(), name="pending"),
    path("tickets/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("tickets/<int:pk>/approve/", views.approve, name="approve"),
    path("tickets/<int:pk>/return/", views.return_for_redo, name="return"),
    path("tickets/<int:pk>/callback/", views.callback_create, name="callback"),
    path("returns/", views.ReturnListView.as_view(), name="returns"),
    path("overdue/", views.OverdueListView.as_view(), name="overdue"),
    path("callbacks/", views.CallbackListView.as_view(), name="callbacks"),
    path("callbacks/tasks/<int:pk>/attempt/", views.callback_attempt, name="callback_attempt"),
    path("supervisions/", views.SupervisionListView.as_view(), name="supervisions"),
    path("supervisions/<int:pk>/", views.supervision_detail, name="supervision"),
    path("inspections/", views.CampaignListView.as_view(), name="campaigns"),
    path("inspections/new/", views.campaign_create, name="campaign_create"),
    path("inspections/<int:pk>/", views.campaign_detail, name="campaign"),
    path("inspections/<int:pk>/draw/", views.campaign_draw, name="campaign_draw"),
    path("inspections/<int:pk>/findings/", views.campaign_findings, name="campaign_findings"),
    path("inspections/samples/<int:pk>/score/", views.sample_score, name="sample_score"),
    path("key-points/", views.key_points, name="key_points"),
    path("training/", views.training, name="training"),
]
