"""Demo work orders for `seed_demo`: a few hundred realistic tickets across units, kinds and every state.

Tickets walk their lifecycle through the real services, so timelines, clocks and the outbox are
what the application itself would have written. Deterministic (a fixed seed) and safe to run twice.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from org.choices import RoleCode, UnitKind
from org.models import Bureau, User
from tickets import services
from tickets.choices import Finding, Kind, Outcome, Source, Status, Track, tracks_for_kind
from tickets.models import Category, Ticket
from tickets.services import Party, TrackResult

DEMO_TICKETS = 300

SUBJECTS = [
    ("education", "预付卡商家关门", "某教育培训机构突然停业，已预付课时费{amount}元无法退还，要求退款。"),
    ("prepaid", "健身房跑路", "小区附近健身房关门，会员卡余额{amount}元，商家联系不上。"),
    ("food-catering", "餐厅食品变质", "在该餐厅就餐后腹泻，怀疑菜品变质，要求赔偿医药费{amount}元。"),
    ("food-sales", "超市销售过期食品", "在超市购买的酸奶已过保质期，要求依法处理。"),
    ("advertising", "虚假宣传", "商家宣传“全市最低价”“绝对有效”，涉嫌虚假广告。"),
    ("price", "价格欺诈", "标价与结算价不一致，多收费{amount}元。"),
    ("product-quality", "家电质量问题", "新买的空调三天就坏，商家拒绝退换。"),
    ("online-trade", "网购不发货", "网店收款后不发货，金额{amount}元，客服不回复。"),
    ("cosmetics", "化妆品过敏", "使用该美容院推荐的化妆品后皮肤过敏。"),
    ("contract", "霸王条款", "商家合同规定“概不退款”，消费者认为属于不公平格式条款。"),
    ("food-sales", "“有机”蔬菜无认证", "菜场摊位销售标称“有机”的蔬菜，无有机产品认证。"),
    ("licensing", "无照经营", "小区内有人无照经营餐饮，油烟扰民。"),
]
BUSINESSES = [
    ("上海某某教育科技有限公司", "91310117MA1J2A0001"),
    ("松江区某健身服务部", "92310117MA1J2B0002"),
    ("上海某餐饮管理有限公司", "91310117MA1J2C0003"),
    ("某某超市松江店", "91310117MA1J2D0004"),
    ("上海某电器销售有限公司", "91310117MA1J2E0005"),
    ("某某美容美发店", "92310117MA1J2F0006"),
    ("上海某网络科技有限公司", "91310117MA1J2G0007"),
    ("某菜场12号摊位", ""),
]
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴婷"]
STATES = [
    Status.RECEIVED,
    Status.DISPATCHED,
    Status.ACCEPTED,
    Status.IN_PROGRESS,
    Status.UNIT_REVIEW,
    Status.SECTION_REVIEW,
    Status.COMPLETED,
    Status.COMPLETED,
    Status.COMPLETED,
    Status.ARCHIVED,
    Status.REOPENED,
    Status.RETURNED_TO_PLATFORM,
]
KINDS = [Kind.COMPLAINT] * 5 + [Kind.REPORT] * 2 + [Kind.COMPOSITE, Kind.INQUIRY, Kind.SUGGESTION]


def _results(kind: str, rng: random.Random) -> dict[str, TrackResult]:
    results = {}
    for track in tracks_for_kind(kind):
        if track == Track.COMPLAINT:
            outcome = rng.choice([Outcome.MEDIATED, Outcome.MEDIATED, Outcome.NOT_ACCEPTED, Outcome.MEDIATION_FAILED])
            finding = (
                Finding.UNSUBSTANTIATED
                if outcome == Outcome.NOT_ACCEPTED
                else rng.choice([Finding.SUBSTANTIATED, Finding.PARTLY])
            )
            results[track] = TrackResult(
                finding=finding,
                outcome=outcome,
                grounds="经现场核查，未发现投诉所述情况。" if finding == Finding.UNSUBSTANTIATED else "",
                is_violation_suspected=False if outcome == Outcome.MEDIATED else None,
            )
        else:
            opened = rng.random() < 0.3
            results[track] = TrackResult(
                finding=Finding.SUBSTANTIATED if opened else rng.choice([Finding.PARTLY, Finding.UNSUBSTANTIATED]),
                outcome=Outcome.CASE_OPENED if opened else Outcome.NOT_OPENED,
                case_number=f"沪市监松处〔2026〕{rng.randint(100, 999)}号" if opened else "",
                grounds="" if opened else "经核查，违法事实不成立，不予立案。",
            )
    return results


def _evidence_photo():
    """A tiny PNG standing in for the photo taken on site."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("现场照片.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")


