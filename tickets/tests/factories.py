import datetime as dt

from tickets.choices import Finding, Kind, Outcome, Source, Track
from tickets.services import Party, TrackResult, ticket_create
from workdays.calendar import SHANGHAI

RECEIVED = dt.datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)
_counter = {"n": 0}


def make_ticket(
    org, *, kind=Kind.COMPLAINT, tags=None, received_at=RECEIVED, source=Source.HOTLINE_12345, external_id=None, **extra
):
    _counter["n"] += 1
    return ticket_create(
        bureau=org.bureau,
        source=source,
        external_id=f"SH12345-TEST-{_counter['n']:06d}" if external_id is None else external_id,
        kind=kind,
        title="预付卡商家关门",
        content="某教育机构突然关门，预付学费无法退还。",
        received_at=received_at,
        tags=tags or [],
        complainant=Party(
            name="张三", phone="13812345678", id_number="310101199001011234", address="松江区某路1号", is_real_name=True
        ),
        respondent=Party(name="某某教育科技有限公司", credit_code="91310117MA1J2XXXXX"),
        **extra,
    )


def good_results(kind):
    results = {}
    if kind in (Kind.COMPLAINT, Kind.COMPOSITE):
        results[Track.COMPLAINT] = TrackResult(
            finding=Finding.SUBSTANTIATED, outcome=Outcome.MEDIATED, is_violation_suspected=False
        )
    if kind in (Kind.REPORT, Kind.COMPOSITE):
        results[Track.REPORT] = TrackResult(
            finding=Finding.SUBSTANTIATED, outcome=Outcome.CASE_OPENED, case_number="沪市监松处〔2026〕001号"
        )
    return results
