"""The catalogue's pages: list, versions, history, workbook, figures; the inbox and the ticket page's suggestion."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from audit.choices import Action
from audit.models import AuditRecord
from dispatch.models import CatalogueRow
from dispatch.tests.conftest import add_row
from tickets.models import TicketEvent
from tickets.tests.factories import make_ticket

TODAY = dt.date(2026, 10, 9)  # the frozen clock's day


def new_row_post(org, categories, **extra):
    data = {
        "category": categories["food"].pk,
        "area": "岳阳街道",
        "lead_unit": org.office_a.pk,
        "assisting_units": [org.food.pk],
        "effective_from": TODAY.isoformat(),
        "note": "",
    }
    data.update(extra)
    return data


def test_an_administrator_adds_a_row_and_the_change_is_in_the_history(client, org, categories, frozen):
    client.force_login(org.admin)

    response = client.post(reverse("dispatch:row_new"), new_row_post(org, categories))

    assert response.status_code == 302
    row = CatalogueRow.objects.get()
    assert (row.lead_unit, list(row.assisting_units.all()), row.changed_by) == (org.office_a, [org.food], org.admin)
    record = AuditRecord.objects.get(action=Action.CATALOGUE_CHANGED)
    assert record.data["op"] == "created" and record.data["lead_unit"] == org.office_a.code
    history = client.get(reverse("dispatch:history"))
    assert history.status_code == 200
    assert org.admin.display_name in history.content.decode()
    listing = client.get(reverse("dispatch:catalogue"))
    assert "岳阳所" in listing.content.decode()


def test_a_version_in_the_past_is_refused(client, org, categories, frozen):
    client.force_login(org.admin)

    response = client.post(
        reverse("dispatch:row_new"), new_row_post(org, categories, effective_from=(TODAY - dt.timedelta(days=1)))
    )

    assert response.status_code == 400
    assert not CatalogueRow.objects.exists()
    assert response.context["form"].errors["effective_from"]


def test_a_row_in_force_is_not_edited_but_a_scheduled_one_is(client, org, categories, frozen):
    in_force = add_row(org, categories["food"], org.office_a, effective_from=TODAY)
    scheduled = add_row(org, categories["food"], org.office_a, effective_from=TODAY + dt.timedelta(days=5))
    client.force_login(org.admin)

    refused = client.post(
        reverse("dispatch:row_edit", args=[in_force.pk]), new_row_post(org, categories, lead_unit=org.office_b.pk)
    )
    changed = client.post(
        reverse("dispatch:row_edit", args=[scheduled.pk]),
        new_row_post(org, categories, area="", lead_unit=org.office_b.pk, effective_from="2026-10-20"),
    )

    assert refused.status_code == 400
    in_force.refresh_from_db()
    assert in_force.lead_unit == org.office_a
    assert changed.status_code == 302
    scheduled.refresh_from_db()
    assert (scheduled.lead_unit, scheduled.effective_from) == (org.office_b, dt.date(2026, 10, 20))


def test_a_scheduled_version_is_withdrawn_one_in_force_stays(client, org, categories, frozen):
    in_force = add_row(org, categories["food"], org.office_a, effective_from=TODAY)
    scheduled = add_row(org, categories["food"], org.office_b, effective_from=TODAY + dt.timedelta(days=5))
    client.force_login(org.admin)

    client.post(reverse("dispatch:row_edit", args=[in_force.pk]), {"delete": "1"})
    client.post(reverse("dispatch:row_edit", args=[scheduled.pk]), {"delete": "1"})

    assert list(CatalogueRow.objects.all()) == [in_force]


def test_a_dispatcher_reads_the_catalogue_but_does_not_change_it(client, org, categories, frozen):
    client.force_login(org.dispatcher)

    assert client.get(reverse("dispatch:catalogue")).status_code == 200
    assert client.post(reverse("dispatch:row_new"), new_row_post(org, categories)).status_code == 403
    assert client.get(reverse("dispatch:figures")).status_code == 403
    client.force_login(org.handler)
    assert client.get(reverse("dispatch:catalogue")).status_code == 403


def test_another_bureaus_row_is_not_found(client, org, categories, frozen):
    from org.tests.factories import make_org

    other = make_org("qp")
    row = add_row(other, categories["food"], other.office_a, effective_from=TODAY + dt.timedelta(days=3))
    own = add_row(org, categories["food"], org.office_a, effective_from=TODAY + dt.timedelta(days=3))
    client.force_login(org.admin)

    assert client.get(reverse("dispatch:row_edit", args=[row.pk])).status_code == 404
    # The row's own link, not the bureau's code: a random CSRF token may contain any two letters.
    page = client.get(reverse("dispatch:catalogue")).content.decode()
    assert reverse("dispatch:row_edit", args=[own.pk]) in page
    assert reverse("dispatch:row_edit", args=[row.pk]) not in page
    assert "qp bureau" not in page


def workbook(lines) -> SimpleUploadedFile:
    book = Workbook()
    for line in lines:
        book.active.append(line)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("catalogue.xlsx", out.getvalue())


HEADER = ["category", "area", "lead_unit", "assisting_units", "effective_from", "note"]


def test_export_then_import_round_trip(client, org, categories, frozen):
    add_row(org, categories["food"], org.office_a, assisting=[org.food, org.office_b], effective_from=TODAY)
    client.force_login(org.admin)

    exported = client.get(reverse("dispatch:export"))
    sheet = load_workbook(io.BytesIO(exported.content)).active
    lines = list(sheet.iter_rows(values_only=True))
    lines.append(("price", "方松街道", "fs", "", "2026-10-12", "new"))
    response = client.post(reverse("dispatch:import"), {"file": workbook(lines)})

    assert exported.status_code == 200
    assert lines[1][:4] == ("food", None, "yy", "fs,spk")
    assert response.status_code == 302
    assert CatalogueRow.objects.count() == 2  # the exported row is skipped, the new one added
    added = CatalogueRow.objects.get(category=categories["price"])
    assert (added.area, added.lead_unit, added.effective_from) == ("方松街道", org.office_b, dt.date(2026, 10, 12))
    assert AuditRecord.objects.filter(action=Action.DATA_EXPORTED, data__export="dispatch_catalogue").exists()


def test_an_import_with_a_bad_line_saves_nothing_and_names_the_line(client, org, categories, frozen):
    client.force_login(org.admin)

    response = client.post(
        reverse("dispatch:import"),
        {
            "file": workbook(
                [HEADER, ["food", "", "yy", "", "2026-10-12", ""], ["nosuch", "", "zz", "spk", "not a date", ""]]
            )
        },
    )

    assert response.status_code == 400
    assert not CatalogueRow.objects.exists()
    text = response.content.decode()
    assert "nosuch" in text and "zz" in text


def test_a_file_that_is_no_workbook_is_a_clear_error(client, org, frozen):
    client.force_login(org.admin)

    response = client.post(reverse("dispatch:import"), {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})

    assert response.status_code == 400


def test_the_ticket_page_suggests_and_one_click_dispatches(client, org, categories, frozen):
    add_row(org, categories["food"], org.office_b, effective_from=dt.date(2026, 1, 1))
    ticket = make_ticket(org, category=categories["food"])
    client.force_login(org.dispatcher)

    page = client.get(reverse("tickets:detail", args=[ticket.pk]))
    assert page.context["suggestion"].unit_id == org.office_b.pk
    assert page.context["forms"]["dispatch"].initial["unit"] == org.office_b.pk
    response = client.post(
        reverse("tickets:dispatch", args=[ticket.pk]),
        {"version": ticket.version, "kind": ticket.kind, "category": categories["food"].pk, "unit": org.office_b.pk},
    )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.unit == org.office_b
    assert TicketEvent.objects.get(ticket=ticket, code="dispatched").data["suggestion_taken"] is True


@pytest.mark.parametrize("rows", [1, 4])
def test_the_inbox_shows_suggestions_in_a_constant_number_of_queries(
    client, org, categories, frozen, django_assert_num_queries, rows
):
    add_row(org, categories["food"], org.office_b, effective_from=dt.date(2026, 1, 1))
    for _ in range(rows):
        make_ticket(org, category=categories["food"])
    client.force_login(org.dispatcher)
    client.get(reverse("tickets:inbox"))

    # session, user, count, the page (with the fields the suggester reads), the similar tickets of their businesses
    # (none: the catalogue speaks for all, so not even that one), the page's possible duplicates (one query)
    with django_assert_num_queries(6):
        response = client.get(reverse("tickets:inbox"))

    assert response.content.decode().count('data-testid="suggested-unit"') == rows
    assert "方松所" in response.content.decode()


def test_the_api_inbox_and_detail_carry_the_suggested_unit(org, categories, frozen):
    add_row(org, categories["food"], org.office_b, effective_from=dt.date(2026, 1, 1))
    suggested = make_ticket(org, category=categories["food"])
    api = APIClient()
    api.force_login(org.dispatcher)

    inbox = api.get("/api/v1/staff/inbox/").json()["results"]
    detail = api.get(f"/api/v1/staff/tickets/{suggested.pk}/").json()
    dispatched = api.post(
        f"/api/v1/staff/tickets/{suggested.pk}/dispatch/",
        {"unit": org.office_b.code, "category": "food", "note": ""},
        format="json",
    )

    assert inbox[0]["suggested_unit"]["unit"] == {"code": "fs", "name": "方松所"}
    assert inbox[0]["suggested_unit"]["basis"] == "catalogue"
    assert detail["suggested_unit"]["unit"]["code"] == "fs"
    assert dispatched.status_code == 200
    assert dispatched.json()["suggested_unit"] is None
    assert TicketEvent.objects.get(ticket=suggested, code="dispatched").data["suggestion_taken"] is True


def test_the_figures_count_suggestions_taken_per_category_and_month(client, org, categories, frozen):
    from tickets import services
    from tickets.suggestions import suggestion_for

    add_row(org, categories["food"], org.office_b, effective_from=dt.date(2026, 1, 1))
    for unit in (org.office_b, org.office_b, org.office_a):
        ticket = make_ticket(org, category=categories["food"])
        services.ticket_dispatch(ticket, unit=unit, actor=org.dispatcher, suggestion=suggestion_for(ticket))
    client.force_login(org.admin)

    response = client.get(reverse("dispatch:figures"))

    (row,) = response.context["figures"]
    assert (row["category"], row["total"], row["taken"]) == ("食品", 3, 2)
    assert "67%" in response.content.decode()
