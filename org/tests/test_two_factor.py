"""The second factor (TOTP): optional for everyone, required for the roles named in HOTLINE_OTP_REQUIRED_ROLES;
enrolment with a QR code drawn on the server, verification after the password."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from org.tests.factories import PASSWORD

SETUP = reverse("otp_setup")
VERIFY = reverse("otp_verify")


def code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits).token():06d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def sign_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


@pytest.fixture
def admins_need_it(settings):
    settings.HOTLINE_OTP_REQUIRED_ROLES = ["admin", "bureau_leader"]


def test_second_factor_required_for_an_admin_without_one_sends_every_page_to_the_setup(client, org, admins_need_it):
    sign_in(client, org.admin)

    page = client.get(reverse("tickets:inbox"))
    admin_site = client.get(reverse("admin:index"))
    api = client.get("/api/v1/staff/tickets/")

    assert (page.status_code, page["Location"]) == (302, f"{SETUP}?next=%2Ftickets%2Finbox%2F")
    assert (admin_site.status_code, admin_site["Location"]) == (302, f"{SETUP}?next=%2Fadmin%2F")
    assert (api.status_code, api.json()["error"]["code"]) == (403, "second_factor_required")


def test_second_factor_not_required_for_a_handler_when_only_admins_and_leaders_need_it(client, org, admins_need_it):
    sign_in(client, org.handler)

    assert client.get(reverse("tickets:my_work")).status_code == 200


def test_second_factor_setup_shows_a_qr_code_without_script_or_style(client, org, admins_need_it):
    sign_in(client, org.admin)

    response = client.get(SETUP)
    body = response.content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]

    assert response.status_code == 200
    assert (svg.count("<path"), "style" in svg, "<script" in body, " style=" in body) == (1, False, False, False)
    assert response["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'; style-src 'self';")


def test_second_factor_setup_confirmed_with_a_code_opens_the_pages(client, org, admins_need_it):
    sign_in(client, org.admin)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=org.admin)

    right = client.post(SETUP, {"token": code(device), "next": "/tickets/inbox/"})
    page = client.get(reverse("tickets:inbox"))
    device.refresh_from_db()

    assert (right.status_code, right["Location"]) == (302, "/tickets/inbox/")
    assert (page.status_code, device.confirmed) == (200, True)


def test_second_factor_setup_with_a_wrong_code_confirms_nothing(client, org, admins_need_it):
    sign_in(client, org.admin)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=org.admin)

    wrong = client.post(SETUP, {"token": "000000" if code(device) != "000000" else "111111"})
    device.refresh_from_db()

    assert (wrong.status_code, wrong.context["form"].errors["token"]) == (200, ["验证码错误或已过期。"])
    assert (device.confirmed, client.get(reverse("tickets:inbox")).status_code) == (False, 302)


def test_second_factor_enrolled_is_asked_after_the_password_at_the_next_sign_in(client, org):
    device = enrolled(org.handler)
    sign_in(client, org.handler)

    before = client.get(reverse("tickets:my_work"))
    verified = client.post(VERIFY, {"token": code(device), "next": "/tickets/mine/"})
    after = client.get(reverse("tickets:my_work"))

    assert (before.status_code, before["Location"]) == (302, f"{VERIFY}?next=%2Ftickets%2Fmine%2F")
    assert (verified.status_code, verified["Location"]) == (302, "/tickets/mine/")
    assert after.status_code == 200


def test_second_factor_wrong_code_is_refused(client, org):
    device = enrolled(org.handler)
    sign_in(client, org.handler)

    response = client.post(VERIFY, {"token": "000000" if code(device) != "000000" else "111111"})

    assert (response.status_code, response.context["form"].errors["token"]) == (200, ["验证码错误或已过期。"])
    assert client.get(reverse("tickets:my_work")).status_code == 302


def test_second_factor_passed_gives_the_session_a_new_key(client, org, settings):
    device = enrolled(org.handler)
    sign_in(client, org.handler)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post(VERIFY, {"token": code(device)})

    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_second_factor_setup_with_an_app_already_enrolled_asks_for_its_code_first(client, org):
    # a stolen password alone must not be enough to enrol the thief's phone
    enrolled(org.handler)
    sign_in(client, org.handler)

    response = client.get(SETUP)

    assert (response.status_code, response["Location"]) == (302, f"{VERIFY}?next=%2Faccount%2Ftwo-factor%2Fsetup%2F")
    assert TOTPDevice.objects.filter(user=org.handler).count() == 1


def test_second_factor_setup_again_after_verifying_replaces_the_old_app(client, org):
    old = enrolled(org.handler)
    sign_in(client, org.handler)
    client.post(VERIFY, {"token": code(old)})

    client.get(SETUP)
    new = TOTPDevice.objects.get(user=org.handler, confirmed=False)
    client.post(SETUP, {"token": code(new)})

    assert list(TOTPDevice.objects.filter(user=org.handler).values_list("pk", "confirmed")) == [(new.pk, True)]


def test_second_factor_pages_need_a_sign_in(client, db):
    setup, verify = client.get(SETUP), client.get(VERIFY)

    assert (setup.status_code, verify.status_code) == (302, 302)
    assert setup["Location"].startswith(reverse("login"))


def test_second_factor_required_roles_must_be_known_codes(settings):
    from org.checks import otp_required_roles_check

    settings.HOTLINE_OTP_REQUIRED_ROLES = ["admin", "boss"]

    assert [e.id for e in otp_required_roles_check(None)] == ["org.E001"]


def test_second_factor_admin_lists_apps_in_chinese_without_their_keys(client, org):
    device = enrolled(org.handler)
    client.force_login(org.admin)

    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    body = listing.content.decode() + change.content.decode()

    assert (listing.status_code, change.status_code) == (200, 200)
    assert ("设置时间" in body, "最近使用" in body, "已确认" in body) == (True, True, True)
    assert (device.key in body, "qrcode" in body) == (False, False)


def test_second_factor_admin_of_another_role_is_refused(client, org):
    enrolled(org.handler)
    client.force_login(org.dispatcher)

    response = client.get(reverse("admin:otp_totp_totpdevice_changelist"))

    assert response.status_code == 302
