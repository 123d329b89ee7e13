"""Password rules beyond Django's own validators (settings.AUTH_PASSWORD_VALIDATORS, docs/security.md).

等保 2.0 asks for passwords of several character classes, changed periodically and not reused: the classes
and the history are validators here; the periodic change is `password_expired` (org.middleware sends an
expired member to the change page).
"""

import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import ngettext

CHARACTER_CLASSES = (
    ("lower", set(string.ascii_lowercase)),
    ("upper", set(string.ascii_uppercase)),
    ("digit", set(string.digits)),
)


def character_classes(password: str) -> int:
    """Lower-case letters, capitals, digits, and anything else (punctuation, Chinese characters): 0 to 4."""
    found = {name for name, members in CHARACTER_CLASSES for ch in password if ch in members}
    other = any(not any(ch in members for _name, members in CHARACTER_CLASSES) for ch in password)
    return len(found) + (1 if other else 0)


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_few_classes")

    def get_help_text(self):
        return ngettext(
            "Your password must mix at least %(count)d kind of characters: lower-case letters, capitals, digits, "
            "other characters.",
            "Your password must mix at least %(count)d kinds of characters: lower-case letters, capitals, digits, "
            "other characters.",
            self.min_classes,
        ) % {"count": self.min_classes}


class PasswordHistoryValidator:
    """Not the current password nor one of the last `keep` ones; each password set is remembered (hashed)."""

    def __init__(self, keep: int = 5):
        self.keep = keep

    def _recent_hashes(self, user) -> list[str]:
        from org.models import PasswordHistory

        if user is None or user.pk is None or self.keep <= 0:
            return []
        kept = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.keep])
        # the newest kept hash is usually the current password's: each is checked once (each check is slow)
        return list(dict.fromkeys([user.password, *kept] if user.password else kept))

    def validate(self, password, user=None):
        if any(check_password(password, encoded) for encoded in self._recent_hashes(user)):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password, user=None):
        from org.models import PasswordHistory

        if user is None or user.pk is None or self.keep <= 0:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.keep :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return ngettext(
            "Your password cannot be your current one.",
            "Your password cannot be one of your last %(count)d passwords.",
            self.keep,
        ) % {"count": self.keep}


def password_expired(user, *, now=None) -> bool:
    """The member must change the password before anything else: it is older than the setting allows, or an
    administrator set it (User.password_change_required), whatever the setting."""
    if not user.is_authenticated:
        return False
    if user.password_change_required:
        return True
    days = settings.HOTLINE_PASSWORD_MAX_AGE_DAYS
    if not days:
        return False
    return user.password_changed_at + timedelta(days=days) <= (now or timezone.now())
