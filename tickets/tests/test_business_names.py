"""The normalised business name (tickets.names): one function behind intake's business rows, so the duplicate
proposals and the cluster alerts' business kind see one business under its spellings."""

import datetime as dt

import pytest

from alerts.models import ClusterAlert
from alerts.services import alert_detect_for_ticket
from tickets import duplicates
from tickets.models import Business
from tickets.names import business_name_key
from tickets.services import Party, business_for, ticket_create
from tickets.tests.factories import RECEIVED


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("上海某某餐饮有限公司", "某某餐饮"),
        ("某某餐饮有限责任公司", "某某餐饮"),
        ("上海市松江区某某餐饮股份有限公司", "某某餐饮"),
        ("松江区 某某餐饮店", "某某餐饮"),
        ("某某餐饮（松江）分店", "某某餐饮松江"),
        ("某某餐饮有限公司松江分公司", "某某餐饮松江"),
        ("ＡＢＣ　便利店", "abc便利"),
        ("Abc-便利店.", "abc便利"),
        ("某某餐饮公司", "某某餐饮"),
    ],
)
def test_the_normalised_name(name, key):
    assert business_name_key(name) == key


def test_what_the_normalised_name_keeps():
    assert business_name_key("北京烤鸭店") == "北京烤鸭"  # a place name leaves at least three characters
    assert business_name_key("上海有限公司") == "上海"  # only company words: the place stays
    assert business_name_key("有限公司") == "有限公司"  # nothing left: the plain name
    assert business_name_key("某某超市") != business_name_key("某某超市二店")
    assert business_name_key("") == business_name_key("  ") == ""


def test_intake_files_spellings_of_one_name_under_one_business(org):
    first = business_for("上海某某餐饮有限公司", "")
    assert business_for("某某餐饮", "") == first
    assert business_for("松江区某某餐饮店", "") == first
    assert business_for("某某超市", "") != first
    assert duplicates.business_id_for("ＸＸ某某餐饮有限公司", "") is None
    assert duplicates.business_id_for("某某餐饮（有限公司）", "") == first.pk
    assert Business.objects.get(pk=first.pk).name == "上海某某餐饮有限公司"


def test_a_first_credit_code_adopts_the_business_of_that_name(org):
    by_name = business_for("某某餐饮店", "")
    coded = business_for("上海某某餐饮有限公司", "91310117ma1j2bbbbb")
    assert coded.pk == by_name.pk
    assert coded.credit_code == "91310117MA1J2BBBBB"
    # a second company of the same normalised name with its own code is another business
    other = business_for("北京某某餐饮有限公司", "91110000MA1J2CCCCC")
    assert other.pk != coded.pk
    # a name without a code that two coded businesses share is neither of them
    unknown = business_for("某某餐饮", "")
    assert unknown.pk not in (coded.pk, other.pk)
    assert business_for("某某餐饮有限公司", "") == unknown  # and it is found again


_numbers = iter(range(1, 10**6))
# texts far apart (no near-identical text proposal between them)
TEXTS = [
    "预付卡充值后商家关门，老板联系不上，要求退还余额。",
    "菜品里吃出异物，店家拒绝退款还态度恶劣，希望查处。",
    "外卖送来的饭菜已经变质发馊，商家不肯赔偿损失。",
    "会员卡到期前被告知停业转让，剩余课时没有人负责。",
    "收银时多收费用，标价与结算价格不一致，要求说明。",
]


def _ticket(org, business, *, hours=0, phone=""):
    n = next(_numbers)
    return ticket_create(
        bureau=org.bureau,
        source="12345",
        external_id=f"NAME-{n}",
        kind="complaint",
        content=TEXTS[n % len(TEXTS)],
        received_at=RECEIVED + dt.timedelta(hours=hours),
        complainant=Party(phone=phone),
        respondent=Party(name=business),
    )


def test_duplicates_are_proposed_across_spellings_of_a_business(org):
    first = _ticket(org, "上海某某餐饮有限公司")
    second = _ticket(org, "某某餐饮店", hours=1)
    unrelated = _ticket(org, "某某超市", hours=2)

    found = {p.ticket_id: p.reasons for p in duplicates.duplicate_candidates(second)}
    assert found == {first.pk: ["business"]}
    assert unrelated.pk not in found


def test_the_business_alert_counts_every_spelling(org, settings):
    settings.HOTLINE_ALERT_BUSINESS_THRESHOLD = 3
    spellings = ["上海某某教育科技有限公司", "某某教育科技", "松江区某某教育科技有限公司"]
    tickets = [_ticket(org, name, hours=n) for n, name in enumerate(spellings)]
    for ticket in tickets[:2]:
        alert_detect_for_ticket(ticket.pk)
    assert not ClusterAlert.objects.filter(kind="business").exists()

    alert_detect_for_ticket(tickets[2].pk)

    alert = ClusterAlert.objects.get(kind="business")
    assert alert.ticket_count == 3


def test_a_professional_claimant_counts_spellings_of_one_business_once(org, settings):
    settings.HOTLINE_ALERT_CLAIMANT_BUSINESSES = 3  # M
    phone = "13900005678"
    names = ["上海甲乙超市有限公司", "甲乙超市", "松江区甲乙超市店", "丙丁便利店"]
    tickets = [_ticket(org, name, hours=n, phone=phone) for n, name in enumerate(names)]
    for ticket in tickets:
        alert_detect_for_ticket(ticket.pk)
    # four work orders, two businesses under three spellings: M - 1
    assert not ClusterAlert.objects.filter(kind="claimant").exists()

    third = _ticket(org, "戊己餐饮有限公司", hours=5, phone=phone)
    alert_detect_for_ticket(third.pk)

    alert = ClusterAlert.objects.get(kind="claimant")
    assert alert.ticket_count == 5
