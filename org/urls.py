from django.urls import path

from org import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("language/", views.set_language, name="set_language"),
]
