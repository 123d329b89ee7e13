from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.BriefingView.as_view(), name="index"),
    path("briefing.csv", views.BriefingCsvView.as_view(), name="briefing_csv"),
    path("recount/", views.recount, name="recount"),
    path("assessment/", views.AssessmentView.as_view(), name="assessment"),
    path("assessment/keep/", views.assessment_keep, name="assessment_keep"),
]
