from notifications.selectors import BELL_CAP, notification_unread_count


def unread_notifications(request):
    """The bell's count, queried only when a template shows it, at most once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cache: dict[str, int] = {}

    def count() -> int:
        if "n" not in cache:
            cache["n"] = notification_unread_count(user, cap=BELL_CAP)
        return cache["n"]

    return {"notifications_unread": count}
