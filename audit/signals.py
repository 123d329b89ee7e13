"""Sign-ins, sign-outs, failures and lockouts: Django's (and django-axes') signals carry them here.

Only these arrive by signal: they are raised inside django.contrib.auth and axes, where no service of ours
runs. Every other action is recorded by the service that performs it (audit.services.audit_record).
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.choices import Action, Result
from audit.services import audit_record


def _attempted_username(credentials: dict) -> str:
    return str(credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username") or "")


@receiver(user_logged_in, dispatch_uid="audit.login")
def _record_login(sender, request, user, **kwargs):
    audit_record(Action.LOGIN, actor=user, obj=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit.logout")
def _record_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(Action.LOGOUT, actor=user, obj=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit.login_failed")
def _record_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in `credentials` with stars; only the name is kept.
    audit_record(
        Action.LOGIN_FAILED,
        actor=None,
        username=_attempted_username(credentials),
        result=Result.REFUSED,
        request=request,
    )


def connect_axes() -> bool:
    """Record django-axes' lockouts when axes is an installed app (importing its signals module otherwise
    would load its models outside INSTALLED_APPS and hook its handlers into every sign-in)."""
    if not apps.is_installed("axes"):
        return False
    from axes.signals import user_locked_out

    user_locked_out.connect(_record_locked_out, dispatch_uid="audit.locked_out")
    return True


def _record_locked_out(sender, request, username, ip_address=None, **kwargs):
    audit_record(Action.LOCKED_OUT, actor=None, username=str(username or ""), result=Result.REFUSED, request=request)
