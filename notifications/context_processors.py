from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext

from notifications.selectors import BELL_CAP, notification_unread_count


class Bell:
    """The bell in the top bar: the unread count, queried when first shown, at most once per request."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        return notification_unread_count(self.user, cap=BELL_CAP)

    @property
    def count_text(self) -> str:
        if self.unread > BELL_CAP:
            return f"{BELL_CAP}+"
        return str(self.unread) if self.unread else ""

    @property
    def label(self) -> str:
        if self.unread > BELL_CAP:
            return gettext("More than 99 unread notifications")
        return ngettext("%(counter)s unread notification", "%(counter)s unread notifications", self.unread) % {
            "counter": self.unread
        }


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_bell": Bell(user)}
