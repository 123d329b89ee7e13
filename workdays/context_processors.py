from django.utils import timezone
from django.utils.translation import gettext

from workdays.calendar import missing_years


def calendar_warning(request):
    """Administrators see a banner while this year or next has no holiday schedule entered."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("workdays.manage_calendar"):
        return {}
    this_year = timezone.localdate().year
    years = missing_years([this_year, this_year + 1])
    if not years:
        return {}
    return {
        "calendar_missing_years": years,
        "calendar_warning_text": gettext(
            "No holiday schedule has been entered for %(years)s: deadlines in that period count Monday to Friday only."
        )
        % {"years": ", ".join(str(year) for year in years)},
    }
