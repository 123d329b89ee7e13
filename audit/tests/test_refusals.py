"""A signed-in member refused (403) on a page or API of personal data leaves an audit record
(audit.middleware.RefusalAuditMiddleware); other 403s do not."""

from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditRecord
from tickets.tests.factories import make_ticket
from tickets.tests.test_views_intake import intake_data


def refusals():
    return list(AuditRecord.objects.filter(action="access.refused").values_list("username", "result", "data"))


def test_a_refused_page_is_recorded_with_its_view_and_method(client, org):
    client.force_login(org.handler)

    response = client.post(reverse("tickets:intake"), intake_data(), REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 403
    assert refusals() == [
        ("sj_handler", "refused", {"view": "tickets:intake", "method": "POST", "arguments": {}}),
    ]
    assert AuditRecord.objects.get(action="access.refused").ip_address == "10.1.2.3"


def test_a_refused_staff_api_call_is_recorded_with_the_work_order(org):
    ticket = make_ticket(org)
    api = APIClient()
    api.force_login(org.chief)

    response = api.post(f"/api/v1/staff/tickets/{ticket.pk}/dispatch/", {"unit": "yy"}, format="json")

    assert response.status_code == 403
    [(username, result, data)] = refusals()
    assert (username, result, data["method"], data["arguments"]) == (
        "sj_chief",
        "refused",
        "POST",
        {"pk": str(ticket.pk)},
    )
    assert data["view"].startswith("staff_api:")


def test_a_refused_reveal_is_recorded_once_as_a_refused_reveal(client, org):
    ticket = make_ticket(org, is_confidential=True)
    client.force_login(org.dispatcher)

    response = client.post(
        f"/api/v1/staff/tickets/{ticket.pk}/reveal/", {"field": "complainant_phone"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert list(AuditRecord.objects.exclude(action="auth.login").values_list("action", "result")) == [
        ("personal_data.revealed", "refused")
    ]


def test_anonymous_refusals_are_not_recorded(client, org):
    ticket = make_ticket(org)

    api = client.get(f"/api/v1/staff/tickets/{ticket.pk}/")
    page = client.get(reverse("tickets:inbox"))

    assert (api.status_code, page.status_code) == (401, 302)
    assert refusals() == []


def test_a_403_outside_personal_data_pages_is_not_recorded(client, org):
    client.force_login(org.handler)

    assert client.get(reverse("reports:index")).status_code == 403
    assert refusals() == []


def test_a_password_change_due_is_not_a_refusal(client, org):
    org.handler.password_change_required = True
    org.handler.save(update_fields=["password_change_required"])
    client.force_login(org.handler)

    response = client.get("/api/v1/staff/tickets/")

    assert response.status_code == 403 and response.json()["error"]["code"] == "password_expired"
    assert refusals() == []


def test_a_refusal_costs_one_query_more(client, org, django_assert_max_num_queries):
    client.force_login(org.handler)
    client.get(reverse("tickets:inbox"))  # sessions, content types warmed
    with django_assert_max_num_queries(6):
        assert client.get(reverse("tickets:inbox")).status_code == 403
    assert len(refusals()) == 2
