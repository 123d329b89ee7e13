import pytest
from django.urls import reverse

from reviews.models import Return
from reviews.tests.factories import (
    completed_ticket,
    submit,
    ticket_in_section_review,
    ticket_in_unit_review,
    unsubstantiated_results,
)
from tickets.choices import Status

pytestmark = pytest.mark.usefixtures("frozen")


def test_pending_reviews_deputy_sees_own_units_unit_review(client, org):
    mine = ticket_in_unit_review(org)
    ticket_in_unit_review(org, unit=org.office_b)
    ticket_in_section_review(org)
    client.force_login(org.deputy)

    response = client.get(reverse("reviews:pending"))

    assert [t.pk for t in response.context["tickets"]] == [mine.pk]
    assert mine.external_id in response.content.decode()


def test_pending_reviews_section_sees_section_review(client, org):
    ticket_in_unit_review(org)
    waiting = ticket_in_section_review(org)
    client.force_login(org.reviewer)

    response = client.get(reverse("reviews:pending"))

    assert [t.pk for t in response.context["tickets"]] == [waiting.pk]


@pytest.mark.parametrize("rows", [1, 3])
def test_pending_reviews_query_count_is_constant(client, org, django_assert_num_queries, rows):
    for _ in range(rows):
        ticket_in_unit_review(org)
    client.force_login(org.deputy)
    client.get(reverse("reviews:pending"))  # warm the session

    # session, user with unit and roles, count, rows, bell
    with django_assert_num_queries(5):
        response = client.get(reverse("reviews:pending"))

    assert len(response.context["tickets"]) == rows


def test_pending_reviews_handler_is_forbidden(client, org):
    client.force_login(org.handler)

    response = client.get(reverse("reviews:pending"))

    assert response.status_code == 403


def test_review_page_shows_panel_to_deputy(client, org):
    ticket = ticket_in_unit_review(org)
    client.force_login(org.deputy)

    response = client.get(reverse("reviews:review", args=[ticket.pk]))

    content = response.content.decode()
    assert reverse("reviews:approve", args=[ticket.pk]) in content
    assert reverse("reviews:return", args=[ticket.pk]) in content


def test_review_page_hides_panel_from_handler(client, org):
    ticket = ticket_in_unit_review(org)
    client.force_login(org.handler)

    response = client.get(reverse("reviews:review", args=[ticket.pk]))

    content = response.content.decode()
    assert response.context["ticket"].pk == ticket.pk
    assert reverse("reviews:approve", args=[ticket.pk]) not in content


def test_review_page_other_unit_is_404(client, org):
    ticket = ticket_in_unit_review(org)
    client.force_login(org.deputy_b)

    response = client.get(reverse("reviews:review", args=[ticket.pk]))

    assert response.status_code == 404


def test_approve_view_moves_to_section_review(client, org):
    ticket = ticket_in_unit_review(org)
    client.force_login(org.deputy)

    response = client.post(reverse("reviews:approve", args=[ticket.pk]), {"comment": "同意", "version": ticket.version})

    ticket.refresh_from_db()
    assert (response.status_code, response.url) == (302, reverse("reviews:pending"))
    assert ticket.status == Status.SECTION_REVIEW


def test_approve_view_get_is_not_allowed(client, org):
    ticket = ticket_in_unit_review(org)
    client.force_login(org.deputy)

    response = client.get(reverse("reviews:approve", args=[ticket.pk]))

    ticket.refresh_from_db()
    assert (response.status_code, ticket.status) == (405, Status.UNIT_REVIEW)


def test_approve_view_failed_check_shows_message(client, org):
    ticket = ticket_in_unit_review(org, results=unsubstantiated_results())
    ticket.attachments.all().delete()  # as if removed after submission: the review checks again
    client.force_login(org.deputy)

    response = client.post(reverse("reviews:approve", args=[ticket.pk]), {"version": ticket.version}, follow=True)

    ticket.refresh_from_db()
    assert ticket.status == Status.UNIT_REVIEW
    assert [str(m) for m in response.context["messages"]] == ["“不属实”结论须在工单上附证据材料。"]


