"""The staff API's lists, intake, requests, clocks, acceptance, personal data, attachments and callback."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from org.tests.factories import make_org
from reviews.models import Callback
from reviews.services import review_approve
from tickets import services
from tickets.models import Attachment, Ticket, TicketEvent, TicketRequest
from tickets.tests.factories import good_results, make_ticket
from workdays.calendar import SHANGHAI

API = "/api/v1/staff/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def staff(user) -> APIClient:
    api = APIClient()
    api.force_login(user)
    return api


def url(ticket, action=""):
    return f"{API}tickets/{ticket.pk}/" + (f"{action}/" if action else "")


def _dispatched(org, unit=None):
    ticket = make_ticket(org)
    services.ticket_dispatch(ticket, unit=unit or org.office_a, actor=org.dispatcher)
    return ticket


def _handling(org):
    ticket = _dispatched(org)
    services.ticket_accept(ticket, actor=org.handler)
    services.ticket_record_first_contact(ticket, actor=org.handler)
    return Ticket.objects.get(pk=ticket.pk)


def _in_unit_review(org):
    ticket = _handling(org)
    services.ticket_submit_reply(ticket, actor=org.handler, reply_text="已调解", results=good_results(ticket.kind))
    return Ticket.objects.get(pk=ticket.pk)


def _completed(org):
    ticket = _in_unit_review(org)
    review_approve(ticket, actor=org.deputy)
    review_approve(Ticket.objects.get(pk=ticket.pk), actor=org.reviewer)
    return Ticket.objects.get(pk=ticket.pk)


def _extension_requested(org, ticket=None):
    ticket = ticket or _handling(org)
    return services.ticket_request_extension(ticket, actor=org.handler, clock="reply", working_days=5, reason="需检测")


# ---------------------------------------------------------------- lists: query counts


LISTS = {
    # the user comes with the unit (org.backends): bureau-wide roles read its bureau from there; the inbox
    # reads with its page what the suggester reads (the suggestion each work order keeps among it), then the page's
    # possible duplicates (one query)
    "inbox": ("inbox/", "dispatcher", lambda org: make_ticket(org), None),
    "my_work": ("my-work/", "handler", _dispatched, 3),
    "unit_queue": ("unit-queue/", "deputy", _dispatched, 3),
    "pending_reviews": ("reviews/pending/", "deputy", _in_unit_review, 3),
}


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("name", list(LISTS))
def test_staff_ticket_lists_query_count_is_constant(org, name, rows, django_assert_num_queries):
    path, who, make, queries = LISTS[name]
    if queries is None:  # the inbox
        queries = 4
    tickets = [make(org) for _ in range(rows)]
    api = staff(getattr(org, who))
    api.get(API + path)  # warm the session

    # session, user with unit and roles, the page
    with django_assert_num_queries(queries):
        response = api.get(API + path)

    assert sorted(row["id"] for row in response.json()["results"]) == sorted(t.pk for t in tickets)


@pytest.mark.parametrize("rows", [1, 3])
def test_staff_request_list_query_count_is_constant(org, rows, django_assert_num_queries):
    approvals = [_extension_requested(org) for _ in range(rows)]
    api = staff(org.reviewer)
    api.get(API + "requests/")

    with django_assert_num_queries(3):
        response = api.get(API + "requests/")

    assert [row["id"] for row in response.json()["results"]] == [a.pk for a in approvals]
    assert response.json()["results"][0]["requested_by"] == org.handler.display_name


# ---------------------------------------------------------------- lists: content, order, paging, isolation


def test_staff_inbox_is_oldest_first_and_paged(org):
    late = make_ticket(org, received_at=dt.datetime(2026, 9, 30, 12, 0, tzinfo=SHANGHAI))
    early = make_ticket(org, received_at=dt.datetime(2026, 9, 29, 9, 0, tzinfo=SHANGHAI))
    _dispatched(org)
    api = staff(org.dispatcher)

    first = api.get(API + "inbox/", {"limit": 1}).json()
    second = api.get(first["next"]).json()

    assert [r["id"] for r in first["results"] + second["results"]] == [early.pk, late.pk]
    assert second["next"] is None


def test_staff_list_with_bad_limit_answers_400(org):
    response = staff(org.dispatcher).get(API + "inbox/", {"limit": "0"})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["limit"]


@pytest.mark.parametrize(
    ("path", "who"),
    [("inbox/", "handler"), ("my-work/", "dispatcher"), ("unit-queue/", "reviewer"), ("requests/", "handler")],
)
def test_staff_lists_need_their_permission(org, path, who):
    response = staff(getattr(org, who)).get(API + path)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_staff_my_work_and_unit_queue_hold_only_my_units_tickets(org):
    mine = _dispatched(org)
    _dispatched(org, unit=org.office_b)

    my_work = staff(org.handler).get(API + "my-work/").json()["results"]
    queue = staff(org.deputy).get(API + "unit-queue/").json()["results"]

    assert [r["id"] for r in my_work] == [mine.pk]
    assert [r["id"] for r in queue] == [mine.pk]


def test_staff_pending_reviews_of_another_unit_are_not_listed(org):
    _in_unit_review(org)

    rows = staff(org.deputy_b).get(API + "reviews/pending/").json()["results"]
    staged = staff(org.deputy_b).get(API + "reviews/pending/", {"stage": "unit"}).json()["results"]

    assert (rows, staged) == ([], [])


def test_staff_pending_reviews_by_stage_for_the_section(org):
    ticket = _in_unit_review(org)

    rows = staff(org.reviewer).get(API + "reviews/pending/", {"stage": "unit"}).json()["results"]
    bad = staff(org.reviewer).get(API + "reviews/pending/", {"stage": "nope"})

    assert [r["id"] for r in rows] == [ticket.pk]
    assert bad.status_code == 400


def test_staff_inbox_and_requests_of_another_bureau_are_not_listed(org):
    make_ticket(org)
    _extension_requested(org)
    other = make_org("qp")

    inbox = staff(other.dispatcher).get(API + "inbox/").json()["results"]
    approvals = staff(other.reviewer).get(API + "requests/").json()["results"]

    assert (inbox, approvals) == ([], [])


# ---------------------------------------------------------------- integration keys and other units


def _every_endpoint(org):
    ticket = _handling(org)
    approval = _extension_requested(org, ticket)
    attachment = services.ticket_add_attachment(
        ticket, actor=org.handler, uploaded_file=SimpleUploadedFile("a.png", PNG)
    )
    gets = ["inbox/", "my-work/", "unit-queue/", "reviews/pending/", "requests/"]
    posts = [
        "tickets/intake/",
        f"requests/{approval.pk}/decide/",
        *(
            f"tickets/{ticket.pk}/{action}/"
            for action in (
                "extension-request",
                "return-request",
                "pause",
                "resume",
                "acceptance",
                "reporter-notified",
                "reveal",
                "callback",
                "attachments",
            )
        ),
    ]
    return ticket, gets + [f"tickets/{ticket.pk}/attachments/{attachment.pk}/"], posts


def test_staff_new_ticket_endpoints_answer_404_for_another_units_ticket(org):
    ticket, gets, posts = _every_endpoint(org)
    api = staff(org.handler_b)
    ticket_paths = [p for p in gets + posts if p.startswith("tickets/") and p != "tickets/intake/"]

    answers = {path: api.get(API + path).status_code for path in ticket_paths if path.count("/") == 4}
    answers |= {path: api.post(API + path, {}, format="json").status_code for path in posts if path in ticket_paths}

    assert set(answers.values()) == {404}
    assert len(answers) == 10
    assert TicketEvent.objects.filter(ticket=ticket, code="personal_data_revealed").count() == 0


def test_staff_request_decision_of_another_bureau_answers_404(org):
    approval = _extension_requested(org)
    other = make_org("qp")

    response = staff(other.reviewer).post(f"{API}requests/{approval.pk}/decide/", {"is_approved": True}, format="json")

    assert response.status_code == 404
    assert TicketRequest.objects.get(pk=approval.pk).status == "pending"


# ---------------------------------------------------------------- manual intake


def _intake(**extra):
    return {
        "source": "walk_in",
        "kind": "complaint",
        "content": "商场内某店铺拒绝退货。",
        "received_at": "2026-09-30T10:00:00+08:00",
        "complainant": {"name": "张三", "phone": "138 1234 5678"},
        "respondent": {"name": "某某教育科技有限公司", "credit_code": "91310117ma1j2xxxxx"},
        **extra,
    }


def test_staff_intake_creates_a_numbered_work_order(org):
    response = staff(org.dispatcher).post(API + "tickets/intake/", _intake(respondent={}), format="json")

    body = response.json()
    assert response.status_code == 201
    assert (body["status"], body["source"], body["external_id"][:12]) == ("received", "walk_in", "HL-20260930-")
    assert Ticket.objects.get(pk=body["id"]).complainant_phone == "13812345678"


def test_staff_intake_warns_of_duplicates_until_confirmed(org):
    existing = make_ticket(org)
    api = staff(org.dispatcher)

    warned = api.post(API + "tickets/intake/", _intake(), format="json")
    confirmed = api.post(API + "tickets/intake/", _intake(confirm_duplicate=True), format="json")

    assert warned.status_code == 409
    assert warned.json()["error"]["code"] == "possible_duplicate"
    assert [d["id"] for d in warned.json()["duplicates"]] == [existing.pk]
    assert confirmed.status_code == 201
    assert Ticket.objects.count() == 2


def test_staff_intake_does_not_see_another_bureaus_duplicates(org):
    make_ticket(org)
    other = make_org("qp")

    response = staff(other.dispatcher).post(API + "tickets/intake/", _intake(), format="json")

    assert response.status_code == 201
    assert Ticket.objects.get(pk=response.json()["id"]).bureau == other.bureau


def test_staff_intake_with_a_taken_number_answers_400(org):
    make_ticket(org, source="walk_in", external_id="W-1")
    response = staff(org.dispatcher).post(
        API + "tickets/intake/", _intake(external_id="W-1", confirm_duplicate=True), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["external_id"]


def test_staff_intake_needs_create_ticket(org):
    response = staff(org.handler).post(API + "tickets/intake/", _intake(), format="json")

    assert response.status_code == 403
    assert Ticket.objects.count() == 0


# ---------------------------------------------------------------- requests and decisions


def test_staff_extension_request_then_approval_extends_the_deadline(org):
    ticket = _handling(org)
    due_before = ticket.clocks.get(clock="reply").due_at

    asked = staff(org.handler).post(
        url(ticket, "extension-request"), {"clock": "reply", "working_days": 5, "reason": "需检测"}, format="json"
    )
    listed = staff(org.reviewer).get(API + "requests/").json()["results"]
    decided = staff(org.reviewer).post(
        f"{API}requests/{listed[0]['id']}/decide/", {"is_approved": True, "note": "同意"}, format="json"
    )
    again = staff(org.reviewer).post(f"{API}requests/{listed[0]['id']}/decide/", {"is_approved": True}, format="json")

    assert [e["code"] for e in asked.json()["events"]][-1] == "extension_requested"
    assert (listed[0]["kind"], listed[0]["working_days"]) == ("extension", 5)
    assert decided.json()["status"] == "approved"
    assert ticket.clocks.get(clock="reply").due_at > due_before
    assert again.status_code == 409


def test_staff_extension_request_twice_answers_409(org):
    ticket = _handling(org)
    body = {"clock": "reply", "working_days": 5, "reason": "需检测"}
    api = staff(org.handler)

    api.post(url(ticket, "extension-request"), body, format="json")
    second = api.post(url(ticket, "extension-request"), body, format="json")

    assert second.status_code == 409
    assert TicketRequest.objects.filter(ticket=ticket).count() == 1


def test_staff_request_decision_needs_decide_request(org):
    approval = _extension_requested(org)

    response = staff(org.dispatcher).post(f"{API}requests/{approval.pk}/decide/", {"is_approved": True}, format="json")

    assert response.status_code == 403
    assert TicketRequest.objects.get(pk=approval.pk).status == "pending"


def test_staff_return_request_by_dispatcher_then_approval_returns_it(org):
    ticket = make_ticket(org)

    asked = staff(org.dispatcher).post(
        url(ticket, "return-request"), {"reason_code": "not_jurisdiction", "reason": "非本局管辖"}, format="json"
    )
    approval = TicketRequest.objects.get(ticket=ticket)
    staff(org.chief).post(f"{API}requests/{approval.pk}/decide/", {"is_approved": True}, format="json")

    assert asked.status_code == 200
    assert Ticket.objects.get(pk=ticket.pk).status == "returned_to_platform"


def test_staff_return_request_needs_the_permission(org):
    ticket = make_ticket(org)

    response = staff(org.reviewer).post(
        url(ticket, "return-request"), {"reason_code": "other", "reason": "x"}, format="json"
    )

    assert response.status_code == 403
    assert TicketRequest.objects.count() == 0


# ---------------------------------------------------------------- clocks and acceptance


def test_staff_pause_then_resume_clocks(org, frozen):
    ticket = _handling(org)
    api = staff(org.handler)

    empty = api.post(url(ticket, "pause"), {"reason": ""}, format="json")
    paused = api.post(url(ticket, "pause"), {"reason_code": "testing", "reason": "送检"}, format="json")
    resumed = api.post(url(ticket, "resume"), {"note": "报告已出"}, format="json")
    nothing = api.post(url(ticket, "resume"), {}, format="json")

    assert empty.status_code == 400
    assert [e["code"] for e in resumed.json()["events"]][-2:] == ["clocks_paused", "clocks_resumed"]
    assert {d["status"] for d in paused.json()["deadlines"]} >= {"paused"}
    # nothing is paused any more: not at this step (the ticket page offers no resume then either)
    assert (nothing.status_code, nothing.json()["error"]["code"]) == (409, "transition_not_allowed")


def _report_replied(org):
    """A real-name report whose reply (case opened) is submitted: the reporter-notice clock runs."""
    ticket = make_ticket(org, kind="report")
    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    services.ticket_accept(ticket, actor=org.handler)
    services.ticket_record_first_contact(ticket, actor=org.handler)
    return services.ticket_submit_reply(ticket, actor=org.handler, reply_text="已立案", results=good_results("report"))


def test_staff_reporter_notified_meets_the_clock_once(org):
    ticket = _report_replied(org)
    api = staff(org.handler)

    empty = api.post(url(ticket, "reporter-notified"), {"note": ""}, format="json")
    told = api.post(
        url(ticket, "reporter-notified"), {"note": "电话告知", "expected_version": ticket.version}, format="json"
    )
    again = api.post(url(ticket, "reporter-notified"), {"note": "电话告知"}, format="json")

    assert (empty.status_code, told.status_code, again.status_code) == (400, 200, 409)
    assert {d["clock"]: d["status"] for d in told.json()["deadlines"]}["reporter_notice"] == "met"
    assert TicketEvent.objects.filter(ticket=ticket, code="reporter_notified").count() == 1


def test_staff_reporter_notified_by_the_unit_deputy_is_forbidden(org):
    ticket = _report_replied(org)

    response = staff(org.deputy).post(url(ticket, "reporter-notified"), {"note": "电话告知"}, format="json")

    assert response.status_code == 403
    assert not TicketEvent.objects.filter(ticket=ticket, code="reporter_notified").exists()


def test_staff_pause_with_stale_version_answers_409(org):
    ticket = _handling(org)

    response = staff(org.handler).post(
        url(ticket, "pause"),
        {"reason_code": "testing", "reason": "送检", "expected_version": ticket.version - 1},
        format="json",
    )

    assert response.status_code == 409
    assert not TicketEvent.objects.filter(ticket=ticket, code="clocks_paused").exists()


def test_staff_acceptance_decision_once(org):
    ticket = _handling(org)
    api = staff(org.handler)

    decided = api.post(url(ticket, "acceptance"), {"is_accepted": True}, format="json")
    again = api.post(url(ticket, "acceptance"), {"is_accepted": False}, format="json")
    by_deputy = staff(org.deputy).post(url(ticket, "acceptance"), {"is_accepted": True}, format="json")

    # the decision, then the acceptance notice it makes (documents)
    assert [e["code"] for e in decided.json()["events"]][-2:] == ["acceptance_decided", "document_issued"]
    assert again.status_code == 409
    assert by_deputy.status_code == 403


# ---------------------------------------------------------------- personal data


def test_staff_reveal_answers_the_value_and_audits(org):
    ticket = make_ticket(org)

    response = staff(org.dispatcher).post(url(ticket, "reveal"), {"field": "complainant_phone"}, format="json")
    bad = staff(org.dispatcher).post(url(ticket, "reveal"), {"field": "password"}, format="json")

    assert response.json() == {"field": "complainant_phone", "value": "13812345678"}
    assert response["Cache-Control"] == "no-store"
    assert bad.status_code == 400
    event = TicketEvent.objects.get(ticket=ticket, code="personal_data_revealed")
    assert (event.actor, event.data, event.is_internal) == (org.dispatcher, {"field": "phone"}, True)
    timeline = staff(org.dispatcher).get(url(ticket)).json()["events"]
    assert [e["code"] for e in timeline] == ["received"]


def test_staff_reveal_needs_the_permission(org):
    ticket = make_ticket(org)

    response = staff(org.leader).post(url(ticket, "reveal"), {"field": "complainant_phone"}, format="json")

    assert response.status_code == 403
    assert not TicketEvent.objects.filter(code="personal_data_revealed").exists()


# ---------------------------------------------------------------- attachments


def test_staff_upload_then_download_an_attachment(org):
    ticket = _handling(org)
    api = staff(org.handler)

    uploaded = api.post(
        url(ticket, "attachments"),
        {"file": SimpleUploadedFile("现场.png", PNG), "purpose": "evidence"},
        format="multipart",
    )
    downloaded = api.get(uploaded.json()["url"])
    detail = api.get(url(ticket)).json()

    assert uploaded.status_code == 201
    assert (uploaded.json()["name"], uploaded.json()["content_type"]) == ("现场.png", "image/png")
    assert b"".join(downloaded.streaming_content) == PNG
    assert downloaded["Cache-Control"] == "private, no-store"
    assert [a["id"] for a in detail["attachments"]] == [uploaded.json()["id"]]


def test_staff_upload_refuses_a_file_whose_content_does_not_match(org):
    ticket = _handling(org)

    response = staff(org.handler).post(
        url(ticket, "attachments"), {"file": SimpleUploadedFile("x.png", b"MZ\x90\x00not an image")}, format="multipart"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["file"]
    assert Attachment.objects.count() == 0


def test_staff_upload_needs_the_permission(org):
    ticket = _handling(org)

    response = staff(org.reviewer).post(
        url(ticket, "attachments"), {"file": SimpleUploadedFile("a.png", PNG)}, format="multipart"
    )

    assert response.status_code == 403
    assert Attachment.objects.count() == 0


# ---------------------------------------------------------------- the bureau's own callback


def test_staff_callback_unsatisfied_reopens_the_work_order(org):
    ticket = _completed(org)
    body = {"resolved": "unresolved", "satisfaction": "unsatisfied", "comment": "仍未退款"}

    response = staff(org.reviewer).post(url(ticket, "callback"), body, format="json")

    assert (response.status_code, response.json()["recorded"]) == (201, True)
    assert response.json()["ticket"]["status"] == "reopened"
    assert [d["clock"] for d in response.json()["ticket"]["deadlines"] if d["status"] == "open"] == ["redo"]
    callback = Callback.objects.get(ticket=ticket)
    assert (callback.source, callback.actor) == ("staff", org.reviewer)


def test_staff_callback_sent_twice_is_recorded_once(org):
    ticket = _completed(org)
    body = {"resolved": "resolved", "satisfaction": "satisfied"}
    api = staff(org.reviewer)

    first = api.post(url(ticket, "callback"), body, format="json")
    second = api.post(url(ticket, "callback"), body, format="json")

    assert (first.status_code, first.json()["recorded"]) == (201, True)
    assert (second.status_code, second.json()["recorded"]) == (200, False)
    assert Callback.objects.filter(ticket=ticket).count() == 1


def test_staff_callback_a_different_second_one_of_the_same_completion_is_refused(org):
    ticket = _completed(org)
    api = staff(org.reviewer)
    api.post(url(ticket, "callback"), {"resolved": "resolved", "satisfaction": "satisfied"}, format="json")

    response = api.post(url(ticket, "callback"), {"resolved": "partly", "satisfaction": "unsatisfied"}, format="json")

    assert response.status_code == 400
    assert list(Callback.objects.filter(ticket=ticket).values_list("satisfaction", flat=True)) == ["satisfied"]


def test_staff_callback_needs_record_callback(org):
    ticket = _completed(org)

    response = staff(org.deputy).post(
        url(ticket, "callback"), {"resolved": "resolved", "satisfaction": "satisfied"}, format="json"
    )

    assert response.status_code == 403
    assert Callback.objects.count() == 0
