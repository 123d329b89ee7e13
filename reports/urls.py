from django.urls import path

from reports import views, views_annual, views_hotspots, views_period, views_screen

app_name = "reports"
urlpatterns = [
    path("", views.BriefingView.as_view(), name="index"),
    path("briefing.csv", views.BriefingCsvView.as_view(), name="briefing_csv"),
    path("recount/", views.recount, name="recount"),
    path("briefings/make/", views.briefing_make, name="briefing_make"),
    path("briefings/<int:pk>/", views.briefing_file, name="briefing_file"),
    path("annual/", views_annual.AnnualView.as_view(), name="annual"),
    path("annual.xlsx", views_annual.AnnualExportView.as_view(kind="xlsx"), name="annual_xlsx"),
    path("annual.docx", views_annual.AnnualExportView.as_view(kind="docx"), name="annual_docx"),
    path("assessment/", views.AssessmentView.as_view(), name="assessment"),
    path("assessment/keep/", views.assessment_keep, name="assessment_keep"),
    path("hotspots/", views_hotspots.HotspotsView.as_view(), name="hotspots"),
    path("hotspots.xlsx", views_hotspots.HotspotsXlsxView.as_view(), name="hotspots_xlsx"),
    path("screen/", views_screen.ScreenView.as_view(), name="screen"),
    path("screen/data.json", views_screen.ScreenDataView.as_view(), name="screen_data"),
    path("assessment.xlsx", views.AssessmentExportView.as_view(kind="xlsx"), name="assessment_xlsx"),
    path("assessment.docx", views.AssessmentExportView.as_view(kind="docx"), name="assessment_docx"),
    path("indicators.xlsx", views.PeriodExportView.as_view(kind="xlsx"), name="period_xlsx"),
    path("indicators.docx", views.PeriodExportView.as_view(kind="docx"), name="period_docx"),
    path("period/", views_period.PeriodView.as_view(), name="period"),
    path("period/count/", views_period.PeriodCountView.as_view(), name="period_count"),
    path("period/progress.json", views_period.PeriodProgressView.as_view(), name="period_progress"),
]
