import datetime as dt

import pytest

from org.models import Unit
from org.tests.factories import make_org
from tickets import services
from tickets.choices import Kind, Status
from tickets.filters import TicketApiFilter, TicketFilter
from tickets.models import Ticket
from tickets.tests.factories import make_ticket
from workdays.calendar import SHANGHAI

FilterSet = TicketFilter


@pytest.fixture(autouse=True, params=[TicketFilter, TicketApiFilter], ids=["html", "api"])
def filter_class(request):
    """Every test here for both: the HTML list's FilterSet and the staff API's lighter one."""
    global FilterSet
    FilterSet = request.param
    yield request.param
    FilterSet = TicketFilter


class FakeRequest:
    def __init__(self, user):
        self.user = user


def filtered(org, params, user=None) -> list[int]:
    request = FakeRequest(user or org.reviewer)
    filterset = FilterSet(params, queryset=Ticket.objects.order_by("id"), request=request)
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs.values_list("pk", flat=True))


@pytest.fixture
def tickets(org, frozen):
    complaint = make_ticket(org, tags=["mass"], reply_due_at=dt.datetime(2026, 10, 8, 17, tzinfo=SHANGHAI))
    report = make_ticket(org, kind=Kind.REPORT, reply_due_working_days=15)
    report = services.ticket_dispatch(report, unit=org.office_b, actor=org.dispatcher)
    services.ticket_record_first_contact(services.ticket_accept(report, actor=org.handler_b), actor=org.handler_b)
    yield complaint, report


def test_filter_by_status_kind_and_unit(org, tickets):
    complaint, report = tickets

    assert filtered(org, {"status": Status.RECEIVED}) == [complaint.pk]
    assert filtered(org, {"kind": Kind.REPORT}) == [report.pk]
    assert filtered(org, {"unit": org.office_b.pk}) == [report.pk]


def test_filter_by_tag(org, tickets):
    complaint, _ = tickets

    assert filtered(org, {"tag": "mass"}) == [complaint.pk]
    assert filtered(org, {"tag": "urgent"}) == []


def test_filter_overdue_and_due_before(org, tickets):
    complaint, report = tickets

    assert filtered(org, {"overdue": "true"}) == [complaint.pk]
    assert filtered(org, {"overdue": "false"}) == [report.pk]
    assert filtered(org, {"due_before": "2026-10-09"}) == [complaint.pk]


def test_filter_by_text_matches_number_title_and_respondent(org, tickets):
    complaint, report = tickets

    assert filtered(org, {"q": complaint.external_id}) == [complaint.pk]
    assert filtered(org, {"q": "教育科技"}) == [complaint.pk, report.pk]
    assert filtered(org, {"q": "不存在的词"}) == []


def test_filter_unit_choices_are_the_users_bureau_only(org, tickets):
    from org.tests.factories import make_org

    other = make_org("qp")
    filterset = FilterSet({}, queryset=Ticket.objects.all(), request=FakeRequest(org.reviewer))

    units = list(filterset.form.fields["unit"].queryset)

    assert org.office_a in units
    assert other.office_a not in units


def test_filter_unit_choices_follow_each_user_although_the_form_class_is_shared(org, tickets):
    other = make_org("qp")
    ours = FilterSet({}, queryset=Ticket.objects.all(), request=FakeRequest(org.reviewer))
    theirs = FilterSet({}, queryset=Ticket.objects.all(), request=FakeRequest(other.reviewer))
    nobody = FilterSet({}, queryset=Ticket.objects.all())

    assert type(ours.form) is type(theirs.form) is type(nobody.form)
    assert set(ours.form.fields["unit"].queryset) == set(Unit.objects.filter(bureau=org.bureau))
    assert set(theirs.form.fields["unit"].queryset) == set(Unit.objects.filter(bureau=other.bureau))
    assert list(nobody.form.fields["unit"].queryset) == []
    assert list(type(ours.form).base_fields["unit"].queryset) == []


def test_filter_by_another_bureaus_unit_is_invalid(org, tickets):
    other = make_org("qp")
    filterset = FilterSet({"unit": other.office_a.pk}, queryset=Ticket.objects.all(), request=FakeRequest(org.reviewer))

    assert not filterset.is_valid()
    assert list(filterset.errors) == ["unit"]


INVALID = [
    {"status": "bogus"},
    {"kind": "nope", "status": "received"},
    {"unit": "abc"},
    {"unit": "999999"},
    {"category": "999999"},
    {"tag": "x"},
    {"due_before": "2026-13-01"},
    {"overdue": "maybe", "status": "bogus"},
    {"q": "x" * 5000, "status": "nope", "unit": "-1"},
]


@pytest.mark.parametrize("params", INVALID)
def test_api_filter_answers_the_errors_of_the_html_filter(org, tickets, params):
    html = TicketFilter(params, queryset=Ticket.objects.all(), request=FakeRequest(org.reviewer))
    api = TicketApiFilter(params, queryset=Ticket.objects.all(), request=FakeRequest(org.reviewer))

    assert (api.is_valid(), api.errors.get_json_data()) == (html.is_valid(), html.errors.get_json_data())
    assert api.is_valid() is False


def test_api_filter_shares_the_form_fields_but_the_users_units(org, tickets):
    first = TicketApiFilter({"status": "received"}, queryset=Ticket.objects.all(), request=FakeRequest(org.reviewer))
    second = TicketApiFilter({"kind": "report"}, queryset=Ticket.objects.all(), request=FakeRequest(org.reviewer))
    html = TicketFilter({}, queryset=Ticket.objects.all(), request=FakeRequest(org.reviewer))

    assert first.form.fields["status"] is second.form.fields["status"]
    assert first.form.fields["unit"] is not second.form.fields["unit"]
    assert html.form.fields["status"] is not first.form.fields["status"]
    assert first.filters["tag"] is not second.filters["tag"] and first.filters["tag"].parent is first
    assert first.filters["unit"].extra is not TicketApiFilter.base_filters["unit"].extra
    # each FilterSet's method filters call that FilterSet's methods
    assert first.filters["q"].filter.f is first.filters["q"]
    assert (list(first.qs) == [tickets[0]], list(second.qs) == [tickets[1]]) == (True, True)
