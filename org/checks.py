from django.conf import settings
from django.core.checks import Error

from org.choices import RoleCode


def otp_required_roles_check(app_configs, **kwargs):
    unknown = sorted(set(settings.HOTLINE_OTP_REQUIRED_ROLES) - set(RoleCode.values))
    if unknown:
        return [
            Error(
                f"HOTLINE_OTP_REQUIRED_ROLES names unknown role codes: {', '.join(unknown)}.",
                hint=f"Use codes among: {', '.join(RoleCode.values)}.",
                id="org.E001",
            )
        ]
    return []
