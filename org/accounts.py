"""What a signed-in session must satisfy besides a password (docs/security.md): it ends after
HOTLINE_SESSION_IDLE_MINUTES without a request and HOTLINE_SESSION_MAX_HOURS after signing in; a member with a
second factor, or holding a role in HOTLINE_OTP_REQUIRED_ROLES, passes it before anything else; a password
older than HOTLINE_PASSWORD_MAX_AGE_DAYS is changed first. org.middleware.AccountPolicyMiddleware applies it.

The times and whether the member has a second factor are kept in the session when signing in, so an
ordinary request reads nothing more than the session and the member it already loads.
"""

from django.conf import settings
from django.utils import timezone
from django_otp import user_has_device

from org.choices import RoleCode

SIGNED_IN_AT = "hotline_signed_in_at"
SEEN_AT = "hotline_seen_at"
HAS_SECOND_FACTOR = "hotline_has_otp"
# The time of the last request is written when it is this much older than now: one session write a minute
# per active member rather than one per request. A session may so end up to this much before its idle limit.
SEEN_RESOLUTION_SECONDS = 60


def _now() -> int:
    return int(timezone.now().timestamp())


def session_start(request, user) -> None:
    """On signing in (Django's user_logged_in signal; login() has already given the session a new key)."""
    now = _now()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    request.session[HAS_SECOND_FACTOR] = user_has_device(user, confirmed=True)


def session_expired(session) -> bool:
    """Past the idle or the absolute limit. A session from before these were recorded starts counting now."""
    now = _now()
    signed_in_at = session.get(SIGNED_IN_AT)
    seen_at = session.get(SEEN_AT)
    if signed_in_at is None or seen_at is None:
        session.setdefault(SIGNED_IN_AT, now)
        session[SEEN_AT] = now
        return False
    if now - seen_at >= settings.HOTLINE_SESSION_IDLE_MINUTES * 60:
        return True
    if now - signed_in_at >= settings.HOTLINE_SESSION_MAX_HOURS * 3600:
        return True
    if now - seen_at >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_AT] = now
    return False


def second_factor_required(user) -> bool:
    roles = set(settings.HOTLINE_OTP_REQUIRED_ROLES)
    if not roles:
        return False
    return user.has_role(*roles) or (RoleCode.ADMIN in roles and user.is_superuser)


def second_factor_step(request) -> str | None:
    """The page this session must pass first ("otp_verify" or "otp_setup"), or None."""
    user = request.user
    has_device = request.session.get(HAS_SECOND_FACTOR, False)
    if not (has_device or second_factor_required(user)) or user.is_verified():
        return None
    return "otp_verify" if has_device else "otp_setup"
