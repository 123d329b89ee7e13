from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, permission). The first permission a user holds shows the entry; an entry
# whose page is not installed yet is left out rather than linking to a 404.
NAVIGATION = [
    ("home", _("Home"), None),
    ("tickets:inbox", _("Dispatch inbox"), "tickets.view_inbox"),
    ("tickets:intake", _("New work order"), "tickets.create_ticket"),
    ("tickets:my_work", _("My work"), "tickets.view_my_work"),
    ("tickets:unit_queue", _("Unit queue"), "tickets.view_unit_queue"),
    ("notifications:due", _("Due soon"), "notifications.view_due_panel"),
    ("notifications:tiers", _("Reminders by unit"), "notifications.view_tier_counts"),
    ("tickets:list", _("Search"), "tickets.search_tickets"),
    ("tickets:requests", _("Approvals"), "tickets.view_requests"),
    ("tickets:objections", _("Dispatch objections"), "tickets.view_objections"),
    ("reviews:dashboard", _("Review"), "reviews.view_dashboard"),
    ("reviews:pending", _("Pending reviews"), "reviews.view_pending_reviews"),
    ("alerts:list", _("Cluster alerts"), "alerts.view_alerts"),
    ("dispatch:catalogue", _("Dispatch catalogue"), "dispatch.view_catalogue"),
    ("documents:archive", _("Archive"), "documents.download_archive"),
    ("reports:index", _("Reports"), "reports.view_reports"),
    ("reports:period", _("Any period"), "reports.view_reports"),
    ("reports:annual", _("Annual report"), "reports.view_annual"),
    ("reports:hotspots", _("Hotspots"), "reports.view_hotspots"),
    ("reports:screen", _("Leader's screen"), "reports.view_screen"),
    ("integrations:clients", _("Platform clients"), "integrations.manage_clients"),
    ("admin:index", _("Administration"), "org.use_admin"),
]


def nav_label(url_name: str):
    """The menu's name of a page: a message or a panel that points at the page names it so (issue 18)."""
    return next(label for name, label, _perm in NAVIGATION if name == url_name)


_urls: dict[tuple[str, str, str], str | None] = {}


def _url(url_name: str) -> str | None:
    """The entry's address, reversed once per process (per urlconf and script prefix): the nav is on every page."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), url_name)
    if key not in _urls:
        try:
            _urls[key] = reverse(url_name)
        except NoReverseMatch:
            _urls[key] = None
    return _urls[key]


_entries: dict[tuple, list[tuple[str, object]]] = {}


def _entries_for(user) -> list[tuple[str, object]]:
    """The (url, label) entries this user sees, worked out once per process for each set of roles.

    Every NAVIGATION permission is a role predicate (org/rules.py): whether a user holds it depends on
    the user's roles, superuser and active flags and nothing else, so users with the same roles see the
    same entries. Asking django-rules the 12 permissions cost ~2 ms on every page.
    """
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), user.role_codes, user.is_superuser)
    if key not in _entries:
        entries = []
        for url_name, label, perm in NAVIGATION:
            url = _url(url_name)  # first: a page that is not installed needs no permission check
            if url is None or (perm is not None and not user.has_perm(perm)):
                continue
            entries.append((url, label))
        _entries[key] = entries
    return _entries[key]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {
        "nav_items": [{"url": url, "label": label, "active": request.path == url} for url, label in _entries_for(user)]
    }
