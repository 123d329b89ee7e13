"""Lead and assisting units (主办/协办, docs/dispatch.md): a dispatch names assisting units; each has its own clock
and the three-tier reminders, sees only the work orders it assists, answers done with its findings or is released;
the lead unit's reply waits for them, refused alike on the page, its action and the API."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from audit.choices import Action
from audit.models import AuditRecord
from notifications.models import Notification
from org.choices import RoleCode
from org.tests.factories import make_org, make_user
from tickets import services, timeline
from tickets.choices import AssistStatus, Clock, ClockStatus, Status
from tickets.escalation import escalation_sweep
from tickets.forms import DispatchForm
from tickets.models import Category, Escalation, Ticket, TicketAssist, TicketClock, TicketEvent
from tickets.selectors import unit_choices_for_user
from tickets.suggestions import Suggestion
from tickets.tests.factories import good_results, make_ticket
from workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db

API = "/api/v1/staff/tickets/"


def at(day: int, hour: int = 0, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def assisted(org, *units):
    """A complaint led by office A (in progress, held by org.handler), office B (or `units`) asked to assist."""
    ticket = make_ticket(org)
    ticket = services.ticket_dispatch(
        ticket, unit=org.office_a, actor=org.dispatcher, assisting_units=list(units or [org.office_b])
    )
    ticket = services.ticket_accept(ticket, actor=org.handler)
    return services.ticket_record_first_contact(ticket, actor=org.handler)


def org_category(ticket):
    """Another category than the work order's (a re-dispatch to the same unit that changes something)."""
    return Category.objects.exclude(pk=ticket.category_id).order_by("pk").first()


def reply(ticket, org):
    return services.ticket_submit_reply(
        ticket, actor=org.handler, reply_text="已调解。", results=good_results(ticket.kind)
    )


# ---------------------------------------------------------------- the dispatch asks, the clock runs


def test_dispatch_asks_the_assisting_unit_with_its_own_clock(org, frozen, calendar_2026):
    ticket = assisted(org)

    assist = TicketAssist.objects.get(ticket=ticket)
    clock = assist.clock
    assert (assist.unit, assist.status, assist.requested_by) == (org.office_b, AssistStatus.REQUESTED, org.dispatcher)
    # 5 working days (the rule row) from Fri Oct 9: Sat 10 (make-up day), 12, 13, 14, 15
    assert (clock.clock, clock.unit, clock.working_days, clock.status) == (
        Clock.ASSIST,
        org.office_b,
        5,
        ClockStatus.OPEN,
    )
    assert assist.due_at == clock.due_at == dt.datetime(2026, 10, 15, 23, 59, 59, tzinfo=SHANGHAI)
    assert clock.rule is not None and clock.rule.working_days == 5
    # the lead's nearest deadline is its own, not the assisting unit's
    lead_nearest = min(c.due_at for c in ticket.clocks.filter(status=ClockStatus.OPEN, unit__isnull=True))
    ticket.refresh_from_db()
    assert ticket.next_clock_due_at == lead_nearest
    event = TicketEvent.objects.get(ticket=ticket, code="assist_requested")
    assert (event.actor, event.data["assisting_unit"]) == (org.dispatcher, org.office_b.code)
    assert AuditRecord.objects.filter(action=Action.ASSIST_REQUESTED, object_id=str(ticket.pk)).count() == 1
    told = Notification.objects.filter(code="ticket.assist_requested", ticket=ticket)
    assert sorted(n.recipient.username for n in told) == [org.deputy_b.username]


def test_the_setting_overrides_the_rule(org, frozen, calendar_2026, settings):
    settings.HOTLINE_ASSIST_WORKING_DAYS = 2

    assist = TicketAssist.objects.get(ticket=assisted(org))

    assert (assist.clock.working_days, assist.due_at) == (2, dt.datetime(2026, 10, 12, 23, 59, 59, tzinfo=SHANGHAI))


def test_a_unit_asked_already_is_not_asked_twice(org, frozen):
    ticket = assisted(org)

    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher, assisting_units=[org.office_b, org.food])

    assert sorted(TicketAssist.objects.filter(ticket=ticket).values_list("unit__code", flat=True)) == ["fs", "spk"]
    assert TicketClock.objects.filter(ticket=ticket, clock=Clock.ASSIST).count() == 2


