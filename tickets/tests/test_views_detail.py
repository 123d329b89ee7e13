import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tickets import services
from tickets.choices import Kind, Status
from tickets.models import TicketEvent
from tickets.tests.factories import good_results, make_ticket

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return tmp_path


def in_progress(org, **kwargs):
    ticket = make_ticket(org, **kwargs)
    ticket = services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    ticket = services.ticket_accept(ticket, actor=org.handler)
    return services.ticket_record_first_contact(ticket, actor=org.handler)


def test_detail_masks_personal_data_by_default(client, org, frozen):
    ticket = make_ticket(org)
    client.force_login(org.dispatcher)

    body = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    assert "138****5678" in body
    assert "31*************234" in body
    assert "张*" in body
    assert "松江区某****" in body or "松江区****" in body
    assert "13812345678" not in body
    assert "张三" not in body


def test_reveal_shows_one_field_and_writes_an_audit_event(client, org, frozen):
    ticket = make_ticket(org)
    client.force_login(org.dispatcher)

    response = client.post(reverse("tickets:reveal", args=[ticket.pk]), {"field": "complainant_phone"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "13812345678" in body
    assert "张三" not in body
    event = TicketEvent.objects.get(ticket=ticket, code="personal_data_revealed")
    assert (event.actor, event.data, event.is_internal) == (org.dispatcher, {"field": "phone"}, True)


def test_reveal_on_get_is_not_allowed(client, org):
    ticket = make_ticket(org)
    client.force_login(org.dispatcher)

    response = client.get(reverse("tickets:reveal", args=[ticket.pk]))

    assert response.status_code == 405
    assert not TicketEvent.objects.filter(code="personal_data_revealed").exists()


def test_reveal_is_forbidden_without_the_permission(client, org):
    ticket = make_ticket(org)
    client.force_login(org.leader)  # bureau leader sees the ticket but may not unmask

    response = client.post(reverse("tickets:reveal", args=[ticket.pk]), {"field": "complainant_phone"})

    assert response.status_code == 403
    assert not TicketEvent.objects.filter(code="personal_data_revealed").exists()


def test_detail_shows_clocks_with_remaining_working_days(client, org, frozen, calendar_2026):
    ticket = in_progress(org, reply_due_working_days=5)
    client.force_login(org.handler)

    response = client.get(reverse("tickets:detail", args=[ticket.pk]))

    body = response.content.decode()
    # received 30 Sep, 5 working days after the National Day holidays: due 15 Oct; 9 Oct counts 4 of them.
    assert "剩余 4 个工作日" in body
    assert "已完成" in body  # the first-contact clock is met


def test_detail_timeline_translates_codes_and_names_actors(client, org, frozen):
    ticket = in_progress(org)
    client.force_login(org.handler)

    response = client.get(reverse("tickets:detail", args=[ticket.pk]))

    entries = response.context["timeline"]
    body = response.content.decode()
    assert [e["event"].code for e in entries] == ["received", "dispatched", "accepted", "first_contact"]
    assert [e["label"] for e in entries] == ["已接收", "已派单", "已签收", "已先行联系诉求人"]
    assert entries[1]["details"] == ["派往 岳阳所"]
    assert org.dispatcher.display_name in body


def test_detail_timeline_words_the_events_other_apps_write(client, org, frozen):
    # QA: callbacks, platform urgings and a reopen after an unsatisfied callback showed raw codes
    # ("callback", "unsatisfied") in the Chinese timeline.
    ticket = in_progress(org)
    services.event_write(
        ticket, "callback", actor=org.reviewer, data={"resolved": "partly", "satisfaction": "unsatisfied"}
    )
    services.event_write(ticket, "urged", actor=None, data={"message": "请尽快处理", "by": "市热线办"})
    services.event_write(ticket, "reopened", actor=None, data={"reason": "callback_unsatisfied", "callback": 1})
    client.force_login(org.handler)

    response = client.get(reverse("tickets:detail", args=[ticket.pk]))

    entries = response.context["timeline"][-3:]
    assert [(e["label"], e["details"]) for e in entries] == [
        ("已回访", ["部分解决", "不满意"]),
        ("平台督办", ["请尽快处理"]),
        ("回炉重办", ["回访不满意"]),
    ]


def test_detail_timeline_names_who_urged_next_to_the_message(client, org, frozen):
    # QA: the platform's urging showed only its message, "系统" as the one who urged.
    import re

    ticket = in_progress(org)
    services.ticket_urge(ticket, message="请尽快处理", by="市热线办")
    services.event_write(ticket, "urged", actor=None, data={"message": "再次督办"})
    client.force_login(org.handler)

    response = client.get(reverse("tickets:detail", args=[ticket.pk]))

    urgings = re.findall(r'<li class="event-urged">(.*?)</li>', response.content.decode(), re.S)
    who = [re.search(r'<span class="who">(.*?)</span>', item).group(1) for item in urgings]
    details = [re.search(r'<div class="event-details">(.*?)</div>', item).group(1) for item in urgings]
    assert (who, details) == (["市热线办", "系统"], ["请尽快处理", "再次督办"])


def test_detail_offers_only_the_steps_of_this_user(client, org, frozen):
    ticket = services.ticket_dispatch(make_ticket(org), unit=org.office_a, actor=org.dispatcher)
    client.force_login(org.handler)

    response = client.get(reverse("tickets:detail", args=[ticket.pk]))

    # Accept it, or object to the dispatch within the window (派单异议).
    assert sorted(response.context["forms"]) == ["accept", "objection"]
    assert 'id="form-dispatch"' not in response.content.decode()


def test_composite_ticket_has_a_reply_block_per_track(client, org, frozen):
    ticket = in_progress(org, kind=Kind.COMPOSITE)
    client.force_login(org.handler)

    body = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    assert "track-block track-complaint" in body
    assert "track-block track-report" in body
    assert 'name="report_case_number"' in body


def test_stale_version_answers_409_with_a_message(client, org, frozen):
    ticket = services.ticket_dispatch(make_ticket(org), unit=org.office_a, actor=org.dispatcher)
    client.force_login(org.handler)

    response = client.post(reverse("tickets:accept", args=[ticket.pk]), {"accept-version": ticket.version - 1})

    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.DISPATCHED


def test_reply_not_substantiated_without_grounds_shows_the_error(client, org, frozen):
    ticket = in_progress(org)
    client.force_login(org.handler)

    response = client.post(
        reverse("tickets:reply", args=[ticket.pk]),
        {
            "version": ticket.version,
            "reply_text": "经核查，情况不属实。",
            "complaint_finding": "unsubstantiated",
            "complaint_outcome": "not_accepted",
        },
    )

    assert response.status_code == 400
    assert response.context["forms"]["reply"].errors["complaint_grounds"] == ["“不属实”的结论需要书面依据。"]
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


def test_reply_with_both_tracks_goes_to_unit_review(client, org, frozen):
    ticket = in_progress(org, kind=Kind.COMPOSITE)
    client.force_login(org.handler)

    response = client.post(
        reverse("tickets:reply", args=[ticket.pk]),
        {
            "version": ticket.version,
            "reply_text": "已调解并立案。",
            "complaint_finding": "substantiated",
            "complaint_outcome": "mediated",
            "complaint_is_violation_suspected": "yes",
            "complaint_case_number": "沪市监松处〔2026〕7号",
            "report_finding": "partly",
            "report_outcome": "case_opened",
            "report_case_number": "沪市监松处〔2026〕7号",
        },
    )

    assert response.status_code == 302
    ticket.refresh_from_db()
    tracks = {t.track: (t.finding, t.outcome, t.case_number) for t in ticket.tracks.all()}
    assert ticket.status == Status.UNIT_REVIEW
    assert tracks == {
        "complaint": ("substantiated", "mediated", "沪市监松处〔2026〕7号"),
        "report": ("partly", "case_opened", "沪市监松处〔2026〕7号"),
    }


def test_dispatch_classifies_and_sends(client, org, frozen):
    ticket = make_ticket(org)
    client.force_login(org.dispatcher)

    response = client.post(
        reverse("tickets:dispatch", args=[ticket.pk]),
        {"version": ticket.version, "kind": Kind.REPORT, "tags": ["urgent"], "unit": org.office_b.pk, "note": "请核查"},
    )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.kind, ticket.unit, ticket.tags) == (
        Status.DISPATCHED,
        Kind.REPORT,
        org.office_b,
        ["urgent"],
    )


def test_pause_resume_and_extension_request(client, org, frozen):
    ticket = in_progress(org)
    client.force_login(org.handler)
    url = reverse("tickets:pause", args=[ticket.pk])

    paused = client.post(
        url, {"pause-version": ticket.version, "pause-reason_code": "testing", "pause-reason": "样品送检"}
    )
    extension = client.post(
        reverse("tickets:extension", args=[ticket.pk]),
        {
            "extension-version": ticket.version,
            "extension-clock": "reply",
            "extension-working-days": 5,
            "extension-working_days": 5,
            "extension-reason": "检测周期长",
        },
    )
    resumed = client.post(reverse("tickets:resume", args=[ticket.pk]), {"resume-version": ticket.version})

    assert (paused.status_code, extension.status_code, resumed.status_code) == (302, 302, 302)
    codes = list(ticket.events.values_list("code", flat=True))
    assert codes[-3:] == ["clocks_paused", "extension_requested", "clocks_resumed"]


def test_section_reviewer_approves_an_extension(client, org, frozen):
    ticket = in_progress(org)
    request = services.ticket_request_extension(ticket, actor=org.handler, clock="reply", working_days=5, reason="送检")
    client.force_login(org.reviewer)

    response = client.post(reverse("tickets:request_decide", args=[request.pk]), {"is_approved": "1", "back": "list"})

    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:requests")
    request.refresh_from_db()
    assert request.status == "approved"


def test_attachment_upload_and_streamed_download(client, org, frozen, media):
    ticket = in_progress(org)
    client.force_login(org.handler)

    upload = client.post(
        reverse("tickets:attachment_upload", args=[ticket.pk]),
        {
            "upload-version": ticket.version,
            "upload-purpose": "evidence",
            "upload-file": SimpleUploadedFile("现场照片.png", PNG, content_type="image/png"),
        },
    )
    attachment = ticket.attachments.get()
    download = client.get(reverse("tickets:attachment", args=[ticket.pk, attachment.pk]))

    assert upload.status_code == 302
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert "attachment;" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PNG


def test_attachment_of_wrong_type_shows_an_error(client, org, frozen, media):
    ticket = in_progress(org)
    client.force_login(org.handler)

    response = client.post(
        reverse("tickets:attachment_upload", args=[ticket.pk]),
        {
            "upload-version": ticket.version,
            "upload-purpose": "evidence",
            "upload-file": SimpleUploadedFile("x.exe", b"MZ\x00", content_type="application/octet-stream"),
        },
    )

    assert response.status_code == 400
    assert response.context["forms"]["upload"].errors["file"]
    assert not ticket.attachments.exists()


def test_detail_query_count_does_not_grow_with_events_and_attachments(client, org, frozen, media):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ticket = in_progress(org)
    client.force_login(org.handler)
    url = reverse("tickets:detail", args=[ticket.pk])
    client.get(url)  # warm the calendar cache
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(3):
        services.ticket_add_attachment(
            ticket, actor=org.handler, uploaded_file=SimpleUploadedFile(f"p{n}.png", PNG, content_type="image/png")
        )

    with CaptureQueriesContext(connection) as more:
        response = client.get(url)

    assert len(response.context["ticket"].attachment_list) == 3
    # the page base (session, user, bell), the ticket, its clocks, events, attachments, tracks, pending
    # requests, objections and assisting units (协办), the cluster alerts linking it (alerts' flag: one query for any
    # number), the documents panel's
    # list and its "was an extension approved" (two, for any number of documents); unit names and key points
    # come from the per-process copies
    assert len(few) == 14
    assert len(more) == len(few)


def test_dispatcher_recalls_an_unsigned_ticket(client, org, frozen):
    ticket = services.ticket_dispatch(make_ticket(org), unit=org.office_a, actor=org.dispatcher)
    client.force_login(org.dispatcher)

    response = client.post(
        reverse("tickets:recall", args=[ticket.pk]), {"recall-version": ticket.version, "recall-note": "派错单位"}
    )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.unit) == (Status.RECEIVED, None)


