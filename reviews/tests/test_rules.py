import pytest

from org.tests.factories import make_org
from reviews.tests.factories import completed_ticket, ticket_in_section_review, ticket_in_unit_review


@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        ("deputy", True),
        ("unit_leader", True),
        ("deputy_b", False),
        ("handler", False),
        ("reviewer", False),
        ("chief", False),
        ("dispatcher", False),
        ("leader", False),
    ],
)
def test_review_ticket_at_unit_stage_only_the_units_deputy_and_leader_may(org, person, allowed):
    ticket = ticket_in_unit_review(org)

    assert getattr(org, person).has_perm("reviews.review_ticket", ticket) is allowed


@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        ("reviewer", True),
        ("chief", True),
        ("deputy", False),
        ("handler", False),
        ("dispatcher", False),
        ("leader", False),
    ],
)
def test_review_ticket_at_section_stage_only_the_sections_reviewer_and_chief_may(org, person, allowed):
    ticket = ticket_in_section_review(org)

    assert getattr(org, person).has_perm("reviews.review_ticket", ticket) is allowed


def test_review_ticket_section_of_other_bureau_is_refused(org):
    ticket = ticket_in_section_review(org)
    other = make_org("qp")

    assert other.reviewer.has_perm("reviews.review_ticket", ticket) is False


def test_review_ticket_completed_is_refused_to_everyone(org):
    ticket = completed_ticket(org)

    assert [
        org.deputy.has_perm("reviews.review_ticket", ticket),
        org.chief.has_perm("reviews.review_ticket", ticket),
    ] == [
        False,
        False,
    ]


@pytest.mark.parametrize(
    ("person", "allowed"), [("reviewer", True), ("chief", True), ("deputy", False), ("handler", False)]
)
def test_record_callback_on_completed_ticket_only_the_section_may(org, person, allowed):
    ticket = completed_ticket(org)

    assert getattr(org, person).has_perm("reviews.record_callback", ticket) is allowed


def test_record_callback_on_open_ticket_is_refused(org):
    ticket = ticket_in_unit_review(org)

    assert org.reviewer.has_perm("reviews.record_callback", ticket) is False


@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        ("reviewer", True),
        ("chief", True),
        ("leader", True),
        ("admin", True),
        ("deputy", False),
        ("handler", False),
        ("dispatcher", False),
    ],
)
def test_view_dashboard_bureau_wide_roles_may_unit_roles_may_not(org, person, allowed):
    assert getattr(org, person).has_perm("reviews.view_dashboard") is allowed
