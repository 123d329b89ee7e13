import pytest

from core.browser import chromium_page, screenshot, sign_in
from org.tests.factories import PASSWORD
from reviews.models import Return
from reviews.tests.factories import ticket_in_unit_review
from tickets.choices import Status


def _sign_in(page, base, user):
    sign_in(page, base, user.username, PASSWORD)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_deputy_returns_a_reply_and_approves_the_resubmission(live_server, _roles, org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = ticket_in_unit_review(org)
    base = live_server.url

    with chromium_page() as page:
        _sign_in(page, base, org.deputy)
        page.goto(base + "/reviews/pending/")
        page.click(f"[data-testid=pending-table] a:text('{ticket.external_id}')")
        page.check("[data-testid=return-form] input[value=facts_unclear]")
        page.check("[data-testid=return-form] input[value=evidence_missing]")
        page.fill("[data-testid=return-form] textarea[name=comment]", "请补充现场检查照片")
        page.click("[data-testid=return-form] button[type=submit]")
        page.wait_for_url(base + "/reviews/pending/")
        assert page.locator("[data-testid=pending-table] tbody tr").inner_text().strip() == "没有等待您审核的回复。"

        ticket.refresh_from_db()
        assert (ticket.status, ticket.return_count) == (Status.IN_PROGRESS, 1)
        assert Return.objects.get(ticket=ticket).reason_codes == ["facts_unclear", "evidence_missing"]

        # The handler resubmits through the reply form on the ticket page.
        page.context.clear_cookies()
        _sign_in(page, base, org.handler)
        page.goto(base + f"/tickets/{ticket.pk}/")
        page.wait_for_selector("#form-reply")
        assert page.locator("#form-reply input[name=complaint_finding][value=substantiated]").is_checked()
        page.select_option("#form-reply select[name=complaint_is_violation_suspected]", "no")
        page.fill("#form-reply textarea[name=reply_text]", "已补充现场检查照片，商家已退款。")
        page.click("#form-reply button[type=submit]")
        page.wait_for_selector(".message-success")
        assert page.locator(".head-badges .badge").first.inner_text() == "所队审核"
        ticket.refresh_from_db()
        assert (ticket.status, ticket.reply_text) == (Status.UNIT_REVIEW, "已补充现场检查照片，商家已退款。")

        page.context.clear_cookies()
        _sign_in(page, base, org.deputy)
        page.goto(base + "/reviews/pending/")
        page.click(f"[data-testid=pending-table] a:text('{ticket.external_id}')")
        assert "退回 1 次" in page.locator(".page-head").inner_text()
        page.fill("[data-testid=approve-form] textarea[name=comment]", "同意上报")
        page.click("[data-testid=approve-form] button[type=submit]")
        page.wait_for_url(base + "/reviews/tickets/*/")
        screenshot(page, "reviews-approved-after-resubmission")

    ticket.refresh_from_db()
    assert (ticket.status, ticket.return_count) == (Status.SECTION_REVIEW, 1)
    assert list(ticket.events.filter(code__in=["unit_returned", "unit_approved"]).values_list("code", flat=True)) == [
        "unit_returned",
        "unit_approved",
    ]
