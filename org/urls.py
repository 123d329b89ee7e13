from django.urls import path

from org import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("language/", views.set_language, name="set_language"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/two-factor/", views.OtpVerifyView.as_view(), name="otp_verify"),
    path("account/two-factor/setup/", views.OtpSetupView.as_view(), name="otp_setup"),
]
