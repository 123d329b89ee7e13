"""Issue 18 item 5, at 1440 px in Chinese: a message that points at a page names it as the menu does."""

import re

import pytest
from django.utils import timezone

from core.browser import chromium_page, screenshot, sign_in
from notifications import services
from org.tests.factories import PASSWORD

WIDE = {"width": 1440, "height": 900}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_digest_names_the_page_it_links_to_as_the_menu_does(live_server, org):
    services.notifications_store_unpublished(
        [
            (org.handler.pk, "escalation.digest", {"tier": 1, "work_orders": 60, "reminders": 60}),
            (org.chief.pk, "escalation.digest", {"tier": 3, "work_orders": 60, "reminders": 60}),
        ],
        created_at=timezone.now(),
    )
    base = live_server.url
    named = {}
    with chromium_page(width=WIDE["width"], height=WIDE["height"]) as page:
        for user in (org.handler, org.chief):
            sign_in(page, base, user.username, PASSWORD)
            page.goto(base + "/notifications/")
            row = page.locator("table.data tbody tr").first
            body = row.locator("td").nth(2).inner_text()
            quoted = re.findall(r"“(.+?)”", body)
            screenshot(page, f"notifications-digest-names-the-page-{user.username}")
            row.locator("td a").first.click()
            page.wait_for_load_state()
            menu = page.locator("nav.mainnav a[aria-current=page]").inner_text().strip()
            heading = page.locator("h1").first.inner_text().strip()
            named[user.username] = (quoted, menu, heading)
            page.click('.topbar form[action="/logout/"] button')
            page.wait_for_url(base + "/login/")

    assert named == {
        org.handler.username: (["临期工单"], "临期工单", "临期工单"),
        org.chief.username: (["各单位预警统计"], "各单位预警统计", "各单位预警统计"),
    }


@pytest.mark.django_db
def test_every_message_that_links_a_menu_page_names_it_as_the_menu_does(org):
    """The same without a browser, for each reader of a digest: the quoted page name is the menu's."""
    from django.urls import resolve
    from django.utils import translation

    from notifications.messages import render
    from org.context_processors import NAVIGATION

    labels = {name: label for name, label, _perm in NAVIGATION}
    checked = 0
    for user in (org.handler, org.deputy, org.unit_leader, org.reviewer, org.chief, org.leader):
        for tier in (1, 2, 3):
            message = render("escalation.digest", {"tier": tier, "work_orders": 9}, language="zh-hans", viewer=user)
            if not message.link:
                continue
            with translation.override("zh-hans"):
                menu_name = str(labels[resolve(message.link).view_name])
            assert re.findall(r"“(.+?)”", message.body) == [menu_name], (user.username, message.body)
            checked += 1
    assert checked


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_second_navigation_names_a_menu_page_as_the_menu_does(live_server, org):
    """The reviews pages' own navigation named the review dashboard 审核督办看板 where the menu says 审核督办."""
    base = live_server.url
    differing = {}
    with chromium_page(width=WIDE["width"], height=WIDE["height"]) as page:
        for user in (org.reviewer, org.deputy):
            sign_in(page, base, user.username, PASSWORD)
            page.goto(base + "/reviews/returns/")
            menu = dict(
                page.locator("nav.mainnav a").evaluate_all(
                    "links => links.map(a => [a.pathname, a.textContent.trim()])"
                )
            )
            others = page.locator("main nav a, section.cards a").evaluate_all(
                "links => links.map(a => [a.pathname, a.textContent.trim()])"
            )
            differing[user.username] = [
                (path, text, menu[path]) for path, text in others if menu.get(path, text) != text
            ]
            assert any(path in menu for path, _text in others)
            screenshot(page, f"reviews-navigation-names-{user.username}")
            page.click('.topbar form[action="/logout/"] button')
            page.wait_for_url(base + "/login/")

    assert differing == {org.reviewer.username: [], org.deputy.username: []}
