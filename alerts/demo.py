"""Demo data for cluster alerts: one alert of each kind in each state (open, consulted, closed, merged), so that a
newcomer sees the list, an alert page with its units and linked work orders, the consultation, merging and the reply
form's unified reply line. Called by `manage.py seed_demo` after the demo tickets: `demo_seed_alerts(bureau)`.

Every alert is made as the running system makes it: work orders through `tickets.services.ticket_create` (their
own numbers SH12345-ALERTDEMO-…, received over the last days), two of each cluster dispatched to a field unit,
each checked by `alerts.services.alert_detect_for_ticket` in order of receipt (the threshold in force opens the
alert), then consulted, closed, or merged into the open one of its kind through the services. Safe to run twice:
a second call finds its work orders and returns at once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from alerts.choices import AlertKind, AlertStatus
from alerts.models import ClusterAlert
from alerts.services import alert_close, alert_consult, alert_detect_for_ticket, alert_merge, alert_rules
from org.choices import RoleCode, UnitKind
from org.models import Bureau, User
from tickets import services
from tickets.choices import Kind, Source
from tickets.models import Ticket
from tickets.services import Party

PREFIX = "SH12345-ALERTDEMO-"
STATES = (AlertStatus.OPEN, AlertStatus.CONSULTED, AlertStatus.CLOSED, AlertStatus.MERGED)
TEMPLATE_TEXTS = (
    "我在{w}超市购买的有机蔬菜没有有机认证，属于虚假宣传，要求按食品安全法十倍赔偿。",
    "{w}商场出售的进口奶粉标签没有中文说明，违反规定，请求依法查处并退一赔十。",
    "{w}药店宣传保健品能够治疗高血压，属于违法广告，要求责令停止发布并赔偿损失。",
    "{w}网店销售的儿童玩具没有强制性认证标志，存在安全隐患，要求下架并给予赔偿。",
)
STATE_WORDS = {AlertStatus.OPEN: "甲", AlertStatus.CONSULTED: "乙", AlertStatus.CLOSED: "丙", AlertStatus.MERGED: "丁"}
REPLY_LINES = {
    AlertKind.BUSINESS: "经核查，该机构已停止经营，我局已立案调查并将线索移送公安机关；请消费者保留合同、付款凭证，"
    "可通过民事诉讼或向破产管理人申报债权维护权益。",
    AlertKind.COMPLAINANT: "您反映的问题已登记。经核查，相关商品标签符合规定，未发现违法行为；"
    "如对处理结果有异议，可依法申请行政复议或提起行政诉讼。",
    AlertKind.TEMPLATE: "经核查，涉事超市销售的蔬菜已取得有机产品认证，标签标识符合规定，举报内容不属实。",
    AlertKind.CLAIMANT: "经核查，您反映的多家经营者的商品标签问题，我局已逐一依法处理；"
    "以牟利为目的的索赔诉求不属于消费者权益争议，不予调解。",
}
# Letters that make each demo text unique (the same-text fingerprint keeps letters only: digits do not count).
_UNIQUE = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎"


def _unique(n: int) -> str:
    return _UNIQUE[n % len(_UNIQUE)] + _UNIQUE[(n // len(_UNIQUE)) % len(_UNIQUE)] + _UNIQUE[(n * 7) % len(_UNIQUE)]


def _letters(n: int) -> str:
    """Twelve letters of _UNIQUE drawn from n's hash: far from every other n's (texts stay dissimilar)."""
    import hashlib

    return "".join(_UNIQUE[b % len(_UNIQUE)] for b in hashlib.sha256(str(n).encode()).digest()[:12])


def _cluster(kind: str, state: str, size: int, base: int) -> list[dict]:
    """The intake fields of one cluster's work orders: only the key of `kind` is shared."""
    word = STATE_WORDS[state]
    orders = []
    for n in range(size):
        unique = _unique(base + n)
        fields = {
            "title": "预付卡商家关门",
            # a long unique start: the template detection finds near-identical texts, not only equal ones
            "content": f"{_letters(base + n)}反映：培训机构突然停业，预付学费无法退还，要求退款。",
            "phone": f"1580000{base + n:04d}",
            "business": "",
        }
        if kind == AlertKind.BUSINESS:
            fields.update(title="教育机构停业退费", business=f"某某教育培训中心（演示{word}）")
        elif kind == AlertKind.COMPLAINANT:
            fields.update(title="商品标签问题", phone=f"1390000{10 + STATES.index(state):04d}")
        elif kind == AlertKind.TEMPLATE:
            fields.update(
                title="有机蔬菜虚假宣传",
                # one template per state, each far from the others: near-identical texts are one cluster
                content=TEMPLATE_TEXTS[STATES.index(state)].format(w=word) + f"购买日期第{n + 1}次",
            )
        else:  # a professional claimant: one person, a different business each time
            fields.update(
                title="食品标签不规范",
                phone=f"1370000{20 + STATES.index(state):04d}",
                business=f"{unique}便利店（演示{word}）",
            )
        orders.append(fields)
    return orders


