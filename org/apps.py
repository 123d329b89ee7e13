from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Organisation and staff")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks

        from org.checks import otp_required_roles_check

        user_logged_in.connect(_session_start, dispatch_uid="org.session_start")
        checks.register(otp_required_roles_check, checks.Tags.security)


def _session_start(sender, request, user, **kwargs):
    from org.accounts import session_start

    if request is not None and hasattr(request, "session"):
        session_start(request, user)
