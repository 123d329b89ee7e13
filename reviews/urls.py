from django.urls import path

from reviews.views import callbacks, chain, dashboard, inspections, knowledge

app_name = "reviews"
urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("pending/", chain.PendingReviewsView.as_view(), name="pending"),
    path("tickets/<int:pk>/", chain.ReviewView.as_view(), name="review"),
    path("tickets/<int:pk>/approve/", chain.approve, name="approve"),
    path("tickets/<int:pk>/return/", chain.return_for_redo, name="return"),
    path("tickets/<int:pk>/callback/", callbacks.callback_create, name="callback"),
    path("returns/", chain.ReturnListView.as_view(), name="returns"),
    path("overdue/", dashboard.OverdueListView.as_view(), name="overdue"),
    path("callbacks/", callbacks.CallbackListView.as_view(), name="callbacks"),
    path("callbacks/tasks/<int:pk>/attempt/", callbacks.callback_attempt, name="callback_attempt"),
    path("supervisions/", callbacks.SupervisionListView.as_view(), name="supervisions"),
    path("supervisions/<int:pk>/", callbacks.supervision_detail, name="supervision"),
    path("inspections/", inspections.CampaignListView.as_view(), name="campaigns"),
    path("inspections/new/", inspections.campaign_create, name="campaign_create"),
    path("inspections/<int:pk>/", inspections.campaign_detail, name="campaign"),
    path("inspections/<int:pk>/draw/", inspections.campaign_draw, name="campaign_draw"),
    path("inspections/<int:pk>/findings/", inspections.campaign_findings, name="campaign_findings"),
    path("inspections/samples/<int:pk>/score/", inspections.sample_score, name="sample_score"),
    path("key-points/", knowledge.key_points, name="key_points"),
    path("training/", knowledge.training, name="training"),
]
