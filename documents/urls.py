from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("archive/", views.ArchiveMonthView.as_view(), name="archive"),
    path("archive/<int:year>/<int:month>/", views.ArchiveZipView.as_view(), name="archive_zip"),
    path("tickets/<int:pk>/", views.DocumentMakeView.as_view(), name="make"),
    path("tickets/<int:pk>/<int:document_pk>/", views.DocumentPageView.as_view(), name="page"),
    path("tickets/<int:pk>/<int:document_pk>/download/", views.DocumentDownloadView.as_view(), name="download"),
]
