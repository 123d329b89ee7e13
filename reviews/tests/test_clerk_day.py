"""Issue 18 (the clerk's day), the review chain's part: a returned reply says why (item 1); only the scores one
may give are offered, and a refused score keeps what was typed (item 3)."""

import pytest

from core.browser import chromium_page, screenshot, sign_in
from notifications.messages import render
from notifications.models import Notification
from org.tests.factories import PASSWORD
from reviews.choices import ReturnReasonCode
from reviews.services import callback_record, review_approve, review_return
from reviews.tests.factories import completed_ticket, ticket_in_section_review, ticket_in_unit_review
from tickets import timeline


def test_the_timeline_knows_every_return_reason_of_reviews():
    assert {code: str(label) for code, label in timeline.REDO_REASONS.items()} == {
        code: str(label) for code, label in ReturnReasonCode.choices
    }


@pytest.mark.django_db
def test_a_return_tells_the_handler_and_the_deputy_why(org):
    ticket = ticket_in_section_review(org)
    review_return(ticket, actor=org.reviewer, reason_codes=["facts_unclear", "evidence_missing"], comment="补充照片")

    told = Notification.objects.filter(code="ticket.returned")
    assert set(told.values_list("recipient_id", flat=True)) == {org.handler.pk, org.deputy.pk}
    message = render("ticket.returned", told.first().data, language="zh-hans")
    assert "事实不清" in message.body and "证据缺失" in message.body and "补充照片" in message.body
    assert message.link == f"/tickets/{ticket.pk}/"


@pytest.mark.django_db
def test_the_deputy_who_returns_is_not_told_of_his_own_return(org):
    ticket = ticket_in_unit_review(org)
    review_return(ticket, actor=org.deputy, reason_codes=["facts_unclear"])

    assert list(Notification.objects.filter(code="ticket.returned").values_list("recipient_id", flat=True)) == [
        org.handler.pk
    ]


@pytest.mark.django_db
def test_approval_comments_and_the_callback_comment_are_on_the_timeline(org):
    ticket = ticket_in_unit_review(org)
    review_approve(ticket, actor=org.deputy, comment="同意上报")
    done = completed_ticket(org)
    callback_record(
        done, actor=org.reviewer, source="staff", resolved="resolved", satisfaction="satisfied", comment="市民表示满意"
    )

    approved = ticket.events.get(code="unit_approved")
    assert "同意上报" in timeline.event_details(approved)
    called = done.events.get(code="callback")
    assert "市民表示满意" in timeline.event_details(called)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_handler_sees_why_the_section_returned_the_reply(live_server, _roles, org):
    ticket = ticket_in_section_review(org)
    base = live_server.url
    with chromium_page(width=1440, height=900) as page:
        sign_in(page, base, org.reviewer.username, PASSWORD)
        page.goto(base + f"/tickets/{ticket.pk}/")
        page.check("[data-testid=return-form] input[value=facts_unclear]")
        page.check("[data-testid=return-form] input[value=evidence_missing]")
        page.fill("[data-testid=return-form] textarea[name=comment]", "请补充现场检查照片")
        page.click("[data-testid=return-form] button[type=submit]")
        page.wait_for_selector(".message-success")

        page.context.clear_cookies()
        sign_in(page, base, org.handler.username, PASSWORD)
        page.goto(base + f"/tickets/{ticket.pk}/")
        notice = page.locator("[data-testid=redo-notice]").inner_text()
        assert "科室退回重办" in notice
        assert "事实不清" in notice and "证据缺失" in notice and "请补充现场检查照片" in notice
        returned = page.locator("ol.timeline li.event-section_returned").inner_text()
        assert "事实不清 · 证据缺失 · 请补充现场检查照片" in returned
        screenshot(page, "tickets-detail-returned-for-redo")

        page.goto(base + "/notifications/")
        assert "退回重办：工单" in page.locator("main").inner_text()


def _drawn_campaign(org):
    import datetime as dt

    from django.utils import timezone

    from reviews.services import campaign_create, campaign_draw_sample

    for _ in range(2):
        completed_ticket(org)
    completed_ticket(org, unit=org.office_b)
    today = timezone.localdate()
    campaign = campaign_create(
        bureau=org.bureau,
        actor=org.chief,
        name="预付卡专项督查",
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        quotas={org.office_a: 1, org.office_b: 1},
        seed="clerk",
    )
    campaign_draw_sample(campaign, actor=org.chief)
    return campaign


