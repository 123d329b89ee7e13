from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit")

    def ready(self):
        # Sign-ins, failures and lockouts arrive as signals from django.contrib.auth (and django-axes).
        from audit import signals

        signals.connect_axes()
