"""Each action the issue names leaves one audit record, written by the service or signal that performs it."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AuditRecord
from audit.signals import _record_locked_out, connect_axes
from org.tests.factories import PASSWORD
from tickets.models import TicketEvent
from tickets.services import (
    TransitionNotAllowed,
    ticket_accept,
    ticket_add_attachment,
    ticket_dispatch,
    ticket_reveal_personal_data,
)
from tickets.tests.factories import make_ticket
from workdays.calendar import SHANGHAI

NOW = dt.datetime(2026, 10, 12, 9, 30, tzinfo=SHANGHAI)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11) Chromium"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def rows(**filters):
    return list(
        AuditRecord.objects.filter(**filters)
        .order_by("id")
        .values_list("action", "result", "username", "object_type", "object_id", "data")
    )


# ---------------------------------------------------------------- sign-in


def test_sign_in_is_recorded_with_address_and_browser(client, org):
    client.post(reverse("login"), {"username": "sj_handler", "password": PASSWORD}, **BROWSER)

    record = AuditRecord.objects.get(action="auth.login")
    assert (record.user_id, record.username, record.result, record.ip_address, record.user_agent) == (
        org.handler.pk,
        "sj_handler",
        "ok",
        "127.0.0.1",
        "Mozilla/5.0 (X11) Chromium",
    )


@pytest.mark.parametrize("username", ["sj_handler", "nobody"])
def test_failed_sign_in_is_recorded_as_refused_with_the_name_tried_and_no_password(client, org, username):
    client.post(reverse("login"), {"username": username, "password": "wrong-password"}, **BROWSER)

    assert rows(action="auth.login_failed") == [("auth.login_failed", "refused", username, "", "", {})]
    assert AuditRecord.objects.get(action="auth.login_failed").ip_address == "127.0.0.1"


def test_sign_out_is_recorded(client, org):
    client.force_login(org.handler)

    client.post(reverse("logout"))

    assert rows(action="auth.logout") == [("auth.logout", "ok", "sj_handler", "org.user", str(org.handler.pk), {})]


def test_lockout_is_recorded_as_refused(db):
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.9.8.7")

    _record_locked_out("axes", request=request, username="sj_handler", ip_address="10.9.8.7")

    assert rows() == [("auth.locked_out", "refused", "sj_handler", "", "", {})]
    assert AuditRecord.objects.get().ip_address == "10.9.8.7"


def test_lockouts_are_connected_only_when_axes_is_installed(settings):
    from django.apps import apps

    assert connect_axes() is apps.is_installed("axes")


# ---------------------------------------------------------------- work orders


def test_dispatch_is_recorded_as_an_assignment_with_the_unit(org, frozen):
    ticket = make_ticket(org)

    ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)

    assert rows(action__startswith="ticket.") == [
        (
            "ticket.assigned",
            "ok",
            "sj_dispatcher",
            "tickets.ticket",
            str(ticket.pk),
            {"event": "dispatched", "from": "received", "to": "dispatched", "unit": org.office_a.pk, "handler": None},
        )
    ]


def test_redispatch_is_recorded_as_a_reassignment_to_the_new_unit(org, frozen):
    ticket = make_ticket(org)
    ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)

    ticket_dispatch(ticket, unit=org.office_b, actor=org.dispatcher)

    assert rows(action="ticket.reassigned") == [
        (
            "ticket.reassigned",
            "ok",
            "sj_dispatcher",
            "tickets.ticket",
            str(ticket.pk),
            {
                "event": "redispatched",
                "from": "dispatched",
                "to": "dispatched",
                "unit": org.office_b.pk,
                "handler": None,
            },
        )
    ]


def test_every_transition_is_recorded_once_with_its_event(org, frozen):
    ticket = make_ticket(org)
    ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)

    ticket_accept(ticket, actor=org.handler)

    assert rows(action="ticket.transition") == [
        (
            "ticket.transition",
            "ok",
            "sj_handler",
            "tickets.ticket",
            str(ticket.pk),
            {"event": "accepted", "from": "dispatched", "to": "accepted", "handler": org.handler.pk},
        )
    ]


def test_refused_transition_leaves_no_record(org, frozen):
    ticket = make_ticket(org)

    with pytest.raises(TransitionNotAllowed):
        ticket_accept(ticket, actor=org.handler)

    assert rows(action__startswith="ticket.") == []


def test_return_is_recorded_with_its_stage_and_reasons(org, frozen):
    from reviews.models import Return
    from reviews.services import review_return
    from reviews.tests.factories import ticket_in_unit_review

    ticket = ticket_in_unit_review(org)

    review_return(ticket, actor=org.deputy, reason_codes=["facts_unclear"], comment="补充证据")

    ret = Return.objects.get()
    assert rows(action="review.returned") == [
        (
            "review.returned",
            "ok",
            "sj_deputy",
            "reviews.return",
            str(ret.pk),
            {"stage": "unit", "reasons": ["facts_unclear"]},
        )
    ]


# ---------------------------------------------------------------- personal data, downloads, exports


def test_personal_data_reveal_is_recorded_with_the_field_and_never_the_value(client, org, frozen):
    ticket = make_ticket(org)
    client.force_login(org.dispatcher)

    client.post(reverse("tickets:reveal", args=[ticket.pk]), {"field": "complainant_phone"}, **BROWSER)

    record = AuditRecord.objects.get(action="personal_data.revealed")
    assert (record.username, record.object_type, record.object_id, record.data, record.ip_address) == (
        "sj_dispatcher",
        "tickets.ticket",
        str(ticket.pk),
        {"field": "phone"},
        "127.0.0.1",
    )


def test_personal_data_reveal_fails_and_shows_nothing_when_the_audit_cannot_be_written(org, frozen, audit_storage_down):
    ticket = make_ticket(org)

    with pytest.raises(DatabaseError):
        ticket_reveal_personal_data(ticket, actor=org.dispatcher, field="complainant_phone")

    assert TicketEvent.objects.filter(ticket=ticket, code="personal_data_revealed").count() == 0


def test_reveal_by_another_unit_is_a_404_and_records_nothing(client, org, frozen):
    ticket = make_ticket(org)
    ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    client.force_login(org.handler_b)

    response = client.post(reverse("tickets:reveal", args=[ticket.pk]), {"field": "complainant_phone"})

    assert response.status_code == 404  # another unit does not even see the work order: nothing to record
    assert rows(action="personal_data.revealed") == []


def test_reveal_refused_through_the_staff_api_is_recorded_as_refused(client, org, frozen):
    ticket = make_ticket(org, is_confidential=True)
    client.force_login(org.dispatcher)

    response = client.post(
        f"/api/v1/staff/tickets/{ticket.pk}/reveal/", {"field": "complainant_phone"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert rows(action="personal_data.revealed") == [
        ("personal_data.revealed", "refused", "sj_dispatcher", "tickets.ticket", str(ticket.pk), {})
    ]


def test_reveal_of_an_unknown_field_records_nothing(org):
    ticket = make_ticket(org)

    with pytest.raises(ValidationError):
        ticket_reveal_personal_data(ticket, actor=org.dispatcher, field="password")

    assert rows(action="personal_data.revealed") == []


def test_attachment_download_is_recorded(client, org, frozen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = make_ticket(org)
    attachment = ticket_add_attachment(
        ticket, actor=org.dispatcher, uploaded_file=SimpleUploadedFile("照片.png", PNG, content_type="image/png")
    )
    client.force_login(org.dispatcher)

    response = client.get(reverse("tickets:attachment", args=[ticket.pk, attachment.pk]))

    assert response.status_code == 200
    assert rows(action="attachment.downloaded") == [
        (
            "attachment.downloaded",
            "ok",
            "sj_dispatcher",
            "tickets.attachment",
            str(attachment.pk),
            {"ticket": ticket.pk},
        )
    ]


def test_download_another_unit_may_not_see_is_not_recorded_as_done(client, org, frozen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = make_ticket(org)
    ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    attachment = ticket_add_attachment(
        ticket, actor=org.dispatcher, uploaded_file=SimpleUploadedFile("照片.png", PNG, content_type="image/png")
    )
    client.force_login(org.handler_b)

    response = client.get(reverse("tickets:attachment", args=[ticket.pk, attachment.pk]))

    assert (response.status_code, rows(action="attachment.downloaded")) == (404, [])


def test_briefing_export_is_recorded_with_its_month(client, org, frozen):
    client.force_login(org.chief)

    response = client.get(reverse("reports:briefing_csv"), {"month": "2026-09"})

    assert response.status_code == 200
    assert rows(action="data.exported") == [
        ("data.exported", "ok", "sj_chief", "", "", {"export": "briefing", "month": "2026-09", "rows": 3})
    ]


# ---------------------------------------------------------------- accounts


def _user_change_data(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.astimezone(SHANGHAI).strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.astimezone(SHANGHAI).strftime("%H:%M:%S"),
        "unit": user.unit_id,
        "roles": list(user.roles.values_list("pk", flat=True)),
        "phone": user.phone,
        "language": user.language,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_role_and_unit_change_in_the_admin_is_recorded_with_codes(client, org):
    from org.models import Role

    client.force_login(org.admin)
    leader_role = Role.objects.get(code="unit_leader")

    response = client.post(
        reverse("admin:org_user_change", args=[org.handler.pk]),
        _user_change_data(org.handler, roles=[leader_role.pk], unit=org.office_b.pk, is_staff="on"),
    )

    assert response.status_code == 302
    assert rows(action="user.permissions_changed") == [
        (
            "user.permissions_changed",
            "ok",
            "sj_admin",
            "org.user",
            str(org.handler.pk),
            {
                "changed": {
                    "is_staff": [False, True],
                    "unit": [org.office_a.pk, org.office_b.pk],
                    "roles": {"added": ["unit_leader"], "removed": ["handler"]},
                }
            },
        )
    ]


def test_saving_an_account_without_a_change_to_its_permissions_records_nothing(client, org):
    client.force_login(org.admin)

    response = client.post(
        reverse("admin:org_user_change", args=[org.handler.pk]), _user_change_data(org.handler, first_name="小王")
    )

    assert (response.status_code, rows(action="user.permissions_changed")) == (302, [])
