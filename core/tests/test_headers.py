"""Every page and API answer: not kept by browsers or proxies, a strict Content-Security-Policy, no sniffing,
no referrer to other sites, never framed."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from integrations.services import integration_client_create

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)


def security_headers(response) -> dict:
    names = (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
    )
    cache_control = {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}
    return {"no-store": "no-store" in cache_control, **{name: response.headers.get(name) for name in names}}


EXPECTED = {
    "no-store": True,
    "Content-Security-Policy": STRICT_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


@pytest.mark.parametrize(
    ("url_name", "role"),
    [
        ("tickets:inbox", "dispatcher"),
        ("tickets:list", "dispatcher"),
        ("reports:index", "leader"),
        ("reviews:dashboard", "chief"),
    ],
)
def test_headers_on_a_signed_in_page(client, org, url_name, role):
    client.force_login(getattr(org, role))

    response = client.get(reverse(url_name))

    assert (response.status_code, security_headers(response)) == (200, EXPECTED)
    assert response["Pragma"] == "no-cache"


def test_headers_on_the_sign_in_page(client, db):
    response = client.get(reverse("login"))

    assert security_headers(response) == EXPECTED


def test_headers_on_the_staff_api(client, org):
    client.force_login(org.dispatcher)

    listing = client.get("/api/v1/staff/tickets/")
    missing = client.get("/api/v1/staff/tickets/999999/")

    assert (listing.status_code, security_headers(listing)) == (200, EXPECTED)
    assert (missing.status_code, security_headers(missing)) == (404, EXPECTED)


def test_headers_on_the_platform_api(org):
    _client, key = integration_client_create(name="12345")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api.get("/api/v1/hotline/updates/")

    assert (response.status_code, security_headers(response)) == (200, EXPECTED)


def test_headers_a_view_sets_itself_are_kept(client, db):
    response = client.get("/favicon.ico")

    assert (response["Cache-Control"], response.headers.get("Pragma")) == ("public, max-age=86400", None)


def test_headers_admin_and_api_docs_alone_allow_inline_code(client, org):
    client.force_login(org.admin)

    admin = client.get(reverse("admin:index"))
    docs = client.get(reverse("api-docs"))

    assert "script-src 'self' 'unsafe-inline'" in admin["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in docs["Content-Security-Policy"]
    assert (security_headers(admin)["no-store"], security_headers(docs)["no-store"]) == (True, True)


def test_headers_lists_ignore_a_sort_parameter_they_do_not_offer(client, org):
    # Sorting and filtering come only from the FilterSets' and forms' fixed choices: an unknown parameter
    # (here a sort on a personal-data column) changes nothing.
    client.force_login(org.dispatcher)

    plain = client.get("/api/v1/staff/tickets/").json()
    sorted_by_phone = client.get("/api/v1/staff/tickets/?ordering=complainant_phone&sort=-complainant_phone").json()

    assert sorted_by_phone == plain
