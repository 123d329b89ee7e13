"""Every URL × every role × GET and POST, against the table in permission_matrix.tsv.

The table is the bureau's access policy written down: one row per (URL name, method), one column per role,
each cell the answer that role gets from the URL on objects of office A (a ticket in the state the URL
acts on, its attachment, an approval request, a callback task, a supervision, an inspection and its sample,
a notification of office A's handler, a cluster alert, a platform work order). POSTs carry an empty body:
the row says whether a role gets past the permission check (a form error, 400, 409 or a redirect) or not
(403, 404, 401, or the sign-in page). Each request runs in a transaction rolled back afterwards, so no
request sees another's effect.

A URL that has no row fails the test, so a new URL cannot arrive without someone deciding who may use it.
`MATRIX_WRITE=1 pytest hotline/tests/test_permission_matrix.py` rewrites the table from what the code
answers today: read the diff before committing it (that is the review this test asks for).

Cells: an HTTP status, or `login` for a redirect to the sign-in page. The Django admin's URLs are one row
each for GET only (`admin:*` rows), checked on every admin URL that needs no object id.
"""

import copy
import csv
import datetime as dt
import os
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from org.choices import RoleCode
from org.tests.factories import make_org, make_user
from workdays.calendar import SHANGHAI

TABLE = Path(__file__).with_name("permission_matrix.tsv")
ROLES = [
    "anonymous",
    "dispatcher",
    "handler_a",
    "handler_b",
    "deputy_a",
    "unit_leader_a",
    "reviewer",
    "chief",
    "leader",
    "admin",
    "integration",
    "other_bureau",
]
METHODS = ["GET", "POST"]
NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)  # a Monday
# URLs outside the application's access policy: static assets and the favicon's redirect answer everyone alike.
UNCHECKED = {"favicon"}


def url_names() -> list[tuple[str, str, list[str]]]:
    """(name, pattern, argument names) of every named URL, the admin's included."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if pattern.namespace and namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or "favicon"
                full = f"{namespace}:{name}" if namespace and pattern.name else name
                yield full, prefix + str(pattern.pattern), list(pattern.pattern.regex.groupindex)

    seen = {}
    for name, route, args in walk(get_resolver().url_patterns, "", None):
        seen.setdefault(name, (name, route, args))
    return sorted(seen.values())


# ------------------------------------------------------------------ the world the requests run in


def _world():
    """Office A's objects, one of each kind a URL can name, and a user per role."""
    from alerts.services import alert_detect_for_ticket
    from alerts.tests.factories import make_ticket as alert_ticket
    from integrations.services import integration_client_create
    from notifications.services import notification_send
    from reviews.models import CallbackTask, SpecialSupervision
    from reviews.services import callback_record, campaign_create, campaign_draw_sample
    from reviews.tests.factories import completed_ticket, handled_ticket, ticket_in_unit_review
    from tickets import services
    from tickets.models import TicketRequest
    from tickets.tests.factories import make_ticket
    from workdays.services import calendar_load_year

    calendar_load_year(2026)
    org = make_org()
    other = make_org("other")
    client_row, key = integration_client_create(name="12345 platform", bureau_code=org.bureau.code)

    received = make_ticket(org)
    dispatched = services.ticket_dispatch(make_ticket(org), unit=org.office_a, actor=org.dispatcher)
    in_progress = handled_ticket(org)
    upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32, content_type="image/png")
    attachment = services.ticket_add_attachment(in_progress, actor=org.handler, uploaded_file=upload)
    request_row = services.ticket_request_extension(
        handled_ticket(org), actor=org.handler, clock="reply", working_days=5, reason="需检验检测"
    )
    in_review = ticket_in_unit_review(org)
    completed = completed_ticket(org)
    task = CallbackTask.objects.filter(ticket=completed).first()
    unsatisfied = completed_ticket(org)
    callback_record(unsatisfied, satisfaction="unsatisfied")
    supervision = SpecialSupervision.objects.filter(ticket=unsatisfied).first()
    campaign = campaign_create(
        bureau=org.bureau,
        actor=org.chief,
        name="预付卡专项督查",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 11, 30),
        quotas={org.office_a: 1, org.office_b: 1},
        seed="matrix",
    )
    sample = None
    if campaign_draw_sample(campaign, actor=org.chief):
        sample = campaign.samples.order_by("pk").first()
    notification = notification_send([org.handler], code="ticket.urged", data={"message": "催办"}, ticket=in_progress)
    notification = notification[0]
    linked = [alert_ticket(org, phone="13900001234", received_at=NOW - dt.timedelta(days=n)) for n in range(5)]
    for ticket in reversed(linked):  # in order of receipt, as intake checks them (newest first opened none)
        alert_detect_for_ticket(ticket.pk)
    from alerts.models import ClusterAlert

    alert = ClusterAlert.objects.order_by("pk").first()
    from tickets.models import Ticket

    Ticket.objects.filter(pk=linked[0].pk).update(unit=org.office_a)

    users = {
        "anonymous": None,
        "dispatcher": org.dispatcher,
        "handler_a": org.handler,
        "handler_b": org.handler_b,
        "deputy_a": org.deputy,
        "unit_leader_a": org.unit_leader,
        "reviewer": org.reviewer,
        "chief": org.chief,
        "leader": org.leader,
        "admin": org.admin,
        "integration": key,
        "other_bureau": make_user("other_all", other.cp, RoleCode.DISPATCHER, RoleCode.SECTION_CHIEF),
    }
    tickets_by_state = {
        "received": received,
        "dispatched": dispatched,
        "in_progress": in_progress,
        "unit_review": in_review,
        "completed": completed,
    }
    objects = {
        "attachment": attachment,
        "request": request_row if isinstance(request_row, TicketRequest) else TicketRequest.objects.first(),
        "task": task,
        "supervision": supervision,
        "campaign": campaign,
        "sample": sample,
        "notification": notification,
        "alert": alert,
        "platform": completed,
    }
    from documents.models import Document

    objects["document"] = Document.objects.filter(ticket=completed).order_by("pk").first()
    return users, tickets_by_state, objects


