import datetime as dt
import itertools

from tickets.choices import Kind, Source
from tickets.services import Party, ticket_create
from workdays.calendar import SHANGHAI

START = dt.datetime(2026, 9, 1, 10, 0, tzinfo=SHANGHAI)
_numbers = itertools.count(1)


def make_ticket(
    org,
    *,
    received_at=START,
    phone="",
    business="",
    content="",
    bureau=None,
    id_number="",
):
    """A work order with only the keys a test asks for (no phone, no business, a unique text by default)."""
    n = next(_numbers)
    return ticket_create(
        bureau=bureau or org.bureau,
        source=Source.HOTLINE_12345,
        external_id=f"SH12345-ALERT-{n:06d}",
        kind=Kind.COMPLAINT,
        title=f"测试工单{n}",
        content=content
        or f"独立的诉求内容编号{n}：" + "甲乙丙丁戊己庚辛壬癸子丑寅卯"[n % 14 :] + chr(0x4E00 + n % 20000) * 3,
        received_at=received_at,
        complainant=Party(name="李四", phone=phone, id_number=id_number),
        respondent=Party(name=business) if business else None,
    )


def days(n: float) -> dt.timedelta:
    return dt.timedelta(days=n)