def test_handler_records_the_acceptance_decision(client, org, frozen):
    ticket = in_progress(org)
    client.force_login(org.handler)

    response = client.post(
        reverse("tickets:acceptance", args=[ticket.pk]),
        {"acceptance-version": ticket.version, "acceptance-is_accepted": "1"},
    )

    assert response.status_code == 302
    assert ticket.tracks.get().outcome == "accepted"
    assert ticket.clocks.filter(clock="mediation", status="open").count() == 1


def test_return_request_then_section_rejects_it(client, org, frozen):
    ticket = in_progress(org)
    client.force_login(org.handler)
    client.post(
        reverse("tickets:return_request", args=[ticket.pk]),
        {"return-version": ticket.version, "return-reason_code": "not_jurisdiction", "return-reason": "属区外"},
    )
    request = ticket.requests.get()
    client.force_login(org.chief)

    response = client.post(reverse("tickets:request_decide", args=[request.pk]), {"is_approved": "0"})

    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    request.refresh_from_db()
    ticket.refresh_from_db()
    assert (request.kind, request.status, ticket.status) == ("return_to_platform", "rejected", Status.IN_PROGRESS)


def test_deciding_twice_shows_a_message_not_an_error(client, org, frozen):
    ticket = in_progress(org)
    request = services.ticket_request_extension(ticket, actor=org.handler, clock="reply", working_days=2, reason="送检")
    client.force_login(org.reviewer)
    url = reverse("tickets:request_decide", args=[request.pk])
    client.post(url, {"is_approved": "1"})

    response = client.post(url, {"is_approved": "0"}, follow=True)

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["申请已批准。", "该申请已审批。"]


