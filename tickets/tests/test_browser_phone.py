"""Issue 18, item 2: a field handler's pages on a phone (390 x 844): the menu button, sign-out in reach, no page
wider than the screen, the lists as cards, the ticket page's actions and the reply form usable with a thumb."""

import datetime as dt

import pytest
from django.utils import timezone

from core.browser import chromium_page, screenshot, sign_in
from org.tests.factories import PASSWORD
from tickets import services
from tickets.choices import Status
from tickets.models import Ticket
from tickets.tests.factories import make_ticket

PHONE = {"width": 390, "height": 844, "mobile": True}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def assert_fits(page):
    assert page_width(page) <= 390, f"{page.url} is {page_width(page)} px wide"


def thumb_sized(locator) -> bool:
    box = locator.bounding_box()
    return (
        box is not None
        and box["height"] >= 40
        and box["width"] >= 40
        and box["x"] >= 0
        and box["x"] + box["width"] <= 390
    )


@pytest.fixture
def at_the_unit(org):
    now = timezone.now()
    waiting = make_ticket(org, received_at=now - dt.timedelta(hours=3), tags=["urgent"])
    services.ticket_dispatch(waiting, unit=org.office_a, actor=org.dispatcher)
    mine = make_ticket(org, received_at=now - dt.timedelta(days=2))
    services.ticket_dispatch(mine, unit=org.office_a, actor=org.dispatcher)
    services.ticket_accept(mine, actor=org.handler)
    services.ticket_record_first_contact(mine, actor=org.handler)
    return {"waiting": waiting, "mine": mine}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_handler_works_from_a_phone(live_server, org, at_the_unit):
    base = live_server.url
    mine = at_the_unit["mine"]
    with chromium_page(**PHONE) as page:
        sign_in(page, base, org.handler.username, PASSWORD)
        page.goto(base + "/tickets/mine/")
        assert_fits(page)
        # the navigation folds behind the menu button; sign-out stays in the bar
        nav = page.locator("nav.mainnav")
        assert not nav.is_visible()
        signout = page.locator('.topbar form[action="/logout/"] button')
        assert signout.is_visible() and signout.bounding_box()["x"] + signout.bounding_box()["width"] <= 390
        toggle = page.locator(".menu-toggle")
        assert thumb_sized(toggle)
        toggle.tap()
        assert nav.is_visible() and toggle.get_attribute("aria-expanded") == "true"
        assert nav.locator("a >> text=我的工单").is_visible()
        screenshot(page, "phone-menu-open")
        toggle.tap()
        assert not nav.is_visible()

        # the list: one card per work order, no table header, no sideways scroll
        assert not page.locator("table.tickets thead").is_visible()
        cards = page.locator("table.tickets tbody tr")
        assert cards.count() == 2
        assert all(cards.nth(i).bounding_box()["width"] <= 390 for i in range(2))
        assert cards.first.locator('td[data-label="状态"]').is_visible()
        screenshot(page, "phone-my-work")

        # the ticket page and its reply form
        page.locator(f"table.tickets a >> text={mine.external_id}").tap()
        page.wait_for_selector("#form-reply")
        assert_fits(page)
        upload = page.locator("#form-upload input[type=file]")
        assert upload.get_attribute("capture") == "environment"
        assert "image/*" in upload.get_attribute("accept")
        page.locator("#form-reply input[name=complaint_finding][value=substantiated]").check()
        page.select_option("#form-reply select[name=complaint_outcome]", "mediated")
        page.select_option("#form-reply select[name=complaint_is_violation_suspected]", "no")
        page.fill("#form-reply textarea[name=reply_text]", "经调解，商家同意退款。")
        submit = page.locator("#form-reply button[type=submit]")
        submit.scroll_into_view_if_needed()
        assert thumb_sized(submit)
        assert thumb_sized(page.locator("#form-reply select[name=complaint_outcome]"))
        screenshot(page, "phone-ticket-reply-form")
        submit.tap()
        page.wait_for_selector(".message-success")
        assert_fits(page)
        screenshot(page, "phone-ticket-replied")

    assert Ticket.objects.get(pk=mine.pk).status == Status.UNIT_REVIEW


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_of_a_handler_or_a_dispatcher_is_wider_than_a_phone(live_server, org, at_the_unit):
    base = live_server.url
    pages = {
        org.handler: [
            "/",
            "/tickets/mine/",
            "/tickets/unit/",
            "/tickets/",
            f"/tickets/{at_the_unit['waiting'].pk}/",
            "/notifications/",
        ],
        org.dispatcher: ["/tickets/inbox/", "/tickets/new/", "/tickets/"],
    }
    with chromium_page(**PHONE) as page:
        for user, paths in pages.items():
            page.context.clear_cookies()
            sign_in(page, base, user.username, PASSWORD)
            for path in paths:
                page.goto(base + path)
                assert_fits(page)
