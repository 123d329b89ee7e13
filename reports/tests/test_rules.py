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