# The state a ticket URL acts on (a URL not named here gets a ticket in progress at office A).
TICKET_STATE = {
    "tickets:dispatch": "received",
    "staff_api:ticket-dispatch": "received",
    "tickets:recall": "dispatched",
    "staff_api:ticket-recall": "dispatched",
    "tickets:accept": "dispatched",
    "staff_api:ticket-accept": "dispatched",
    "tickets:first_contact": "dispatched",
    "staff_api:ticket-first-contact": "dispatched",
    "reviews:review": "unit_review",
    "reviews:approve": "unit_review",
    "reviews:return": "unit_review",
    "staff_api:ticket-review-approve": "unit_review",
    "staff_api:ticket-review-return": "unit_review",
    "reviews:callback": "completed",
    "staff_api:ticket-callback": "completed",
    "tickets:archive": "completed",
    "staff_api:ticket-archive": "completed",
    "documents:make": "completed",
    "staff_api:ticket-documents": "completed",
}
# Which object a URL's `pk` names, for the URLs whose pk is not a ticket's.
PK_OBJECT = {
    "tickets:request_decide": "request",
    "staff_api:request-decide": "request",
    "reviews:callback_attempt": "task",
    "reviews:supervision": "supervision",
    "reviews:campaign": "campaign",
    "reviews:campaign_draw": "campaign",
    "reviews:campaign_findings": "campaign",
    "reviews:sample_score": "sample",
    "notifications:mark_read": "notification",
    "alerts:detail": "alert",
    "alerts:consult": "alert",
    "alerts:close": "alert",
    "alerts:merge": "alert",
    "alerts:split": "alert",
    "staff_api:alert-detail": "alert",
    "staff_api:alert-tickets": "alert",
    "staff_api:alert-consult": "alert",
    "staff_api:alert-close": "alert",
}