@pytest.mark.parametrize("which", ["lead", "other_bureau", "inactive"])
def test_dispatch_refuses_a_wrong_assisting_unit(org, frozen, which):
    other = make_org("qp")
    org.food.is_active = which != "inactive"
    org.food.save()
    unit = {"lead": org.office_a, "other_bureau": other.office_b, "inactive": org.food}[which]
    ticket = make_ticket(org)

    with pytest.raises(ValidationError) as error:
        services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher, assisting_units=[unit])

    assert "assisting_units" in error.value.message_dict
    ticket.refresh_from_db()
    assert (ticket.status, TicketAssist.objects.count()) == (Status.RECEIVED, 0)


def test_the_catalogue_suggestion_prefills_the_assisting_units(org, frozen):
    ticket = make_ticket(org)
    suggestion = Suggestion(
        unit_id=org.office_a.pk,
        unit_code="yy",
        unit_name="岳阳所",
        basis="catalogue",
        reason="…",
        assisting_unit_ids=(org.office_b.pk,),
    )

    form = DispatchForm(ticket=ticket, units=unit_choices_for_user(org.dispatcher), suggestion=suggestion)

    assert (form.initial["unit"], form.initial["assisting_units"]) == (org.office_a.pk, [org.office_b.pk])


def test_the_one_click_suggestion_carries_the_assisting_units(client, org, frozen, monkeypatch):
    ticket = make_ticket(org)
    suggestion = Suggestion(
        unit_id=org.office_a.pk,
        unit_code="yy",
        unit_name="岳阳所",
        basis="catalogue",
        reason="…",
        assisting_unit_ids=(org.office_b.pk,),
    )
    monkeypatch.setattr("tickets.views.detail.suggestion_for", lambda t: suggestion)
    client.force_login(org.dispatcher)

    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    one_click = page[
        page.index('id="form-dispatch-suggested"') : page.index("</form>", page.index("form-dispatch-suggested"))
    ]

    assert f'name="assisting_units" value="{org.office_b.pk}"' in one_click
    assert "方松所" in page[page.index('data-testid="suggested-assisting"') :]
    response = client.post(
        reverse("tickets:dispatch", args=[ticket.pk]),
        {"version": ticket.version, "kind": ticket.kind, "unit": org.office_a.pk, "assisting_units": [org.office_b.pk]},
    )
    assert response.status_code == 302
    assert list(TicketAssist.objects.filter(ticket=ticket).values_list("unit", flat=True)) == [org.office_b.pk]


# ---------------------------------------------------------------- the lead's reply waits


def test_the_reply_is_refused_while_an_assisting_unit_is_outstanding(org, frozen):
    ticket = assisted(org)

    assert not org.handler.has_perm("tickets.submit_reply", ticket)
    with pytest.raises(services.AssistsOutstanding) as error:
        reply(ticket, org)

    assert "方松所" in str(error.value)
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


def test_the_reply_goes_once_the_assisting_unit_answered(org, frozen):
    ticket = assisted(org)

    services.ticket_assist_done(ticket, actor=org.handler_b, findings="经核查，该店未取得许可证。")
    ticket.refresh_from_db()

    assert org.handler.has_perm("tickets.submit_reply", ticket)
    assert reply(ticket, org).status == Status.UNIT_REVIEW


def test_the_reply_goes_once_the_dispatcher_released_the_unit(org, frozen):
    ticket = assisted(org, org.office_b, org.food)
    services.ticket_assist_done(ticket, actor=org.handler_b, findings="已核查。")

    with pytest.raises(services.AssistsOutstanding) as error:
        reply(ticket, org)
    assert "食品科" in str(error.value) and "方松所" not in str(error.value)

    services.ticket_assist_release(ticket, actor=org.dispatcher, unit=org.food, note="无需协办")
    assert reply(ticket, org).status == Status.UNIT_REVIEW


