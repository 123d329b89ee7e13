"""The monthly briefing kept as files (reports.models.BriefingFile): made by the beat task from the first working
day of the next month on, once; made again on demand with who made it; listed and downloaded on the briefing page."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from audit.models import AuditRecord
from reports.models import BriefingFile
from reports.selectors.months import Month
from reports.services import briefing_files_schedule, first_working_day
from reports.tasks import make_monthly_briefings
from workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_first_working_day_follows_the_calendar(calendar_2026):
    # 1-7 October 2026 is the National Day holiday; 1 November 2026 is a Sunday; 1 September a Tuesday
    assert first_working_day(Month(2026, 10)) == dt.date(2026, 10, 8)
    assert first_working_day(Month(2026, 11)) == dt.date(2026, 11, 2)
    assert first_working_day(Month(2026, 9)) == dt.date(2026, 9, 1)


def test_beat_task_makes_last_months_briefing_on_the_first_working_day_once(org, data):
    with time_machine.travel(dt.datetime(2026, 10, 7, 23, 0, tzinfo=SHANGHAI), tick=False):
        assert make_monthly_briefings.apply().get() == 0  # still the holiday: not yet
    with time_machine.travel(dt.datetime(2026, 10, 8, 1, 0, tzinfo=SHANGHAI), tick=False):
        assert make_monthly_briefings.apply().get() == 4  # both bureaus of the fixture, .xlsx and .docx
        assert make_monthly_briefings.apply().get() == 0  # the hourly task again: made already

    kept = BriefingFile.objects.filter(bureau=org.bureau).order_by("kind")
    assert [(f.month, f.kind, f.made_by) for f in kept] == [
        (dt.date(2026, 9, 1), "docx", None),
        (dt.date(2026, 9, 1), "xlsx", None),
    ]
    book = load_workbook(io.BytesIO(kept[1].file.read()))
    header = [cell.value for cell in book.worksheets[0][4]]
    rows = {row[0]: row for row in book.worksheets[0].iter_rows(min_row=5, values_only=True) if row[0]}
    # September 2026 (conftest `data`): T1, T2, T3 at office A and T4 at office B received
    assert rows["局合计"][header.index("工单量")] == 4
    assert book.worksheets[0]["A1"].value == "每月简报（2026-09）"
    document = Document(io.BytesIO(kept[0].file.read()))
    assert document.paragraphs[0].text == "每月简报（2026-09）"
    assert document.paragraphs[1].text == "第 2026-09 号    2026-10-08"


def test_a_missed_first_working_day_is_made_up_later_but_not_before(org, data):
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, 0, tzinfo=SHANGHAI), tick=False):
        made = briefing_files_schedule(now=dt.datetime(2026, 10, 12, 9, 0, tzinfo=SHANGHAI))

    assert made == 4
    assert BriefingFile.objects.filter(made_by=None, month=dt.date(2026, 9, 1)).count() == 4


def test_make_now_keeps_another_with_the_user_and_the_page_lists_them(client, org, data, frozen):
    client.force_login(org.chief)
    page = reverse("reports:index")

    response = client.post(reverse("reports:briefing_make"), {"month": "2026-09"})
    again = client.post(reverse("reports:briefing_make"), {"month": "2026-09"})

    assert response.status_code == again.status_code == 302
    kept = BriefingFile.objects.filter(bureau=org.bureau)
    assert kept.count() == 4  # made again on demand: each time a new pair, with who made it
    assert {f.made_by for f in kept} == {org.chief}
    html = client.get(page, {"month": "2026-09"}).content.decode()
    assert html.count('data-testid="kept-briefing"') == 4
    assert org.chief.get_full_name() in html
    first = kept.order_by("pk").first()
    download = client.get(reverse("reports:briefing_file", args=[first.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert AuditRecord.objects.filter(action="data.exported").count() == 1


def test_kept_briefings_are_for_readers_of_the_whole_bureau_only(client, org, data, frozen):
    client.force_login(org.chief)
    client.post(reverse("reports:briefing_make"), {"month": "2026-09"})
    kept = BriefingFile.objects.filter(bureau=org.bureau).first()

    client.force_login(org.unit_leader)
    refused_make = client.post(reverse("reports:briefing_make"), {"month": "2026-09"})
    refused_file = client.get(reverse("reports:briefing_file", args=[kept.pk]))
    html = client.get(reverse("reports:index"), {"month": "2026-09"}).content.decode()
    client.force_login(data["other"].chief)
    other_bureau = client.get(reverse("reports:briefing_file", args=[kept.pk]))

    assert (refused_make.status_code, refused_file.status_code, other_bureau.status_code) == (403, 403, 404)
    assert 'data-testid="kept-briefing"' not in html


def test_make_now_refuses_a_bad_month(client, org, frozen):
    client.force_login(org.chief)

    response = client.post(reverse("reports:briefing_make"), {"month": "2026-13"})

    assert response.status_code == 302
    assert BriefingFile.objects.count() == 0
