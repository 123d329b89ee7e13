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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_required_to_enrol_scans_a_qr_code_and_signs_in_with_a_code(live_server, org, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.browser import sign_in
    from org.tests.test_two_factor import code

    settings.HOTLINE_OTP_REQUIRED_ROLES = ["admin"]
    with chromium_page() as page:
        violations = []
        page.on("console", lambda message: violations.append(message.text) if "Refused" in message.text else None)
        sign_in(page, live_server.url, org.admin.username, PASSWORD)
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "设置身份验证器"
        box = page.locator(".otp-qr svg").bounding_box()
        assert (round(box["width"]), round(box["height"])) == (220, 220)  # the page's stylesheet sized it
        path = screenshot(page, "otp-setup-zh")

        page.fill("#id_token", code(TOTPDevice.objects.get(user=org.admin)))
        page.click("button[type=submit].primary")
        page.wait_for_load_state()

        assert "/account/" not in page.url
        assert violations == []
    assert path.stat().st_size > 1000
