"""One screen per role at 1440 px, kept under var/screenshots/ (role-*.png) for docs/ui.md, whose pictures in
docs/img/ are reduced copies of these. Each role reaches its page from its own navigation."""

import pytest

from core.browser import chromium_page, screenshot, sign_in
from org.tests.factories import PASSWORD

# role -> (the menu entry it clicks, the page's heading, the screenshot's name)
ROLE_PAGES = {
    "dispatcher": ("待派单", "待派单", "role-dispatcher-inbox"),
    "handler": ("我的工单", "我的工单", "role-handler-my-work"),
    "deputy": ("待审核", "待审核", "role-deputy-pending-reviews"),
    "reviewer": ("审核督办", "审核督办看板", "role-section-review-dashboard"),
    "leader": ("统计报表", "每月简报", "role-leader-briefing"),
    "admin": ("平台对接", "平台对接", "role-admin-platform-clients"),
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_each_role_reaches_its_main_page_from_its_menu(live_server, org):
    from integrations.services import integration_client_create
    from reviews.tests.factories import completed_ticket, ticket_in_section_review, ticket_in_unit_review
    from tickets.tests.factories import make_ticket

    make_ticket(org)
    ticket_in_unit_review(org)
    ticket_in_section_review(org)
    completed_ticket(org)
    integration_client_create(name="12345 市民热线", bureau_code=org.bureau.code)
    base = live_server.url
    seen = {}
    with chromium_page(width=1440, height=900) as page:
        for role, (entry, _heading, name) in ROLE_PAGES.items():
            sign_in(page, base, getattr(org, role).username, PASSWORD)
            page.click(f"nav.mainnav a >> text='{entry}'")
            page.wait_for_load_state()
            seen[role] = page.locator("h1").first.inner_text()
            screenshot(page, name)
            page.click('.topbar form[action="/logout/"] button')
            page.wait_for_url(base + "/login/")

    assert seen == {role: heading for role, (_entry, heading, _name) in ROLE_PAGES.items()}
