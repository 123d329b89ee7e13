"""Issue 5: callback unsatisfied -> reopened -> explanation -> completed again, through the API and the screens."""

import pytest
from rest_framework.test import APIClient

from reviews.models import Callback, SpecialSupervision
from tickets import services
from tickets.models import Ticket, TicketEvent
from tickets.tests.factories import good_results, make_ticket

UNSATISFIED = {"satisfaction": "unsatisfied", "resolved": "unresolved", "comment": "商家仍未退款"}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _completed(org) -> Ticket:
    ticket = make_ticket(org)
    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    services.ticket_accept(ticket, actor=org.handler)
    services.ticket_record_first_contact(ticket, actor=org.handler)
    services.ticket_submit_reply(ticket, actor=org.handler, reply_text="已调解", results=good_results(ticket.kind))
    from reviews.services import review_approve

    review_approve(ticket, actor=org.deputy)
    review_approve(Ticket.objects.get(pk=ticket.pk), actor=org.reviewer)
    return Ticket.objects.get(pk=ticket.pk)


def _staff(user) -> APIClient:
    api = APIClient()
    api.force_login(user)
    return api


def _callback_twice(platform, ticket):
    url = f"/api/v1/hotline/tickets/{ticket.source}/{ticket.external_id}/callback/"
    return platform.post(url, UNSATISFIED, format="json"), platform.post(url, UNSATISFIED, format="json")


def _feed_statuses_after(platform, ticket, update_id: int) -> list[str]:
    results = platform.get("/api/v1/hotline/updates/", {"after": update_id, "limit": 500}).json()["results"]
    return [r["status"] for r in results if r["external_id"] == ticket.external_id]


def test_redo_through_the_api(platform, org):
    ticket = _completed(org)
    last_seen = platform.get("/api/v1/hotline/updates/", {"limit": 500}).json()["results"][-1]["update_id"]

    first, again = _callback_twice(platform, ticket)
    reply = _staff(org.handler).post(
        f"/api/v1/staff/tickets/{ticket.pk}/reply/",
        {
            "reply_text": "再次联系商家，已退还全部学费。",
            "complaint": {"finding": "substantiated", "outcome": "mediated", "is_violation_suspected": False},
            "explanation": "首次调解后商家未按约退款，已督促其全额退还。",
        },
        format="json",
    )
    unit = _staff(org.deputy).post(f"/api/v1/staff/tickets/{ticket.pk}/review-approve/", {}, format="json")
    section = _staff(org.reviewer).post(f"/api/v1/staff/tickets/{ticket.pk}/review-approve/", {}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert (first.json()["recorded"], again.json()["recorded"]) == (True, False)
    assert first.json()["ticket"]["status"] == "reopened"
    assert [d["clock"] for d in first.json()["ticket"]["deadlines"] if d["status"] == "open"] == ["redo"]
    assert Callback.objects.filter(ticket=ticket).count() == 1
    supervision = SpecialSupervision.objects.get(ticket=ticket)
    assert (supervision.unit, supervision.callback.source) == (org.office_a, "platform")
    assert reply.json()["events"][-1]["data"]["explanation"] == "首次调解后商家未按约退款，已督促其全额退还。"
    assert (reply.json()["status"], unit.json()["status"], section.json()["status"]) == (
        "unit_review",
        "section_review",
        "completed",
    )
    assert {d["clock"]: d["status"] for d in section.json()["deadlines"]}["redo"] == "met"
    assert _feed_statuses_after(platform, ticket, last_seen) == [
        "reopened",
        "unit_review",
        "section_review",
        "completed",
    ]


def test_redo_reply_without_explanation_answers_400(platform, org):
    ticket = _completed(org)
    _callback_twice(platform, ticket)

    response = _staff(org.handler).post(
        f"/api/v1/staff/tickets/{ticket.pk}/reply/",
        {"reply_text": "已退款", "complaint": {"finding": "substantiated", "outcome": "mediated"}},
        format="json",
    )

    assert response.status_code == 400
    assert "explanation" in response.json()["error"]["fields"]
    assert Ticket.objects.get(pk=ticket.pk).status == "reopened"


def test_redo_through_the_screens(platform, org, client):
    ticket = _completed(org)
    _callback_twice(platform, ticket)
    reopened = Ticket.objects.get(pk=ticket.pk)

    client.force_login(org.handler)
    page = client.get(f"/tickets/{ticket.pk}/")
    missing = client.post(
        f"/tickets/{ticket.pk}/reply/",
        {
            "version": reopened.version,
            "reply_text": "再次联系商家，已退还全部学费。",
            "complaint_finding": "substantiated",
            "complaint_outcome": "mediated",
            "complaint_is_violation_suspected": "no",
        },
    )
    replied = client.post(
        f"/tickets/{ticket.pk}/reply/",
        {
            "version": reopened.version,
            "reply_text": "再次联系商家，已退还全部学费。",
            "complaint_finding": "substantiated",
            "complaint_outcome": "mediated",
            "complaint_is_violation_suspected": "no",
            "explanation": "首次调解后商家未按约退款，已督促其全额退还。",
        },
    )
    in_unit_review = Ticket.objects.get(pk=ticket.pk)
    client.force_login(org.deputy)
    panel = client.get(f"/reviews/tickets/{ticket.pk}/")
    client.post(f"/reviews/tickets/{ticket.pk}/approve/", {"version": in_unit_review.version, "comment": "同意"})
    in_section_review = Ticket.objects.get(pk=ticket.pk)
    client.force_login(org.reviewer)
    client.post(f"/reviews/tickets/{ticket.pk}/approve/", {"version": in_section_review.version})
    completed = Ticket.objects.get(pk=ticket.pk)

    assert page.status_code == 200
    assert f'action="/tickets/{ticket.pk}/reply/"' in page.content.decode()
    assert missing.status_code == 400
    assert (replied.status_code, replied["Location"]) == (302, f"/tickets/{ticket.pk}/")
    assert in_unit_review.status == "unit_review"
    assert "首次调解后商家未按约退款" in panel.content.decode()
    assert in_section_review.status == "section_review"
    assert completed.status == "completed"
    assert completed.clocks.get(clock="redo").status == "met"
    codes = list(TicketEvent.objects.filter(ticket=ticket).order_by("at", "id").values_list("code", flat=True))
    # the completion makes the closing opinion again (documents): a new version
    assert codes[-6:] == ["callback", "reopened", "reply_submitted", "unit_approved", "completed", "document_issued"]
