from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor: machinery every app may use (template engine, paging, process cache, prepared SQL,
    sessions, middleware, the heartbeat, task publishing, test helpers). It imports no feature app."""

    name = "core"
    verbose_name = _("Operations")
