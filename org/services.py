from base64 import b32encode

import qrcode
from axes.utils import reset as axes_reset
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from org.accounts import HAS_SECOND_FACTOR
from org.models import User


def user_set_language(user: User, *, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


# ---------------------------------------------------------------- the second factor (docs/security.md)

PENDING_DEVICE_NAME = "authenticator (not confirmed)"
DEVICE_NAME = "authenticator"


def otp_device_pending(user: User) -> TOTPDevice:
    """The unconfirmed app being enrolled: the same key until it is confirmed, so a reload shows the same QR."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=PENDING_DEVICE_NAME, confirmed=False)
    return device


def otp_device_confirm(device: TOTPDevice) -> None:
    """The new app replaces any earlier one (one app per member: a lost phone is replaced by enrolling again)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.name = DEVICE_NAME
        device.save(update_fields=["confirmed", "name"])


def otp_qr_svg(device: TOTPDevice) -> str:
    """The app's set-up link as an SVG QR code (paths only: no script, no style attribute)."""
    image = qrcode.make(device.config_url, image_factory=SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")


def otp_secret_text(device: TOTPDevice) -> str:
    """The key in base32 by fours, for an app that cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def second_factor_passed(request, device: TOTPDevice) -> None:
    """This session has passed the second factor: a new session key, as at signing in."""
    request.session.cycle_key()
    otp_login(request, device)
    request.session[HAS_SECOND_FACTOR] = True


def user_unlock(user: User) -> int:
    """Clears the failed sign-ins that lock an account (django-axes); the number of records removed."""
    return axes_reset(username=user.get_username())
