import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from org.tests.factories import make_org
from reviews.choices import ScoreStage
from reviews.models import CampaignSample, KeyPoint
from reviews.selectors import campaign_summary, key_points_for_ticket
from reviews.services import campaign_create, campaign_draw_sample, campaign_record_findings, sample_score
from reviews.tests.factories import completed_ticket, ticket_in_unit_review
from tickets.choices import Finding, Kind
from tickets.models import Category

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def pool(org):
    """Five completed tickets at office_a, three at office_b, one still open."""
    a = [completed_ticket(org).pk for _ in range(5)]
    b = [completed_ticket(org, unit=org.office_b).pk for _ in range(3)]
    ticket_in_unit_review(org)
    return {"a": a, "b": b}


def _campaign(org, *, seed="2026-q4", quota_a=2, quota_b=5, **criteria):
    return campaign_create(
        bureau=org.bureau,
        actor=org.chief,
        name="预付卡专项督查",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
        quotas={org.office_a: quota_a, org.office_b: quota_b},
        seed=seed,
        **criteria,
    )


def _drawn(campaign, org):
    campaign_draw_sample(campaign, actor=org.chief)
    return sorted(CampaignSample.objects.filter(campaign=campaign).values_list("ticket_id", flat=True))


def test_campaign_sample_respects_quotas(org, pool):
    campaign = _campaign(org)

    campaign_draw_sample(campaign, actor=org.chief)

    samples = CampaignSample.objects.filter(campaign=campaign)
    in_a = sorted(s.ticket_id for s in samples if s.unit_id == org.office_a.pk)
    in_b = sorted(s.ticket_id for s in samples if s.unit_id == org.office_b.pk)
    assert len(in_a) == 2 and set(in_a) <= set(pool["a"])
    assert in_b == sorted(pool["b"])  # quota 5 > 3 candidates: all of them


def test_campaign_sample_same_seed_same_sample(org, pool):
    first = _drawn(_campaign(org), org)

    second = _drawn(_campaign(org), org)

    assert first == second


def test_campaign_sample_other_seed_differs_somewhere(org, pool):
    samples = {tuple(_drawn(_campaign(org, seed=f"seed-{n}", quota_a=2, quota_b=1), org)) for n in range(6)}

    assert len(samples) > 1


def test_campaign_sample_peer_unit_is_another_unit(org, pool):
    campaign = _campaign(org)
    campaign_draw_sample(campaign, actor=org.chief)

    pairs = set(CampaignSample.objects.filter(campaign=campaign).values_list("unit_id", "peer_unit_id"))

    assert pairs == {(org.office_a.pk, org.office_b.pk), (org.office_b.pk, org.office_a.pk)}


def test_campaign_sample_criteria_filter_candidates(org, pool):
    campaign = _campaign(org, finding=Finding.UNSUBSTANTIATED, kind=Kind.COMPLAINT)

    assert _drawn(campaign, org) == []


def test_campaign_sample_is_drawn_once(org, pool):
    campaign = _campaign(org)
    campaign_draw_sample(campaign, actor=org.chief)

    with pytest.raises(ValidationError):
        campaign_draw_sample(campaign, actor=org.chief)


def test_campaign_create_without_quota_is_refused(org):
    with pytest.raises(ValidationError):
        campaign_create(
            bureau=org.bureau,
            actor=org.chief,
            name="x",
            period_start=dt.date(2026, 10, 1),
            period_end=dt.date(2026, 10, 31),
            quotas={},
        )


def test_sample_scores_by_self_peer_and_section_make_the_summary(org, pool):
    campaign = _campaign(org, quota_a=1, quota_b=1)
    campaign_draw_sample(campaign, actor=org.chief)
    sample_a = CampaignSample.objects.get(campaign=campaign, unit=org.office_a)

    sample_score(sample_a, actor=org.deputy, stage=ScoreStage.SELF, score=90, comment="自评")
    sample_score(sample_a, actor=org.deputy_b, stage=ScoreStage.PEER, score=80)
    sample_score(sample_a, actor=org.reviewer, stage=ScoreStage.SECTION, score=70)

    summary = {row["unit_id"]: row for row in campaign_summary(campaign)}
    row = summary[org.office_a.pk]
    assert (row["samples"], row["self_avg"], row["peer_avg"], row["section_avg"]) == (1, 90, 80, 70)


def test_sample_score_by_wrong_unit_is_refused(org, pool):
    campaign = _campaign(org, quota_a=1, quota_b=1)
    campaign_draw_sample(campaign, actor=org.chief)
    sample_a = CampaignSample.objects.get(campaign=campaign, unit=org.office_a)

    with pytest.raises(PermissionDenied):
        sample_score(sample_a, actor=org.deputy_b, stage=ScoreStage.SELF, score=100)
    with pytest.raises(PermissionDenied):
        sample_score(sample_a, actor=org.deputy, stage=ScoreStage.PEER, score=100)
    with pytest.raises(PermissionDenied):
        sample_score(sample_a, actor=org.deputy, stage=ScoreStage.SECTION, score=100)


def test_sample_score_out_of_range_is_refused(org, pool):
    campaign = _campaign(org, quota_a=1, quota_b=1)
    campaign_draw_sample(campaign, actor=org.chief)
    sample_a = CampaignSample.objects.get(campaign=campaign, unit=org.office_a)

    with pytest.raises(ValidationError):
        sample_score(sample_a, actor=org.reviewer, stage=ScoreStage.SECTION, score=101)