def test_the_page_says_which_units_the_reply_waits_for(client, org, frozen):
    ticket = assisted(org)
    client.force_login(org.handler)

    page = client.get(reverse("tickets:detail", args=[ticket.pk]))
    text = page.content.decode()

    assert 'data-testid="reply-waits"' in text and "方松所" in text
    assert 'id="form-reply"' not in text
    posted = client.post(
        reverse("tickets:reply", args=[ticket.pk]),
        {"version": ticket.version, "reply_text": "x", "complaint_finding": "substantiated"},
    )
    assert posted.status_code == 409
    assert "方松所" in posted.context["conflict"]
    assert "协办单位" in posted.context["conflict"]  # in Chinese


def test_the_api_refuses_the_reply_naming_the_units(org, frozen):
    ticket = assisted(org)

    response = api(org.handler).post(
        f"{API}{ticket.pk}/reply/",
        {
            "reply_text": "已调解。",
            "complaint": {"finding": "substantiated", "outcome": "mediated", "is_violation_suspected": False},
        },
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "assists_outstanding"
    assert "方松所" in response.json()["error"]["message"]


# ---------------------------------------------------------------- the assisting unit answers


def test_the_assisting_unit_answers_done_with_its_findings(client, org, frozen):
    ticket = assisted(org)
    client.force_login(org.handler_b)

    response = client.post(
        reverse("tickets:assist_done", args=[ticket.pk]),
        {"assist-version": ticket.version, "assist-findings": "现场检查：已停业。"},
    )

    assert response.status_code == 302
    assist = TicketAssist.objects.get(ticket=ticket)
    assert (assist.status, assist.findings, assist.answered_by) == (
        AssistStatus.DONE,
        "现场检查：已停业。",
        org.handler_b,
    )
    assert assist.clock.status == ClockStatus.MET
    event = TicketEvent.objects.get(ticket=ticket, code="assist_done")
    assert (event.actor, event.data["findings"]) == (org.handler_b, "现场检查：已停业。")
    assert Notification.objects.filter(code="ticket.assist_done", recipient=org.handler).exists()
    assert AuditRecord.objects.filter(action=Action.ASSIST_DONE, object_id=str(ticket.pk)).exists()
    # a second answer: the step moved on (409 on the API, a message on the page), never a second record
    again = api(org.handler_b).post(f"{API}{ticket.pk}/assist-done/", {"findings": "再次"}, format="json")
    assert again.status_code == 409
    assert TicketEvent.objects.filter(ticket=ticket, code="assist_done").count() == 1


def test_the_lead_unit_cannot_answer_for_the_assisting_unit(client, org, frozen):
    ticket = assisted(org)
    client.force_login(org.handler)

    response = client.post(
        reverse("tickets:assist_done", args=[ticket.pk]), {"assist-version": ticket.version, "assist-findings": "x"}
    )

    assert response.status_code == 403
    assert api(org.handler).post(f"{API}{ticket.pk}/assist-done/", {"findings": "x"}, format="json").status_code == 403


def test_the_dispatcher_releases_and_the_unit_is_told(client, org, frozen):
    ticket = assisted(org)
    client.force_login(org.dispatcher)

    response = client.post(
        reverse("tickets:assist_release", args=[ticket.pk]),
        {"release-version": ticket.version, "release-unit": org.office_b.code, "release-note": "已无需要"},
    )

    assert response.status_code == 302
    assist = TicketAssist.objects.get(ticket=ticket)
    assert (assist.status, assist.released_by, assist.release_note) == (
        AssistStatus.RELEASED,
        org.dispatcher,
        "已无需要",
    )
    assert assist.clock.status == ClockStatus.CANCELLED
    assert TicketEvent.objects.filter(ticket=ticket, code="assist_released").exists()
    assert Notification.objects.filter(code="ticket.assist_released", recipient=org.deputy_b).exists()
    assert AuditRecord.objects.filter(action=Action.ASSIST_RELEASED, object_id=str(ticket.pk)).exists()


# ---------------------------------------------------------------- the work order leaves its lead unit


def _released_with(ticket, step):
    """The assisting units released by the step, as the dispatcher's release writes it: timeline, clock, audit."""
    events = TicketEvent.objects.filter(ticket=ticket, code="assist_released").order_by("pk")
    assert all(e.data.get("released_with") == step for e in events)
    for assist in TicketAssist.objects.filter(ticket=ticket, status=AssistStatus.RELEASED):
        assert assist.clock.status == ClockStatus.CANCELLED
    assert AuditRecord.objects.filter(action=Action.ASSIST_RELEASED, object_id=str(ticket.pk)).count() == len(events)
    return [e.data["assisting_unit"] for e in events]


def test_a_redispatch_to_another_unit_releases_the_outstanding_assists(org, frozen):
    ticket = assisted(org, org.office_b, org.food)
    services.ticket_assist_done(ticket, actor=org.handler_b, findings="已核查。")  # fs answered: stays done

    ticket = services.ticket_dispatch(ticket, unit=org.cp, actor=org.dispatcher)

    assert _released_with(ticket, "redispatched") == ["spk"]
    assert dict(TicketAssist.objects.filter(ticket=ticket).values_list("unit__code", "status")) == {
        "fs": AssistStatus.DONE,
        "spk": AssistStatus.RELEASED,
    }
    codes = list(ticket.events.order_by("pk").values_list("code", flat=True))
    assert codes[-2:] == ["redispatched", "assist_released"]
    event = TicketEvent.objects.get(ticket=ticket, code="assist_released")
    assert timeline.event_details(event, {"spk": "食品科"}) == ["食品科", "随改派给其他主办单位解除"]
    # the new lead's reply waits for nobody of the previous dispatch
    assert not TicketAssist.objects.filter(ticket=ticket, status=AssistStatus.REQUESTED).exists()


def test_a_unit_named_again_in_the_redispatch_stays_asked_on_its_clock(org, frozen):
    ticket = assisted(org, org.office_b, org.food)
    before = TicketAssist.objects.get(ticket=ticket, unit=org.food)

    services.ticket_dispatch(ticket, unit=org.cp, actor=org.dispatcher, assisting_units=[org.food])

    assert _released_with(ticket, "redispatched") == ["fs"]
    kept = TicketAssist.objects.get(ticket=ticket, unit=org.food)
    assert (kept.pk, kept.status, kept.due_at, kept.clock.status) == (
        before.pk,
        AssistStatus.REQUESTED,
        before.due_at,
        ClockStatus.OPEN,
    )


def test_the_new_lead_unit_is_no_longer_its_own_assisting_unit(org, frozen):
    ticket = assisted(org)

    services.ticket_dispatch(ticket, unit=org.office_b, actor=org.dispatcher)

    assert _released_with(ticket, "redispatched") == ["fs"]


def test_a_redispatch_to_the_same_lead_unit_keeps_the_assists(org, frozen):
    ticket = assisted(org)

    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher, category=org_category(ticket))

    assert TicketAssist.objects.get(ticket=ticket).status == AssistStatus.REQUESTED
    assert not TicketEvent.objects.filter(ticket=ticket, code="assist_released").exists()


