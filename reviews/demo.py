"""Demo data for reviews: returns, completions with callbacks (a few unsatisfied, from the city hotline office),
special supervision, an inspection campaign with scores, key points and a training session.

Call after the demo tickets exist: `demo_seed_reviews(bureau=bureau, seed=2026)`. It works on the tickets it
finds in unit review and section review, so it needs some of those (and a unit deputy or leader for their unit,
and a section reviewer or chief). Safe to run twice: a second call finds its campaign and returns at once.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from org.choices import RoleCode
from org.models import Bureau, Unit, User
from reviews import services
from reviews.choices import CallbackSource, Resolved, Satisfaction, ScoreStage
from reviews.models import CampaignSample, InspectionCampaign
from tickets.choices import Kind, Status
from tickets.models import Category, Ticket
from tickets.services import TicketConflict, TransitionNotAllowed

CAMPAIGN_NAME = "不属实工单专项督查（演示）"
KEY_POINTS = [
    ("不属实结论", "", "“不属实”须有现场检查记录、照片等证据，并写明依据；不得仅凭被投诉方陈述。"),
    ("调解办结", Kind.COMPLAINT, "以调解办结的，须回答是否涉嫌违法；涉嫌违法的填写案件编号或书面理由，杜绝以调代罚。"),
    ("举报核查", Kind.REPORT, "举报须在规定期限内作出是否立案的决定，实名举报人须告知处理结果。"),
]
RETURN_REASONS = [
    ["facts_unclear"],
    ["evidence_missing"],
    ["reply_substandard"],
    ["grounds_insufficient", "evidence_missing"],
]
FAILURES = (ValidationError, PermissionDenied, TicketConflict, TransitionNotAllowed)


def _people(bureau: Bureau, *codes: str) -> list[User]:
    return list(
        User.objects.filter(unit__bureau=bureau, is_active=True, roles__code__in=codes)
        .select_related("unit")
        .distinct()
    )


def demo_seed_reviews(*, bureau: Bureau, seed: int = 2026) -> dict[str, int]:
    """Move demo tickets through the review chain and record callbacks. Returns counts of what it made."""
    if InspectionCampaign.objects.filter(bureau=bureau, name=CAMPAIGN_NAME).exists():
        return {}
    rng = random.Random(seed)
    counts = {"returns": 0, "completed": 0, "callbacks": 0, "unsatisfied": 0}
    managers: dict[int, User] = {}
    for person in _people(bureau, RoleCode.UNIT_DEPUTY, RoleCode.UNIT_LEADER):
        managers.setdefault(person.unit_id, person)
    section = _people(bureau, RoleCode.SECTION_REVIEWER, RoleCode.SECTION_CHIEF)
    if not section:
        return counts
    reviewer = section[0]
    tickets = Ticket.objects.filter(bureau=bureau)

    # Unit stage: about a third returned for redo, the rest approved on to the section.
    for ticket in tickets.filter(status=Status.UNIT_REVIEW).order_by("pk"):
        manager = managers.get(ticket.unit_id)
        if manager is None:
            continue
        try:
            if rng.random() < 0.35:
                services.review_return(
                    ticket, actor=manager, reason_codes=rng.choice(RETURN_REASONS), comment="请补充后重新报送"
                )
                counts["returns"] += 1
            elif rng.random() < 0.5:
                services.review_approve(ticket, actor=manager, comment="同意")
        except FAILURES:
            continue

    # Section stage: a few returned, most completed (which books the callback).
    for ticket in tickets.filter(status=Status.SECTION_REVIEW).order_by("pk"):
        try:
            if rng.random() < 0.15:
                services.review_return(ticket, actor=reviewer, reason_codes=["reply_substandard"], comment="答复不规范")
                counts["returns"] += 1
            else:
                services.review_approve(ticket, actor=reviewer, comment="同意办结")
                counts["completed"] += 1
        except FAILURES:
            continue

    # Callbacks on completed tickets: mostly satisfied; a few unsatisfied from the city hotline office.
    now = timezone.now()
    for ticket in tickets.filter(status=Status.COMPLETED, callbacks__isnull=True).order_by("pk")[:60]:
        roll = rng.random()
        if roll < 0.1:
            satisfaction, resolved, source = Satisfaction.UNSATISFIED, Resolved.UNRESOLVED, CallbackSource.PLATFORM
        elif roll < 0.3:
            satisfaction, resolved, source = Satisfaction.BASICALLY_SATISFIED, Resolved.PARTLY, CallbackSource.STAFF
        else:
            satisfaction, resolved, source = Satisfaction.SATISFIED, Resolved.RESOLVED, CallbackSource.STAFF
        try:
            services.callback_record(
                ticket,
                satisfaction=satisfaction,
                resolved=resolved,
                comment="商家仍未退款" if satisfaction == Satisfaction.UNSATISFIED else "",
                called_at=now - dt.timedelta(hours=rng.randint(1, 48)),
                actor=None if source == CallbackSource.PLATFORM else reviewer,
                source=source,
            )
        except FAILURES:
            continue
        counts["callbacks"] += 1
        counts["unsatisfied"] += satisfaction == Satisfaction.UNSATISFIED

    with transaction.atomic():
        counts["samples"] = _demo_campaign(bureau, reviewer=reviewer, managers=managers, seed=seed, rng=rng)
        for title, kind, body in KEY_POINTS:
            services.key_point_create(bureau=bureau, actor=reviewer, title=title, body=body, kind=kind)
        education = Category.objects.filter(code="education").first()
        if education is not None:
            services.key_point_create(
                bureau=bureau,
                actor=reviewer,
                title="预付卡（教育培训）",
                body="核实预付合同、付款凭证及退费约定；涉及多名消费者的，按群体性投诉报告。",
                category=education,
            )
        attendees = list(User.objects.filter(unit__bureau=bureau, is_active=True).select_related("unit"))
        services.training_create(
            bureau=bureau,
            actor=reviewer,
            title="投诉举报处置规范轮训",
            held_on=timezone.localdate() - dt.timedelta(days=20),
            trainer="消保科",
            attendees=attendees,
        )
    return counts


def _demo_campaign(bureau, *, reviewer: User, managers: dict[int, User], seed: int, rng: random.Random) -> int:
    today = timezone.localdate()
    unit_ids = (
        Ticket.objects.filter(bureau=bureau, status=Status.COMPLETED, unit__isnull=False)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    units = list(Unit.objects.filter(pk__in=list(unit_ids)).order_by("code"))
    if not units:
        units = list(Unit.objects.filter(bureau=bureau, kind__in=["office", "brigade"]).order_by("code")[:3])
    if not units:
        return 0
    campaign = services.campaign_create(
        bureau=bureau,
        actor=reviewer,
        name=CAMPAIGN_NAME,
        period_start=today - dt.timedelta(days=90),
        period_end=today,
        quotas=dict.fromkeys(units, 3),
        seed=str(seed),
        finding="",
    )
    services.campaign_draw_sample(campaign, actor=reviewer)
    for sample in CampaignSample.objects.filter(campaign=campaign).select_related("campaign"):
        own = managers.get(sample.unit_id)
        peer = managers.get(sample.peer_unit_id)
        if own is not None:
            services.sample_score(sample, actor=own, stage=ScoreStage.SELF, score=rng.randint(85, 100), comment="自评")
        if peer is not None:
            services.sample_score(sample, actor=peer, stage=ScoreStage.PEER, score=rng.randint(70, 95))
        services.sample_score(sample, actor=reviewer, stage=ScoreStage.SECTION, score=rng.randint(70, 95))
    services.campaign_record_findings(
        campaign,
        actor=reviewer,
        findings="抽查发现：部分“不属实”结论缺少现场照片；个别调解办结未回答是否涉嫌违法。",
        key_points=[{"title": "现场检查留痕", "body": "现场检查须拍照并上传，作为不属实结论的证据。", "kind": ""}],
    )
    return CampaignSample.objects.filter(campaign=campaign).count()


__all__ = ["demo_seed_reviews"]
