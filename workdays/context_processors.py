from django.utils import timezone

from workdays.calendar import missing_years


def calendar_warning(request):
    """Administrators see a banner while this year or next has no holiday schedule entered."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("workdays.manage_calendar"):
        return {}
    this_year = timezone.localdate().year
    return {"calendar_missing_years": missing_years([this_year, this_year + 1])}
