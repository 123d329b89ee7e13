import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        ("reviewer", True),
        ("chief", True),
        ("leader", True),
        ("unit_leader", True),
        ("admin", True),  # a superuser counts as holding every role
        ("dispatcher", False),
        ("handler", False),
        ("deputy", False),
    ],
)
def test_view_reports_by_role(org, person, allowed):
    assert getattr(org, person).has_perm("reports.view_reports") is allowed


@pytest.mark.parametrize(
    ("person", "entries"),
    [
        ("chief", ["/reports/", "/reports/period/", "/reports/annual/", "/reports/hotspots/", "/reports/screen/"]),
        ("leader", ["/reports/", "/reports/period/", "/reports/annual/", "/reports/hotspots/", "/reports/screen/"]),
        ("unit_leader", ["/reports/", "/reports/period/", "/reports/annual/", "/reports/hotspots/"]),
        ("handler", []),
    ],
)
def test_menu_shows_the_report_pages_to_those_who_may_open_them(rf, org, person, entries):
    from org.context_processors import navigation

    request = rf.get("/")
    request.user = getattr(org, person)

    shown = [item["url"] for item in navigation(request)["nav_items"] if item["url"].startswith("/reports/")]
    assert shown == entries