def test_handler_cannot_decide_a_request(client, org, frozen):
    ticket = in_progress(org)
    request = services.ticket_request_extension(ticket, actor=org.handler, clock="reply", working_days=2, reason="送检")
    client.force_login(org.handler)

    response = client.post(reverse("tickets:request_decide", args=[request.pk]), {"is_approved": "1"})

    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == "pending"


def test_detail_renders_in_english_when_asked(client, org, frozen):
    ticket = in_progress(org, kind=Kind.COMPOSITE)
    client.cookies["django_language"] = "en"
    client.force_login(org.handler)

    body = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    assert "Reply and findings" in body
    assert "Complaint track" in body


# ---------------------------------------------------------------- telling a real-name reporter the filing decision


def report_replied(org, *, real_name=True, kind=Kind.REPORT):
    """A report whose reply (case opened) is submitted: in unit review, the reporter-notice clock running."""
    ticket = in_progress(org, kind=kind)
    if not real_name:
        ticket.__class__.objects.filter(pk=ticket.pk).update(complainant_is_real_name=False)
        ticket.refresh_from_db()
    return services.ticket_submit_reply(ticket, actor=org.handler, reply_text="已立案", results=good_results(kind))


def test_reporter_notice_is_offered_to_the_handler_while_its_clock_runs(client, org, frozen):
    ticket = report_replied(org)
    client.force_login(org.handler)

    response = client.get(reverse("tickets:detail", args=[ticket.pk]))

    assert ticket.status == Status.UNIT_REVIEW
    assert sorted(response.context["forms"]) == ["reporter_notice"]
    body = response.content.decode()
    assert 'id="form-reporter_notice"' in body
    assert "记录已告知举报人" in body


