from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    """The roof: settings, urls, the Celery app and `seed_demo`. Its one migration history is kept for the
    heartbeat table, whose model now lives in core (core.models.Heartbeat, same table)."""

    name = "hotline"
    verbose_name = _("Hotline")
