"""django-axes and django-otp's TOTP, named in the admin in the interface's language (settings.INSTALLED_APPS).

A module of their own: in org/apps.py they would make Django unsure which configuration is org's own.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as OtpTotpAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Failed sign-ins")


class OtpTotpConfig(OtpTotpAppConfig):
    verbose_name = _("Authenticator apps")