def test_campaign_findings_become_key_points_shown_on_matching_tickets(org):
    category = Category.objects.create(code="test-prepaid", name="预付卡")
    campaign = _campaign(org)
    matching = ticket_in_unit_review(org, category=category)
    other_kind = ticket_in_unit_review(org, category=category, kind=Kind.REPORT)

    campaign_record_findings(
        campaign,
        actor=org.chief,
        findings="部分不属实结论缺少现场照片。",
        key_points=[
            {"title": "预付卡投诉", "body": "核实合同与付款凭证。", "category": category, "kind": Kind.COMPLAINT}
        ],
    )

    point = KeyPoint.objects.get()
    assert point.campaign == campaign
    assert list(key_points_for_ticket(matching)) == [point]
    assert list(key_points_for_ticket(other_kind)) == []


# ---------------------------------------------------------------- views


def test_campaign_create_view_then_draw_samples_the_units_quota(client, org, pool):
    client.force_login(org.chief)

    response = client.post(
        reverse("reviews:campaign_create"),
        {
            "name": "不属实专项",
            "period_start": "2026-10-01",
            "period_end": "2026-10-31",
            "seed": "abc",
            f"quota_{org.office_a.pk}": "2",
        },
    )
    campaign_url = response.url
    client.post(campaign_url + "draw/")
    page = client.get(campaign_url)

    assert len(page.context["samples"]) == 2
    assert [(r["unit__name"], r["samples"]) for r in page.context["summary"]] == [("岳阳所", 2)]


def test_campaign_page_unit_sees_only_its_own_and_peer_samples(client, org, pool):
    from org.choices import UnitKind
    from org.models import Unit

    third = Unit.objects.create(bureau=org.bureau, code="zz", name="佘山所", kind=UnitKind.OFFICE)
    campaign = campaign_create(
        bureau=org.bureau,
        actor=org.chief,
        name="x",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
        quotas={org.office_a: 1, org.office_b: 1, third: 1},
        seed="s",
    )
    campaign_draw_sample(campaign, actor=org.chief)
    client.force_login(org.deputy)

    response = client.get(reverse("reviews:campaign", args=[campaign.pk]))

    visible = {(s.unit_id, s.peer_unit_id) for s in response.context["samples"]}
    assert all(org.office_a.pk in pair for pair in visible)
    assert len(visible) == 2


def test_campaign_page_other_bureau_is_404(client, org, pool):
    campaign = _campaign(org)
    other = make_org("qp")
    client.force_login(other.chief)

    response = client.get(reverse("reviews:campaign", args=[campaign.pk]))

    assert response.status_code == 404


def test_sample_score_view_records_the_units_self_assessment(client, org, pool):
    campaign = _campaign(org, quota_a=1, quota_b=1)
    campaign_draw_sample(campaign, actor=org.chief)
    sample_a = CampaignSample.objects.get(campaign=campaign, unit=org.office_a)
    client.force_login(org.deputy)

    client.post(reverse("reviews:sample_score", args=[sample_a.pk]), {"stage": "self", "score": "85", "comment": "ok"})

    assert list(sample_a.scores.values_list("stage", "score")) == [("self", 85)]


def test_sample_score_view_other_unit_cannot_self_assess(client, org, pool):
    campaign = _campaign(org, quota_a=1, quota_b=1)
    campaign_draw_sample(campaign, actor=org.chief)
    sample_a = CampaignSample.objects.get(campaign=campaign, unit=org.office_a)
    client.force_login(org.deputy_b)

    response = client.post(reverse("reviews:sample_score", args=[sample_a.pk]), {"stage": "self", "score": "85"})

    assert response.status_code == 403
    assert sample_a.scores.count() == 0


def test_campaign_create_view_handler_is_forbidden(client, org):
    client.force_login(org.handler)

    response = client.get(reverse("reviews:campaign_create"))

    assert response.status_code == 403


@pytest.mark.parametrize("rows", [1, 3])
def test_campaign_list_query_count_is_constant(client, org, django_assert_num_queries, rows):
    for n in range(rows):
        _campaign(org, seed=str(n))
    client.force_login(org.chief)
    client.get(reverse("reviews:campaigns"))

    with django_assert_num_queries(5):
        response = client.get(reverse("reviews:campaigns"))

    assert len(response.context["campaigns"]) == rows


def test_key_points_come_from_the_copy_and_follow_an_edit(org, django_assert_num_queries):
    ticket = ticket_in_unit_review(org)
    point = KeyPoint.objects.create(
        bureau=org.bureau, title="先核实经营者", body="……", kind="", created_at=timezone.now()
    )
    key_points_for_ticket(ticket)

    with django_assert_num_queries(0):
        assert key_points_for_ticket(ticket) == [point]

    point.is_active = False
    point.save()

    assert key_points_for_ticket(ticket) == []


def test_sample_score_view_another_bureaus_section_gets_404_and_scores_nothing(client, org, pool):
    campaign = _campaign(org, quota_a=1, quota_b=1)
    campaign_draw_sample(campaign, actor=org.chief)
    sample_a = CampaignSample.objects.get(campaign=campaign, unit=org.office_a)
    other = make_org("other")
    client.force_login(other.chief)

    response = client.post(reverse("reviews:sample_score", args=[sample_a.pk]), {"stage": "section", "score": "10"})

    assert response.status_code == 404
    assert sample_a.scores.count() == 0
