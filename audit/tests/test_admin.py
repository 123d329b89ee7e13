"""The audit records and the assessment's records in the admin: shown, searched, exported; never changed."""

import csv
import io

import pytest
from django.urls import reverse

from audit.models import AuditRecord
from audit.services import audit_record

CHANGELIST = reverse("admin:audit_auditrecord_changelist")
EXPORT = reverse("admin:audit_auditrecord_export")


def _actions(response):
    form = response.context["action_form"]  # None when the list offers no action at all
    return [name for name, _label in form.fields["action"].choices if name] if form is not None else []


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.fixture
def records(org):
    return [
        audit_record("personal_data.revealed", actor=org.handler, object_type="tickets.ticket", object_id=3),
        audit_record("auth.login_failed", actor=None, username="=cmd|' /C calc'!A0", result="refused"),
        audit_record("ticket.transition", actor=org.dispatcher, object_type="tickets.ticket", object_id=7),
    ]


def test_audit_changelist_filters_by_action(client, org, records):
    client.force_login(org.admin)

    response = client.get(CHANGELIST, {"action__exact": "personal_data.revealed"})

    assert [r.pk for r in response.context["cl"].result_list] == [records[0].pk]


def test_audit_changelist_filters_by_user_and_object(client, org, records):
    client.force_login(org.admin)

    by_user = client.get(CHANGELIST, {"user_id": org.dispatcher.pk})
    by_object = client.get(CHANGELIST, {"object_type__exact": "tickets.ticket", "object_id": "7"})

    assert [r.pk for r in by_user.context["cl"].result_list] == [records[2].pk]
    assert [r.pk for r in by_object.context["cl"].result_list] == [records[2].pk]


def test_audit_changelist_searches_a_username(client, org, records):
    client.force_login(org.admin)

    response = client.get(CHANGELIST, {"q": "sj_handler"})

    assert [r.pk for r in response.context["cl"].result_list] == [records[0].pk]


def test_audit_changelist_offers_no_delete_action_and_links_the_export(client, org, records):
    client.force_login(org.admin)

    response = client.get(CHANGELIST, {"action__exact": "personal_data.revealed"})

    assert _actions(response) == []
    assert f'href="{EXPORT}?action__exact=personal_data.revealed"' in response.content.decode()


@pytest.mark.parametrize("view", ["add", "delete", "change"])
def test_audit_record_cannot_be_added_changed_or_deleted_even_by_a_superuser(client, org, records, view):
    client.force_login(org.admin)
    count = AuditRecord.objects.count()
    url = (
        reverse("admin:audit_auditrecord_add")
        if view == "add"
        else reverse(f"admin:audit_auditrecord_{view}", args=[records[0].pk])
    )

    response = client.post(url, {"action": "auth.logout", "post": "yes"})

    records[0].refresh_from_db()
    assert (response.status_code, records[0].action, AuditRecord.objects.count()) == (
        403,
        "personal_data.revealed",
        count,
    )


def test_audit_record_page_shows_the_record_read_only(client, org, records):
    client.force_login(org.admin)

    response = client.get(reverse("admin:audit_auditrecord_change", args=[records[0].pk]))

    assert (response.status_code, response.context["has_change_permission"]) == (200, False)


def test_audit_export_has_the_filtered_rows_and_is_itself_recorded(client, org, records):
    client.force_login(org.admin)

    response = client.get(EXPORT, {"result__exact": "refused"}, HTTP_USER_AGENT="Firefox")

    table = _csv(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert table[0] == [
        "时间",
        "用户 ID",
        "用户名",
        "操作",
        "结果",
        "对象类型",
        "对象 ID",
        "数据",
        "IP 地址",
        "用户代理",
    ]
    assert [row[2:5] for row in table[1:]] == [["'=cmd|' /C calc'!A0", "auth.login_failed", "refused"]]
    export = AuditRecord.objects.get(action="data.exported")
    assert (export.username, export.data, export.user_agent) == (
        "sj_admin",
        {"export": "audit_records", "filters": {"result__exact": "refused"}, "rows": 1},
        "Firefox",
    )


def test_audit_export_with_a_bad_filter_goes_back_to_the_list(client, org, records):
    client.force_login(org.admin)

    response = client.get(EXPORT, {"at__gte": "not-a-date"})

    assert (response.status_code, response["Location"]) == (302, f"{CHANGELIST}?e=1")


@pytest.mark.parametrize("url", [CHANGELIST, EXPORT])
def test_audit_records_are_not_shown_to_staff_without_the_permission(client, org, records, url):
    # A bureau's dispatcher may be staff (the admin's reference data) without seeing the audit.
    org.dispatcher.is_staff = True
    org.dispatcher.save()
    client.force_login(org.dispatcher)

    response = client.get(url)

    assert response.status_code == 403
    assert AuditRecord.objects.filter(action="data.exported").count() == 0


def test_audit_records_are_not_shown_to_another_bureaus_staff_member(client, org, records):
    from org.tests.factories import make_org

    other = make_org("qp")
    other.chief.is_staff = True
    other.chief.save()
    client.force_login(other.chief)

    response = client.get(EXPORT)

    assert response.status_code == 403


# ---------------------------------------------------------------- the assessment's records


@pytest.fixture
def assessment_records(org):
    from notifications.models import Notification
    from notifications.services import notification_send
    from reviews.models import Callback, Return, SpecialSupervision
    from reviews.services import callback_record, review_return
    from reviews.tests.factories import completed_ticket, ticket_in_unit_review

    review_return(ticket_in_unit_review(org), actor=org.deputy, reason_codes=["facts_unclear"])
    callback_record(completed_ticket(org), satisfaction="unsatisfied")
    notification_send([org.handler], code="ticket.urged", data={"external_id": "SH-1", "message": "请尽快办理"})
    return {
        "reviews_return": Return.objects.get(),
        "reviews_callback": Callback.objects.get(),
        "reviews_specialsupervision": SpecialSupervision.objects.get(),
        "notifications_notification": Notification.objects.get(code="ticket.urged"),
    }


MODELS = ["reviews_return", "reviews_callback", "reviews_specialsupervision", "notifications_notification"]


@pytest.mark.parametrize("model", MODELS)
def test_assessment_record_cannot_be_deleted_in_the_admin(client, org, assessment_records, model):
    record = assessment_records[model]
    client.force_login(org.admin)

    response = client.post(reverse(f"admin:{model}_delete", args=[record.pk]), {"post": "yes"})

    assert (response.status_code, type(record).objects.filter(pk=record.pk).exists()) == (403, True)


@pytest.mark.parametrize("model", MODELS)
def test_assessment_record_list_offers_no_delete_action(client, org, assessment_records, model):
    client.force_login(org.admin)

    response = client.get(reverse(f"admin:{model}_changelist"))

    assert (response.status_code, _actions(response)) == (200, [])


@pytest.mark.parametrize("model", MODELS)
def test_assessment_record_cannot_be_changed_or_added_in_the_admin(client, org, assessment_records, model):
    record = assessment_records[model]
    client.force_login(org.admin)

    change = client.post(reverse(f"admin:{model}_change", args=[record.pk]), {"comment": "改过", "status": "closed"})
    add = client.get(reverse(f"admin:{model}_add"))

    assert (change.status_code, add.status_code) == (403, 403)