def demo_seed_alerts(bureau: Bureau) -> dict[str, int]:
    """Make one alert of each kind in each state. Returns {"alerts": n, "work_orders": n}, or {} when done before."""
    if Ticket.objects.filter(bureau=bureau, external_id__startswith=PREFIX).exists():
        return {}
    rules = alert_rules()
    section = (
        User.objects.filter(unit__bureau=bureau, roles__code=RoleCode.SECTION_CHIEF, is_active=True).first()
        or User.objects.filter(unit__bureau=bureau, roles__code=RoleCode.SECTION_REVIEWER, is_active=True).first()
    )
    dispatcher = User.objects.filter(unit__bureau=bureau, roles__code=RoleCode.DISPATCHER, is_active=True).first()
    units = list(bureau.units.filter(kind__in=[UnitKind.OFFICE, UnitKind.BRIGADE], is_active=True).order_by("code"))
    now = timezone.now()
    made = {"alerts": 0, "work_orders": 0}
    opened: dict[str, ClusterAlert] = {}
    base = 0
    for k, kind in enumerate(AlertKind.values):
        threshold = rules[kind].threshold
        for s, state in enumerate(STATES):
            orders = _cluster(kind, state, threshold, base)
            base += len(orders)
            with transaction.atomic():  # the hand-over after intake (to a worker) comes after this cluster's checks
                alert = _make_cluster(
                    bureau, kind, state, orders, k=k, s=s, now=now, dispatcher=dispatcher, units=units
                )
            made["work_orders"] += len(orders)
            if alert is None:
                continue
            made["alerts"] += 1
            if state in (AlertStatus.CONSULTED, AlertStatus.CLOSED) and section is not None:
                alert_consult(alert, actor=section, reply_line=REPLY_LINES[kind], note="消保科会同相关所队会商（演示）")
            if state == AlertStatus.CLOSED and section is not None:
                alert_close(alert, actor=section)
            if state == AlertStatus.OPEN:
                opened[kind] = alert
            if state == AlertStatus.MERGED and section is not None and kind in opened:
                # the same company under another name, the same person from another phone: the section merges it
                alert_merge(opened[kind], alert, actor=section)
    return made


def _make_cluster(bureau, kind, state, orders, *, k, s, now, dispatcher, units) -> ClusterAlert | None:
    tickets = []
    for n, fields in enumerate(orders):
        received_at = now - dt.timedelta(days=(len(orders) - n) * 0.5 + s * 0.2, minutes=k * 7)
        ticket = services.ticket_create(
            bureau=bureau,
            source=Source.HOTLINE_12345,
            external_id=f"{PREFIX}{kind}-{state}-{n + 1:02d}",
            kind=Kind.COMPLAINT,
            title=fields["title"],
            content=fields["content"],
            received_at=received_at,
            complainant=Party(name="王某", phone=fields["phone"]),
            respondent=Party(name=fields["business"], address="松江区") if fields["business"] else None,
        )
        tickets.append(ticket)
    # two of the cluster were dispatched before the alert opened: their units are in it from the start
    if dispatcher is not None and units:
        for n, ticket in enumerate(tickets[:2]):
            services.ticket_dispatch(ticket, unit=units[(k + s + n) % len(units)], actor=dispatcher)
    for ticket in tickets:
        alert_detect_for_ticket(ticket.pk)
    return (
        ClusterAlert.objects.filter(bureau=bureau, kind=kind, status__in=[AlertStatus.OPEN, AlertStatus.CONSULTED])
        .filter(links__ticket_id=tickets[-1].pk)
        .first()
    )