def _walk(ticket: Ticket, target: str, *, people: dict, rng: random.Random) -> None:
    """Take a new ticket through the lifecycle up to `target`, as the staff would."""
    if target == Status.RECEIVED:
        return
    dispatcher = people["dispatcher"]
    if target == Status.RETURNED_TO_PLATFORM:
        request = services.ticket_request_return(
            ticket, actor=dispatcher, reason_code="not_jurisdiction", reason="涉及外区经营者，不属本局管辖。"
        )
        services.request_decide(request, actor=people["chief"], is_approved=True)
        return
    unit = rng.choice(people["units"])
    services.ticket_dispatch(ticket, unit=unit, actor=dispatcher)
    if target == Status.DISPATCHED:
        return
    handler = people["handlers"].get(unit.pk) or people["any_handler"]
    services.ticket_accept(ticket, actor=handler)
    if target == Status.ACCEPTED:
        return
    services.ticket_record_first_contact(ticket, actor=handler, note="已电话联系诉求人，了解情况。")
    if target == Status.IN_PROGRESS:
        return
    results = _results(ticket.kind, rng)
    if any(result.finding == Finding.UNSUBSTANTIATED for result in results.values()):
        # 不属实 goes with a piece of evidence (the reply refuses it without)
        services.ticket_add_attachment(ticket, actor=handler, uploaded_file=_evidence_photo())
    services.ticket_submit_reply(
        ticket,
        actor=handler,
        reply_text="经调查核实，已督促商家整改并与诉求人沟通，详见办理情况。",
        results=results,
    )
    if target == Status.UNIT_REVIEW:
        return
    services.ticket_transition(ticket, to=Status.SECTION_REVIEW, actor=people["deputy"], event="unit_approved")
    if target == Status.SECTION_REVIEW:
        return
    services.ticket_complete(ticket, actor=people["reviewer"])
    if target == Status.COMPLETED:
        return
    if target == Status.ARCHIVED:
        services.ticket_transition(ticket, to=Status.ARCHIVED, actor=people["reviewer"], event="archived")
    elif target == Status.REOPENED:
        services.ticket_reopen(ticket, actor=None, reason="unsatisfied", data={"source": "platform"})


def demo_seed_tickets(bureau: Bureau, *, count: int = DEMO_TICKETS) -> int:
    """Create up to `count` demo tickets in the bureau; returns how many were created this time."""
    existing = Ticket.objects.filter(bureau=bureau, external_id__startswith="SH12345-DEMO-").count()
    if existing >= count:
        return 0
    rng = random.Random(2026)
    field_units = list(bureau.units.filter(kind__in=[UnitKind.OFFICE, UnitKind.BRIGADE], is_active=True))
    handlers = {}
    for user in User.objects.filter(unit__bureau=bureau, roles__code=RoleCode.HANDLER).select_related("unit"):
        handlers.setdefault(user.unit_id, user)
    people = {
        "dispatcher": User.objects.filter(unit__bureau=bureau, roles__code=RoleCode.DISPATCHER).first(),
        "chief": User.objects.filter(unit__bureau=bureau, roles__code=RoleCode.SECTION_CHIEF).first(),
        "reviewer": User.objects.filter(unit__bureau=bureau, roles__code=RoleCode.SECTION_REVIEWER).first(),
        "deputy": User.objects.filter(unit__bureau=bureau, roles__code=RoleCode.UNIT_DEPUTY).first(),
        "units": field_units,
        "handlers": handlers,
        "any_handler": next(iter(handlers.values())),
    }
    categories = {c.code: c for c in Category.objects.all()}
    now = timezone.now()
    created = 0
    for number in range(1, count + 1):
        external_id = f"SH12345-DEMO-{number:05d}"
        category_code, title, text = rng.choice(SUBJECTS)
        business_name, credit_code = rng.choice(BUSINESSES)
        kind = rng.choice(KINDS)
        state = STATES[number % len(STATES)]
        # Open work is recent; finished work is older, a third of it spread over the fourteen months before, so that
        # the briefing's year-on-year change and the red/black list have a year earlier to compare with.
        if state in (Status.RECEIVED, Status.DISPATCHED):
            days_ago = rng.uniform(0, 6)
        elif number % 3 == 0:
            days_ago = rng.uniform(60, 430)
        else:
            days_ago = rng.uniform(2, 60)
        received_at = now - dt.timedelta(days=days_ago, minutes=rng.randint(0, 600))
        if Ticket.objects.filter(source=Source.HOTLINE_12345, external_id=external_id).exists():
            continue
        tags = []
        if category_code == "advertising":
            tags.append("advertising")
        if rng.random() < 0.05:
            tags.append("urgent")
        if category_code == "education" and rng.random() < 0.5:
            tags.append("mass")
        if "有机" in title:
            tags.append("professional")
        with transaction.atomic():
            ticket = services.ticket_create(
                bureau=bureau,
                source=Source.HOTLINE_12345 if rng.random() < 0.85 else Source.PLATFORM_12315,
                external_id=external_id,
                kind=kind,
                title=title,
                content=text.format(amount=rng.choice([380, 1200, 2680, 5000, 12800])),
                received_at=received_at,
                category=categories.get(category_code),
                tags=tags,
                complainant=Party(
                    name=rng.choice(NAMES),
                    phone=f"13{rng.randint(100000000, 999999999)}",
                    id_number=f"3101171990{rng.randint(10000000, 99999999)}",
                    address=f"松江区某某路{rng.randint(1, 999)}号",
                    is_real_name=rng.random() < 0.7,
                ),
                respondent=Party(name=business_name, credit_code=credit_code, address="松江区"),
                reply_due_working_days=rng.choice([None, 5, 15]) if kind not in (Kind.INQUIRY,) else 3,
                is_confidential=rng.random() < 0.1,
            )
            _walk(ticket, state, people=people, rng=rng)
        created += 1
    return created