@pytest.mark.parametrize(
    "case", ["reporter_not_real_name", "complaint_only", "deputy_not_handler", "dispatcher", "already_notified"]
)
def test_reporter_notice_is_not_offered_where_it_does_not_apply(client, org, frozen, case):
    ticket = report_replied(
        org,
        real_name=case != "reporter_not_real_name",
        kind=Kind.COMPLAINT if case == "complaint_only" else Kind.REPORT,
    )
    if case == "already_notified":
        services.ticket_record_reporter_notified(ticket, actor=org.handler, note="电话告知")
    user = {"deputy_not_handler": org.deputy, "dispatcher": org.dispatcher}.get(case, org.handler)
    client.force_login(user)

    response = client.get(reverse("tickets:detail", args=[ticket.pk]))

    assert "reporter_notice" not in response.context["forms"]
    assert 'id="form-reporter_notice"' not in response.content.decode()


def test_handler_records_that_the_reporter_was_told(client, org, frozen):
    ticket = report_replied(org)
    client.force_login(org.handler)

    response = client.post(
        reverse("tickets:reporter_notice", args=[ticket.pk]),
        {"reporter-version": ticket.version, "reporter-note": "10月9日电话告知已立案"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == ["已记录：已将是否立案的决定告知举报人。"]
    assert ticket.clocks.get(clock="reporter_notice").status == "met"
    event = TicketEvent.objects.get(ticket=ticket, code="reporter_notified")
    assert (event.actor, event.data) == (org.handler, {"note": "10月9日电话告知已立案"})
    assert "reporter_notice" not in response.context["forms"]
    timeline = response.context["timeline"][-1]
    assert (timeline["label"], timeline["details"]) == ("已告知举报人", ["10月9日电话告知已立案"])


def test_reporter_notice_without_a_note_shows_the_error(client, org, frozen):
    ticket = report_replied(org)
    client.force_login(org.handler)

    response = client.post(reverse("tickets:reporter_notice", args=[ticket.pk]), {"reporter-version": ticket.version})

    assert response.status_code == 400
    assert response.context["forms"]["reporter_notice"].errors["note"] == ["该字段是必填项。"]
    assert ticket.clocks.get(clock="reporter_notice").status == "open"


def test_reporter_notice_by_the_unit_deputy_is_forbidden(client, org, frozen):
    ticket = report_replied(org)
    client.force_login(org.deputy)

    response = client.post(
        reverse("tickets:reporter_notice", args=[ticket.pk]),
        {"reporter-version": ticket.version, "reporter-note": "电话告知"},
    )

    assert response.status_code == 403
    assert ticket.clocks.get(clock="reporter_notice").status == "open"


# ---------------------------------------------------------------- a second click, a stale page


def _step_post(step, version):
    return {
        "first_contact": (
            "tickets:first_contact",
            {"contact-version": version, "contact-contacted_at": "2026-10-09T08:30"},
        ),
        "reply": (
            "tickets:reply",
            {
                "version": version,
                "reply_text": "已调解。",
                "complaint_finding": "substantiated",
                "complaint_outcome": "mediated",
                "complaint_is_violation_suspected": "no",
            },
        ),
        "acceptance": ("tickets:acceptance", {"acceptance-version": version, "acceptance-is_accepted": "1"}),
        "pause": (
            "tickets:pause",
            {"pause-version": version, "pause-reason_code": "testing", "pause-reason": "样品送检"},
        ),
        "resume": ("tickets:resume", {"resume-version": version}),
        "extension": (
            "tickets:extension",
            {
                "extension-version": version,
                "extension-clock": "reply",
                "extension-working_days": 5,
                "extension-reason": "检测周期长",
            },
        ),
        "return_request": (
            "tickets:return_request",
            {"return-version": version, "return-reason_code": "not_jurisdiction", "return-reason": "属区外"},
        ),
        "reporter_notice": ("tickets:reporter_notice", {"reporter-version": version, "reporter-note": "电话告知"}),
    }[step]


STEP_EVENT = {
    "first_contact": "first_contact",
    "reply": "reply_submitted",
    "acceptance": "acceptance_decided",
    "pause": "clocks_paused",
    "resume": "clocks_resumed",
    "extension": "extension_requested",
    "return_request": "return_to_platform_requested",
    "reporter_notice": "reporter_notified",
}


def _ticket_for_step(org, step):
    if step == "first_contact":
        ticket = services.ticket_dispatch(make_ticket(org), unit=org.office_a, actor=org.dispatcher)
        return services.ticket_accept(ticket, actor=org.handler)
    if step == "reporter_notice":
        return report_replied(org)
    ticket = in_progress(org)
    if step == "resume":
        services.ticket_pause_clocks(ticket, actor=org.handler, reason_code="testing", reason="送检")
    return ticket


@pytest.mark.parametrize("step", list(STEP_EVENT))
def test_second_click_on_a_step_says_it_is_done_not_403(client, org, frozen, step):
    # QA: the second click of a step answered the 403 page: the first had changed what the permission depends on.
    ticket = _ticket_for_step(org, step)
    url_name, data = _step_post(step, ticket.version)
    url = reverse(url_name, args=[ticket.pk])
    client.force_login(org.handler)
    first = client.post(url, data)

    again = client.post(url, data)

    assert (first.status_code, again.status_code) == (302, 302)
    assert again["Location"] == reverse("tickets:detail", args=[ticket.pk])
    page = client.get(again["Location"])
    assert "该工单已不在此环节，请刷新。" in [str(m) for m in page.context["messages"]]
    assert TicketEvent.objects.filter(ticket=ticket, code=STEP_EVENT[step]).count() == 1


@pytest.mark.parametrize("step", ["acceptance", "pause", "resume", "extension", "return_request", "reporter_notice"])
def test_step_that_keeps_the_version_refuses_a_page_older_than_the_ticket(client, org, frozen, step):
    # A colleague changed the ticket after this page was shown (the step is still on offer): 409, nothing done.
    ticket = _ticket_for_step(org, step)
    shown = ticket.version
    services.ticket_transition(ticket, to=ticket.status, actor=org.deputy, event="test", changes={"title": "新标题"})
    url_name, data = _step_post(step, shown)
    client.force_login(org.handler)

    response = client.post(reverse(url_name, args=[ticket.pk]), data)

    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    assert not TicketEvent.objects.filter(ticket=ticket, code=STEP_EVENT[step]).exists()


def test_attachment_upload_from_a_page_older_than_the_ticket_is_kept(client, org, frozen, media):
    # The version is not checked on purpose (AttachmentUploadView): a colleague's change makes no file wrong.
    ticket = in_progress(org)
    shown = ticket.version
    services.ticket_transition(ticket, to=ticket.status, actor=org.deputy, event="test", changes={"title": "新标题"})
    client.force_login(org.handler)

    response = client.post(
        reverse("tickets:attachment_upload", args=[ticket.pk]),
        {
            "upload-version": shown,
            "upload-purpose": "evidence",
            "upload-file": SimpleUploadedFile("现场照片.png", PNG, content_type="image/png"),
        },
    )

    assert response.status_code == 302
    assert list(ticket.attachments.values_list("original_name", flat=True)) == ["现场照片.png"]


def test_attachment_upload_from_a_stale_page_once_uploading_is_over_attaches_nothing(client, org, frozen, media):
    ticket = in_progress(org)
    shown = ticket.version
    services.ticket_submit_reply(ticket, actor=org.handler, reply_text="已调解", results=good_results(Kind.COMPLAINT))
    client.force_login(org.handler)

    response = client.post(
        reverse("tickets:attachment_upload", args=[ticket.pk]),
        {
            "upload-version": shown,
            "upload-purpose": "evidence",
            "upload-file": SimpleUploadedFile("现场照片.png", PNG, content_type="image/png"),
        },
    )

    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    assert not ticket.attachments.exists()