def test_a_recall_releases_the_outstanding_assists(org, frozen):
    ticket = make_ticket(org)
    ticket = services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher, assisting_units=[org.office_b])

    ticket = services.ticket_recall(ticket, actor=org.dispatcher, note="派错")

    assert ticket.status == Status.RECEIVED
    assert _released_with(ticket, "recalled") == ["fs"]
    assist = TicketAssist.objects.get(ticket=ticket)
    assert (assist.status, assist.released_by) == (AssistStatus.RELEASED, org.dispatcher)
    assert Notification.objects.filter(code="ticket.assist_released", recipient=org.deputy_b).exists()
    # dispatched again, the unit can be asked afresh, on a new clock
    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher, assisting_units=[org.office_b])
    assert TicketAssist.objects.filter(ticket=ticket, status=AssistStatus.REQUESTED).count() == 1


def test_a_return_to_the_platform_releases_the_outstanding_assists(org, frozen):
    ticket = make_ticket(org)
    ticket = services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher, assisting_units=[org.office_b])
    request = services.ticket_request_return(ticket, actor=org.handler, reason_code="other", reason="属外区")

    services.request_decide(request, actor=org.chief, is_approved=True)

    ticket.refresh_from_db()
    assert ticket.status == Status.RETURNED_TO_PLATFORM
    assert _released_with(ticket, "returned_to_platform") == ["fs"]
    assist = TicketAssist.objects.select_related("clock").get(ticket=ticket)
    assert (assist.status, assist.released_by, assist.clock.status) == (
        AssistStatus.RELEASED,
        org.chief,
        ClockStatus.CANCELLED,
    )
    event = TicketEvent.objects.get(ticket=ticket, code="assist_released")
    assert timeline.event_details(event, {"fs": "方松所"}) == ["方松所", "随退回市平台解除"]
    assert Notification.objects.filter(code="ticket.assist_released", recipient=org.deputy_b).exists()


