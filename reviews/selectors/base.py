"""What the reviews selectors share: the month the counts start, the bureau a user belongs to."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from org.models import User
from workdays.calendar import SHANGHAI


def month_start(now: dt.datetime | None = None) -> dt.datetime:
    local = timezone.localtime(now or timezone.now(), SHANGHAI)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def user_bureau_id(user: User):
    return user.unit.bureau_id if user.is_authenticated and user.unit_id else None