@pytest.mark.django_db
def test_a_refused_score_keeps_what_was_typed_and_says_why(client, org):
    from django.urls import reverse

    from reviews.models import CampaignSample

    campaign = _drawn_campaign(org)
    sample = CampaignSample.objects.get(campaign=campaign, unit=org.office_a)
    client.force_login(org.deputy)

    response = client.post(
        reverse("reviews:sample_score", args=[sample.pk]), {"stage": "section", "score": "88", "comment": "资料齐全"}
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert 'value="88"' in page and 'value="资料齐全"' in page
    assert '<option value="section"' not in page
    assert "您不能给出这项评分" in page
    assert sample.scores.count() == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_deputy_is_offered_only_the_scores_a_deputy_gives(live_server, _roles, org):
    from reviews.models import CampaignSample

    campaign = _drawn_campaign(org)
    own = CampaignSample.objects.get(campaign=campaign, unit=org.office_a)
    base = live_server.url
    with chromium_page(width=1440, height=900) as page:
        sign_in(page, base, org.deputy.username, PASSWORD)
        page.goto(base + f"/reviews/inspections/{campaign.pk}/")
        form = page.locator(f"[data-testid=score-form-{own.pk}]")
        assert form.locator("select[name=stage] option").all_inner_texts() == ["自评"]
        offered = set(page.locator("select[name=stage] option").all_inner_texts())
        assert "科室复核" not in offered and offered <= {"自评", "互评"}
        form.locator("input[name=score]").fill("92")
        form.locator("button[type=submit]").click()
        page.wait_for_selector(".message-success")
        screenshot(page, "reviews-campaign-deputy-scores")
    assert list(own.scores.values_list("stage", "score")) == [("self", 92)]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_dead_end_for_the_deputy_and_a_refused_return_keeps_the_comment(live_server, org):
    """Item 3: the deputy sees the callbacks to make but is not offered "未联系上" (the section calls; the rule
    refused it with the bare 403 page); a return without a reason comes back with the comment typed."""
    from django.urls import reverse

    from reviews.models import CallbackTask

    done = completed_ticket(org)
    assert CallbackTask.objects.filter(ticket=done).exists()
    in_review = ticket_in_section_review(org)
    base = live_server.url
    with chromium_page(width=1440, height=900) as page:
        sign_in(page, base, org.deputy.username, PASSWORD)
        page.goto(base + reverse("reviews:callbacks"))
        tasks = page.locator("[data-testid=callback-tasks]")
        assert done.external_id in tasks.inner_text()
        assert tasks.locator("form").count() == 0 and "未联系上" not in tasks.inner_text()
        screenshot(page, "reviews-callbacks-deputy")
        page.click('.topbar form[action="/logout/"] button')
        page.wait_for_url(base + "/login/")

        sign_in(page, base, org.reviewer.username, PASSWORD)
        page.goto(base + reverse("reviews:review", args=[in_review.pk]))
        page.fill("[data-testid=return-form] textarea[name=comment]", "请补充现场照片和询问笔录")
        page.click("[data-testid=return-form] button[type=submit]")
        page.wait_for_selector(".message-error")
        form = page.locator("[data-testid=return-form]")
        assert form.locator("textarea[name=comment]").input_value() == "请补充现场照片和询问笔录"
        assert "必填" in form.inner_text()
        screenshot(page, "reviews-return-refused-keeps-the-comment")

    assert in_review.events.filter(code="section_returned").count() == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_several_reasons_are_separated_wherever_they_are_listed(live_server, org):
    """Issue 18 item 5: two return reasons read 事实不清、证据缺失, never 事实不清证据缺失 (chips ran together)."""
    from django.urls import reverse

    ticket = ticket_in_section_review(org)
    review_return(ticket, actor=org.reviewer, reason_codes=["facts_unclear", "evidence_missing"], comment="补充照片")
    base = live_server.url
    glued = "事实不清证据缺失"
    seen = {}
    with chromium_page(width=1440, height=900) as page:
        sign_in(page, base, org.reviewer.username, PASSWORD)
        page.goto(base + "/reviews/returns/")
        seen["returns"] = page.locator("[data-testid=returns-table] tbody").inner_text()
        screenshot(page, "reviews-returns-reasons-separated")
        page.goto(base + reverse("reviews:review", args=[ticket.pk]))
        seen["review page"] = page.locator("main").inner_text()
        page.goto(base + f"/tickets/{ticket.pk}/")
        seen["timeline"] = page.locator("ol.timeline").inner_text()
        page.click('.topbar form[action="/logout/"] button')
        page.wait_for_url(base + "/login/")

        sign_in(page, base, org.handler.username, PASSWORD)
        page.goto(base + "/notifications/")
        seen["notification"] = page.locator("main").inner_text()
        page.goto(base + f"/tickets/{ticket.pk}/")
        seen["ticket page"] = page.locator("main").inner_text()

    assert {where: glued in text for where, text in seen.items()} == dict.fromkeys(seen, False)
    both = {where: ("事实不清" in text and "证据缺失" in text) for where, text in seen.items()}
    assert both == dict.fromkeys(seen, True)
    assert "事实不清、证据缺失" in seen["returns"] and "事实不清、证据缺失" in seen["review page"]
