import pytest

from core.browser import chromium_page, screenshot
from org.tests.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_handler_signs_in_in_chinese_and_sees_home(live_server, org):
    with chromium_page() as page:
        page.goto(live_server.url + "/")
        assert page.locator("h1").inner_text() == "登录"

        page.fill("#id_username", org.handler.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit].primary")

        page.wait_for_load_state()
        assert "/login/" not in page.url
        # The handler lands on their start page, signed in, with the Chinese navigation.
        assert page.locator(".whoami").inner_text().splitlines() == [org.handler.display_name, "岳阳所"]
        assert page.locator(".mainnav a").first.inner_text() == "首页"
        assert page.locator("link[rel=stylesheet]").first.get_attribute("href") == "/static/css/hotline.css"
        background = page.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")
        assert background == "rgb(29, 79, 145)"  # the stylesheet was served and applied
        path = screenshot(page, "handler-home-zh")
    assert path.stat().st_size > 1000