def test_approve_view_stale_version_is_refused(client, org):
    ticket = ticket_in_unit_review(org)
    client.force_login(org.deputy)

    response = client.post(reverse("reviews:approve", args=[ticket.pk]), {"version": ticket.version - 1}, follow=True)

    ticket.refresh_from_db()
    assert ticket.status == Status.UNIT_REVIEW
    assert len(list(response.context["messages"])) == 1


def test_approve_clicked_twice_shows_a_message_not_403(client, org):
    # QA: the second click of 审核通过 (the ticket already in section review) answered the 403 page.
    ticket = ticket_in_unit_review(org)
    client.force_login(org.deputy)
    data = {"comment": "同意", "version": ticket.version}
    client.post(reverse("reviews:approve", args=[ticket.pk]), data, follow=True)

    response = client.post(reverse("reviews:approve", args=[ticket.pk]), data, follow=True)

    ticket.refresh_from_db()
    assert (response.status_code, ticket.status) == (200, Status.SECTION_REVIEW)
    assert [str(m) for m in response.context["messages"]] == ["该工单已不在此环节，请刷新。"]


def test_approve_view_other_unit_deputy_gets_404(client, org):
    ticket = ticket_in_unit_review(org)
    client.force_login(org.deputy_b)

    response = client.post(reverse("reviews:approve", args=[ticket.pk]), {})

    ticket.refresh_from_db()
    assert (response.status_code, ticket.status) == (404, Status.UNIT_REVIEW)


def test_approve_view_handler_of_same_unit_is_forbidden(client, org):
    ticket = ticket_in_unit_review(org)
    client.force_login(org.handler)

    response = client.post(reverse("reviews:approve", args=[ticket.pk]), {})

    ticket.refresh_from_db()
    assert (response.status_code, ticket.status) == (403, Status.UNIT_REVIEW)


def test_approve_view_section_completes(client, org):
    ticket = ticket_in_section_review(org)
    client.force_login(org.chief)

    client.post(reverse("reviews:approve", args=[ticket.pk]), {"version": ticket.version})

    ticket.refresh_from_db()
    assert ticket.status == Status.COMPLETED


def test_return_view_records_return(client, org):
    ticket = ticket_in_unit_review(org)
    client.force_login(org.deputy)

    response = client.post(
        reverse("reviews:return", args=[ticket.pk]),
        {"reason_codes": ["facts_unclear", "evidence_missing"], "comment": "补充", "version": ticket.version},
    )

    ticket.refresh_from_db()
    assert response.status_code == 302
    assert (ticket.status, ticket.return_count) == (Status.IN_PROGRESS, 1)
    assert Return.objects.get().reason_codes == ["facts_unclear", "evidence_missing"]


def test_return_view_other_without_comment_is_refused(client, org):
    ticket = ticket_in_unit_review(org)
    client.force_login(org.deputy)

    response = client.post(reverse("reviews:return", args=[ticket.pk]), {"reason_codes": ["other"]}, follow=True)

    ticket.refresh_from_db()
    assert ticket.status == Status.UNIT_REVIEW
    assert [str(m) for m in response.context["messages"]] == ["请说明“其他”理由。"]


def test_return_view_without_reason_is_refused(client, org):
    ticket = ticket_in_unit_review(org)
    client.force_login(org.deputy)

    client.post(reverse("reviews:return", args=[ticket.pk]), {"comment": "x"})

    assert Return.objects.count() == 0


def test_return_view_other_bureau_is_404(client, org):
    from org.tests.factories import make_org

    other = make_org("qp")
    ticket = ticket_in_section_review(org)
    client.force_login(other.reviewer)

    response = client.post(reverse("reviews:return", args=[ticket.pk]), {"reason_codes": ["facts_unclear"]})

    assert response.status_code == 404
    assert Return.objects.count() == 0