def test_an_upheld_objection_releases_the_outstanding_assists(org, frozen):
    ticket = assisted(org)
    objection = services.ticket_object(
        Ticket.objects.get(pk=ticket.pk), actor=org.handler, reason_code="wrong_area", text="不属本辖区。"
    )

    services.objection_decide(objection, actor=org.reviewer, decision="uphold", unit=org.food, reason="属食品科")

    assert _released_with(ticket, "redispatched") == ["fs"]
    codes = list(TicketEvent.objects.filter(ticket=ticket).order_by("pk").values_list("code", flat=True))
    assert codes[-3:] == ["objection_upheld", "redispatched", "assist_released"]


def test_a_failed_redispatch_releases_nothing(org, frozen):
    ticket = assisted(org)

    with pytest.raises(ValidationError):
        services.ticket_dispatch(ticket, unit=org.cp, actor=org.dispatcher, assisting_units=[org.cp])

    assert TicketAssist.objects.get(ticket=ticket).status == AssistStatus.REQUESTED


def test_the_lead_handler_cannot_release(org, frozen):
    ticket = assisted(org)

    response = api(org.handler).post(f"{API}{ticket.pk}/assist-release/", {"unit": "fs"}, format="json")

    assert response.status_code == 403
    assert TicketAssist.objects.get(ticket=ticket).status == AssistStatus.REQUESTED


def test_the_api_answers_and_releases(org, frozen):
    ticket = assisted(org, org.office_b, org.food)

    done = api(org.handler_b).post(f"{API}{ticket.pk}/assist-done/", {"findings": "已核查。"}, format="json")
    released = api(org.dispatcher).post(
        f"{API}{ticket.pk}/assist-release/", {"unit": str(org.food.pk), "note": "不需要"}, format="json"
    )

    assert (done.status_code, released.status_code) == (200, 200)
    assists = {a["unit"]["code"]: a for a in released.json()["assists"]}
    assert (assists["fs"]["status"], assists["fs"]["findings"]) == ("done", "已核查。")
    assert (assists["spk"]["status"], assists["spk"]["release_note"]) == ("released", "不需要")
    deadlines = [d for d in released.json()["deadlines"] if d["clock"] == "assist"]
    assert sorted((d["unit"], d["status"]) for d in deadlines) == [("fs", "met"), ("spk", "cancelled")]


def test_the_api_dispatch_takes_assisting_units(org, frozen):
    ticket = make_ticket(org)

    response = api(org.dispatcher).post(
        f"{API}{ticket.pk}/dispatch/", {"unit": "yy", "assisting_units": ["fs", str(org.food.pk)]}, format="json"
    )

    assert response.status_code == 200
    assert sorted(a["unit"]["code"] for a in response.json()["assists"]) == ["fs", "spk"]


@pytest.mark.parametrize(
    "path, body",
    [
        ("dispatch/", {"unit": "yy", "assisting_units": ["nope"]}),
        ("dispatch/", {"unit": "yy", "assisting_units": "fs"}),
        ("dispatch/", {"unit": "yy", "assisting_units": [{"x": 1}]}),
        ("dispatch/", {"unit": "yy", "assisting_units": ["yy"]}),
        ("dispatch/", {"unit": "yy", "assisting_units": ["fs"] * 11}),
        ("assist-release/", {"unit": "spk"}),
        ("assist-release/", {}),
        ("assist-release/", {"unit": ["fs"]}),
    ],
)
def test_bad_input_is_a_400_never_a_500(org, frozen, path, body):
    ticket = assisted(org) if path == "assist-release/" else make_ticket(org)

    response = api(org.dispatcher).post(f"{API}{ticket.pk}/{path}", body, format="json")

    assert response.status_code == 400, response.content


