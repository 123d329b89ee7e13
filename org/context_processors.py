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
    ("reviews:dashboard", _("Review"), "reviews.view_dashboard"),
    ("reviews:pending", _("Pending reviews"), "reviews.view_pending_reviews"),
    ("reports:index", _("Reports"), "reports.view_reports"),
    ("admin:index", _("Administration"), "org.use_admin"),
]


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


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for url_name, label, perm in NAVIGATION:
        if perm is not None and not user.has_perm(perm):
            continue
        url = _url(url_name)
        if url is None:
            continue
        items.append({"url": url, "label": label, "active": request.path == url})
    return {"nav_items": items}