DISPATCH_DEMO_PREFIX = "SH12345-DISPATCHDEMO-"


def demo_seed_dispatch(bureau: Bureau) -> dict[str, int]:
    """A few work orders showing the 2025 dispatch steps (docs/dispatch.md), made through the services as the
    staff would: one with an assisting unit still to answer, one whose assisting unit answered, one with a
    dispatch objection waiting for the section and one whose objection was upheld (re-dispatched). Made once:
    {what: how many} of those made this time (empty when they exist)."""
    if Ticket.objects.filter(bureau=bureau, external_id__startswith=DISPATCH_DEMO_PREFIX).exists():
        return {}
    handlers = {}
    for user in (
        User.objects.filter(unit__bureau=bureau, roles__code=RoleCode.HANDLER, is_active=True)
        .select_related("unit")
        .order_by("unit__code", "username")
    ):
        if user.unit.kind in (UnitKind.OFFICE, UnitKind.BRIGADE):
            handlers.setdefault(user.unit_id, user)
    dispatcher = User.objects.filter(unit__bureau=bureau, roles__code=RoleCode.DISPATCHER).first()
    reviewer = User.objects.filter(unit__bureau=bureau, roles__code=RoleCode.SECTION_REVIEWER).first()
    if len(handlers) < 3 or dispatcher is None or reviewer is None:
        return {}
    lead, helper, third = list(handlers.values())[:3]
    category = Category.objects.filter(code="food-catering").first()
    now = timezone.now()

    def made(number: int, title: str, content: str) -> Ticket:
        return services.ticket_create(
            bureau=bureau,
            source=Source.HOTLINE_12345,
            external_id=f"{DISPATCH_DEMO_PREFIX}{number:03d}",
            kind=Kind.COMPLAINT,
            title=title,
            content=content,
            received_at=now - dt.timedelta(hours=3),
            category=category,
            complainant=Party(name="孙丽", phone="13900001111", address="松江区某某路12号", is_real_name=True),
            respondent=Party(name="上海某餐饮管理有限公司", credit_code="91310117MA1J2C0003", address="松江区"),
        )

    counts = {"assisted": 0, "objections": 0}
    with transaction.atomic():
        # 协办: the lead office works it, another office checks the licence; one still to answer, one answered
        for number, answered in ((1, False), (2, True)):
            ticket = made(number, "餐厅后厨卫生差", "餐厅后厨卫生状况差，且疑似无食品经营许可证，请一并核查。")
            services.ticket_dispatch(ticket, unit=lead.unit, actor=dispatcher, assisting_units=[helper.unit])
            services.ticket_accept(ticket, actor=lead)
            services.ticket_record_first_contact(ticket, actor=lead, note="已电话联系诉求人。")
            if answered:
                services.ticket_assist_done(
                    ticket, actor=helper, findings="经核查，该店食品经营许可证在有效期内，证照一致。"
                )
            counts["assisted"] += 1
        # 派单异议: the office says the address is not in its area; one waits for the section, one was upheld
        for number, decided in ((3, False), (4, True)):
            ticket = made(number, "饭店门口占道经营", "饭店在门口人行道上摆桌经营，地址在邻近街道。")
            services.ticket_dispatch(ticket, unit=lead.unit, actor=dispatcher)
            services.ticket_accept(ticket, actor=lead)
            objection = services.ticket_object(
                Ticket.objects.get(pk=ticket.pk),
                actor=lead,
                reason_code="wrong_area",
                text="经现场核实，该饭店位于邻近街道，不属本所辖区。",
            )
            if decided:
                services.objection_decide(
                    objection, actor=reviewer, decision="uphold", unit=third.unit, reason="地址核实属实，改派属地所。"
                )
            counts["objections"] += 1
    return counts
