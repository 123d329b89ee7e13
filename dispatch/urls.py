from django.urls import path

from dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("catalogue/", views.CatalogueListView.as_view(), name="catalogue"),
    path("catalogue/new/", views.CatalogueRowNewView.as_view(), name="row_new"),
    path("catalogue/<int:pk>/", views.CatalogueRowEditView.as_view(), name="row_edit"),
    path("catalogue/history/", views.CatalogueHistoryView.as_view(), name="history"),
    path("catalogue/export/", views.CatalogueExportView.as_view(), name="export"),
    path("catalogue/import/", views.CatalogueImportView.as_view(), name="import"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
]