@pytest.mark.parametrize("rows", [1, 3])
def test_returns_list_query_count_is_constant(client, org, django_assert_num_queries, rows):
    for _ in range(rows):
        ticket = ticket_in_unit_review(org)
        from reviews.services import review_return

        review_return(ticket, actor=org.deputy, reason_codes=["facts_unclear"])
    client.force_login(org.chief)
    client.get(reverse("reviews:returns"))

    with django_assert_num_queries(6):
        response = client.get(reverse("reviews:returns"))

    assert len(response.context["returns"]) == rows


def test_returns_list_filters_by_unit_and_reason(client, org):
    from reviews.services import review_return

    a = ticket_in_unit_review(org)
    review_return(a, actor=org.deputy, reason_codes=["facts_unclear"])
    b = ticket_in_unit_review(org, unit=org.office_b)
    review_return(b, actor=org.deputy_b, reason_codes=["evidence_missing"])
    client.force_login(org.chief)

    by_unit = client.get(reverse("reviews:returns"), {"unit": org.office_b.pk})
    by_reason = client.get(reverse("reviews:returns"), {"reason": "facts_unclear", "unit": "x"})

    assert [r.ticket_id for r in by_unit.context["returns"]] == [b.pk]
    assert [r.ticket_id for r in by_reason.context["returns"]] == [a.pk]


def test_returns_list_unit_deputy_sees_only_own_unit(client, org):
    from reviews.services import review_return

    a = ticket_in_unit_review(org)
    review_return(a, actor=org.deputy, reason_codes=["facts_unclear"])
    b = ticket_in_unit_review(org, unit=org.office_b)
    review_return(b, actor=org.deputy_b, reason_codes=["facts_unclear"])
    client.force_login(org.deputy)

    response = client.get(reverse("reviews:returns"))

    assert [r.ticket_id for r in response.context["returns"]] == [a.pk]


def test_resubmission_after_return_reaches_unit_review_again(client, org):
    ticket = ticket_in_unit_review(org)
    client.force_login(org.deputy)
    client.post(reverse("reviews:return", args=[ticket.pk]), {"reason_codes": ["reply_substandard"]})
    ticket.refresh_from_db()

    submit(ticket, org.handler)
    client.post(reverse("reviews:approve", args=[ticket.pk]), {})

    ticket.refresh_from_db()
    assert (ticket.status, ticket.return_count) == (Status.SECTION_REVIEW, 1)


def test_review_page_completed_ticket_shows_callback_form_to_section(client, org):
    ticket = completed_ticket(org)
    client.force_login(org.reviewer)

    response = client.get(reverse("reviews:review", args=[ticket.pk]))

    assert reverse("reviews:callback", args=[ticket.pk]) in response.content.decode()


def test_pending_reviews_leader_sees_both_stages(client, org):
    at_unit = ticket_in_unit_review(org)
    at_section = ticket_in_section_review(org)
    client.force_login(org.leader)

    response = client.get(reverse("reviews:pending"))

    assert [t.pk for t in response.context["tickets"]] == [at_unit.pk, at_section.pk]


def test_pending_reviews_stage_filter_lists_every_unit_at_that_stage_for_the_section(client, org):
    at_unit = ticket_in_unit_review(org, unit=org.office_b)
    ticket_in_section_review(org)
    client.force_login(org.reviewer)

    response = client.get(reverse("reviews:pending"), {"stage": "unit"})

    assert [t.pk for t in response.context["tickets"]] == [at_unit.pk]


def test_pending_reviews_stage_filter_stays_in_the_deputys_unit(client, org):
    ticket_in_unit_review(org, unit=org.office_b)
    mine = ticket_in_unit_review(org)
    client.force_login(org.deputy)

    response = client.get(reverse("reviews:pending"), {"stage": "unit"})

    assert [t.pk for t in response.context["tickets"]] == [mine.pk]
