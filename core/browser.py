"""Playwright on Debian's chromium (no browser download on isolated machines)."""

import contextlib
from pathlib import Path

from django.conf import settings

from core.testing import need_chromium

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def chromium_page(locale: str = "zh-CN", *, width: int = 1366, height: int = 800, mobile: bool = False):
    """A page in a fresh browser; `width`/`height` the viewport (390x844 with mobile=True: a phone, touch on)."""
    executable = need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS, headless=True)
        try:
            options = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2} if mobile else {}
            context = browser.new_context(locale=locale, viewport={"width": width, "height": height}, **options)
            page = context.new_page()
            page.set_default_timeout(15000)
            yield page
        finally:
            browser.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, base_url: str, username: str, password: str) -> None:
    """Sign in through the login page; each role then lands on its own start page."""
    page.goto(base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: url.startswith(base_url) and "/login/" not in url)