def _kwargs(name: str, args: list[str], tickets_by_state: dict, objects: dict) -> dict | None:
    """The URL's arguments, or None when it names an object this world does not make (the admin's ids)."""
    kwargs = {}
    for arg in args:
        if arg == "pk":
            if name in PK_OBJECT:
                target = objects[PK_OBJECT[name]]
                if target is None:
                    return None
                kwargs["pk"] = target.pk
            else:
                kwargs["pk"] = tickets_by_state[TICKET_STATE.get(name, "in_progress")].pk
        elif arg == "document_pk":  # the completed work order's closing opinion
            kwargs["document_pk"] = objects["document"].pk
            kwargs["pk"] = objects["document"].ticket_id
        elif arg in ("year", "month"):  # a month's archive
            kwargs[arg] = {"year": 2026, "month": 10}[arg]
        elif arg == "attachment_pk":
            kwargs["attachment_pk"] = objects["attachment"].pk
            kwargs["pk"] = objects["attachment"].ticket_id
        elif arg == "source":
            kwargs["source"] = objects["platform"].source
        elif arg == "external_id":
            kwargs["external_id"] = objects["platform"].external_id
        elif arg == "app_label":
            kwargs["app_label"] = "tickets"
        else:
            return None
    return kwargs


def _cell(response) -> str:
    if response.status_code in (301, 302, 303):
        location = response.headers.get("Location", "")
        return "login" if ("/login/" in location or "/admin/login/" in location) else str(response.status_code)
    return str(response.status_code)


def _clients(users: dict) -> dict:
    clients = {}
    for role, user in users.items():
        if role == "integration":
            api = APIClient()
            api.credentials(HTTP_AUTHORIZATION=f"Token {user}")
            clients[role] = api
            continue
        client = APIClient(enforce_csrf_checks=False)
        if user is not None and not isinstance(user, AnonymousUser):
            client.force_login(user)
        clients[role] = client
    return clients


def _answer(client: Client, method: str, path: str) -> str:
    cache.clear()  # the throttles' counters
    cookies = copy.deepcopy(client.cookies)  # signing out or switching language must not reach the next request
    with transaction.atomic():
        if method == "GET":
            response = client.get(path)
        elif path.startswith(("/api/", "/open311/")):
            response = client.post(path, {}, format="json")
        else:
            response = client.post(path, {})
        transaction.set_rollback(True)
    client.cookies = cookies
    return _cell(response)


def _read_table() -> dict[tuple[str, str], dict[str, str]]:
    if not TABLE.exists():
        return {}
    with TABLE.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {(row["url"], row["method"]): {role: row[role] for role in ROLES} for row in rows}


def _write_table(observed: dict[tuple[str, str], dict[str, str]]) -> None:
    header = (
        "# Who may use which URL (hotline/tests/test_permission_matrix.py). Cells: the HTTP status a role gets,\n"
        "# `login` for a redirect to sign in. Objects are office A's; POSTs carry an empty body, so 400/409/200\n"
        "# (a form error) or a redirect mean 'allowed', and 403/404/401/login mean 'refused'.\n"
    )
    with TABLE.open("w", encoding="utf-8", newline="") as handle:
        handle.write(header)
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["url", "method", *ROLES])
        for (name, method), cells in sorted(observed.items()):
            writer.writerow([name, method, *(cells[role] for role in ROLES)])


@pytest.mark.django_db
def test_every_url_answers_each_role_as_the_permission_matrix_says(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(NOW, tick=False):
        users, tickets_by_state, objects = _world()
        clients = _clients(users)
        observed: dict[tuple[str, str], dict[str, str]] = {}
        for name, _route, args in url_names():
            if name in UNCHECKED:
                continue
            kwargs = _kwargs(name, args, tickets_by_state, objects)
            if kwargs is None:
                continue  # an admin page of one object: covered by its list's row
            path = reverse(name, kwargs=kwargs)
            methods = ["GET"] if name.startswith("admin:") else METHODS
            for method in methods:
                observed[(name, method)] = {role: _answer(clients[role], method, path) for role in ROLES}

    if os.environ.get("MATRIX_WRITE") == "1":
        _write_table(observed)
    expected = _read_table()

    missing = sorted(key for key in observed if key not in expected)
    stale = sorted(key for key in expected if key not in observed)
    differ = [
        f"{name} {method} {role}: expected {expected[(name, method)][role]}, got {cells[role]}"
        for (name, method), cells in sorted(observed.items())
        if (name, method) in expected
        for role in ROLES
        if expected[(name, method)][role] != cells[role]
    ]
    assert (missing, stale, differ) == ([], [], [])


def test_matrix_table_has_a_column_per_role_and_no_blank_cell():
    expected = _read_table()

    assert len(expected) > 100
    assert all(set(cells) == set(ROLES) and all(cells.values()) for cells in expected.values())