@pytest.mark.parametrize(
    "body", [{}, {"findings": ""}, {"findings": "   "}, {"findings": ["x"]}, {"findings": "x" * 10001}]
)
def test_bad_findings_are_a_400(org, frozen, body):
    ticket = assisted(org)

    response = api(org.handler_b).post(f"{API}{ticket.pk}/assist-done/", body, format="json")

    assert response.status_code == 400


def test_bad_page_input_is_a_400(client, org, frozen):
    ticket = assisted(org)
    client.force_login(org.handler_b)
    assert (
        client.post(reverse("tickets:assist_done", args=[ticket.pk]), {"assist-version": ticket.version}).status_code
        == 400
    )
    client.force_login(org.dispatcher)
    response = client.post(
        reverse("tickets:assist_release", args=[ticket.pk]), {"release-version": ticket.version, "release-unit": "zz"}
    )
    assert response.status_code == 400


# ---------------------------------------------------------------- isolation


@pytest.fixture
def two_of_office_a(org, frozen, settings, tmp_path):
    """Office A leads two work orders; office B assists only the first."""
    return assisted(org), services.ticket_dispatch(make_ticket(org), unit=org.office_a, actor=org.dispatcher)


def test_the_assisting_unit_sees_only_what_it_assists_on_pages(client, org, two_of_office_a):
    helped, other = two_of_office_a
    client.force_login(org.handler_b)

    page = client.get(reverse("tickets:detail", args=[helped.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="assisting-badge"' in text
    assert 'id="form-assist_done"' in text
    # the limited view: none of the lead's steps, no personal data (not even masked), no reveal
    for absent in ('id="form-reply"', 'id="personal"', "reveal", 'id="form-pause"', "13812345678", "张三"):
        assert absent not in text
    assert client.get(reverse("tickets:detail", args=[other.pk])).status_code == 404
    queue = client.get(reverse("tickets:unit_queue"))
    assert [row["external_id"] for row in queue.context["assisting"]] == [helped.external_id]
    assert other.external_id not in queue.content.decode()
    search = client.get(reverse("tickets:list"))
    assert other.external_id not in search.content.decode()
    # a lead step on the assisted work order is forbidden; on the other it does not exist
    assert client.post(reverse("tickets:pause", args=[helped.pk]), {}).status_code == 403
    assert client.post(reverse("tickets:assist_done", args=[other.pk]), {}).status_code == 404


def test_the_assisting_unit_sees_only_what_it_assists_in_the_api(org, two_of_office_a):
    helped, other = two_of_office_a
    client = api(org.handler_b)

    assert client.get(f"{API}{helped.pk}/").status_code == 200
    assert client.get(f"{API}{other.pk}/").status_code == 404
    assert client.post(f"{API}{other.pk}/assist-done/", {"findings": "x"}, format="json").status_code == 404
    assert client.post(f"{API}{helped.pk}/pause/", {"reason": "x"}, format="json").status_code == 404
    for path in ("tickets/", "unit-queue/", "my-work/"):
        listed = client.get(f"/api/v1/staff/{path}")
        assert listed.status_code in (200, 403)
        if listed.status_code == 200:
            ids = [row["id"] for row in listed.json()["results"]]
            assert other.pk not in ids


def test_the_assisting_unit_reads_in_the_api_what_its_page_shows(org, frozen):
    ticket = assisted(org, org.office_b, org.food)
    services.ticket_object(
        Ticket.objects.get(pk=ticket.pk), actor=org.handler, reason_code="wrong_area", text="不属本辖区。"
    )

    limited = api(org.handler_b).get(f"{API}{ticket.pk}/").json()
    lead = api(org.handler).get(f"{API}{ticket.pk}/").json()

    # its own assistance and its own deadline only; nothing of the lead's steps, no personal data
    assert [a["unit"]["code"] for a in limited["assists"]] == ["fs"]
    assert [(d["clock"], d["unit"]) for d in limited["deadlines"]] == [("assist", "fs")]
    assert (limited["objections"], limited["tracks"], limited["possible_duplicates"]) == ([], [], [])
    assert (limited["complainant_name"], limited["complainant_phone"], limited["reply_text"]) == ("", "", "")
    assert limited["content"] == lead["content"] and limited["events"] == lead["events"]
    # the lead unit reads it all
    assert sorted(a["unit"]["code"] for a in lead["assists"]) == ["fs", "spk"]
    assert len(lead["objections"]) == 1 and lead["complainant_phone"]
    assert {d["unit"] for d in lead["deadlines"]} >= {None, "fs", "spk"}
    # answering through the API answers with the same limited document
    done = api(org.handler_b).post(f"{API}{ticket.pk}/assist-done/", {"findings": "已核查。"}, format="json")
    assert done.status_code == 200
    assert [a["status"] for a in done.json()["assists"]] == ["done"] and done.json()["objections"] == []


def test_another_unit_not_asked_sees_nothing(client, org, two_of_office_a):
    helped, _other = two_of_office_a
    stranger = make_user("sj_food_handler", org.food, RoleCode.HANDLER)
    client.force_login(stranger)

    assert client.get(reverse("tickets:detail", args=[helped.pk])).status_code == 404
    assert api(stranger).get(f"{API}{helped.pk}/").status_code == 404


@pytest.mark.parametrize("rows", [1, 3])
def test_unit_queue_query_count_is_constant_with_assisted_rows(client, org, frozen, rows):
    for _ in range(rows):
        assisted(org)
        services.ticket_dispatch(make_ticket(org), unit=org.office_b, actor=org.dispatcher)
    client.force_login(org.deputy_b)
    client.get(reverse("tickets:unit_queue"))  # the per-process copies of names

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("tickets:unit_queue"))

    assert len(response.context["assisting"]) == rows
    # the queue's own five and one for the assisting part, however many rows
    assert len(queries) == 6


# ---------------------------------------------------------------- the three-tier reminders


def test_the_sweep_urges_the_assisting_unit_at_each_tier_once(org, frozen, calendar_2026):
    leader_b = make_user("sj_unitleader_b", org.office_b, RoleCode.UNIT_LEADER)
    ticket = assisted(org)
    # only the assisting clock runs, so that the sweep's counts speak of it
    ticket.clocks.exclude(clock=Clock.ASSIST).update(status=ClockStatus.MET, next_escalation_at=None)
    clock = TicketClock.objects.get(ticket=ticket, clock=Clock.ASSIST)

    def sweep(moment):
        with time_machine.travel(moment, tick=False):
            return escalation_sweep()

    def told(tier):
        return sorted(
            Notification.objects.filter(code=f"escalation.tier{tier}", data__clock_id=clock.pk).values_list(
                "recipient__username", flat=True
            )
        )

    # due Thu Oct 15: tier 1 from Tue Oct 13 (3 working days left), tier 2 on the due day, tier 3 once overdue
    assert dict(sweep(at(12, 23)).fired) == {}
    assert dict(sweep(at(13, 1)).fired) == {1: 1}
    assert dict(sweep(at(13, 2)).fired) == {}
    assert dict(sweep(at(15, 1)).fired) == {2: 1}
    assert dict(sweep(at(16, 1)).fired) == {3: 1}
    assert dict(sweep(at(17, 1)).fired) == {}

    assert list(Escalation.objects.filter(clock=clock).order_by("tier").values_list("tier", "is_skipped")) == [
        (1, False),
        (2, False),
        (3, False),
    ]
    # the assisting unit's people: "handler" is its leader (nobody there holds the work order), never the lead's
    assert told(1) == [leader_b.username]
    assert told(2) == sorted([leader_b.username, org.deputy_b.username])
    assert told(3) == sorted([leader_b.username, org.chief.username, org.leader.username])
    assert not Notification.objects.filter(code__startswith="escalation", recipient=org.handler).exists()


def test_an_answered_assist_is_not_urged(org, frozen, calendar_2026):
    ticket = assisted(org)
    ticket.clocks.exclude(clock=Clock.ASSIST).update(status=ClockStatus.MET, next_escalation_at=None)
    services.ticket_assist_done(ticket, actor=org.handler_b, findings="已核查。")

    with time_machine.travel(at(16, 1), tick=False):
        assert dict(escalation_sweep().fired) == {}
