"""A crawl of the demo bureau as each role: no page, list, export, API answer or e-mail shows a citizen's
phone number or ID number unmasked (issue 14.8).

Personal data is shown masked by default to everyone; revealing it is a POST that is audited, which a
crawl never sends. The crawl signs in as each demo account, follows every same-site link from the home
page (GET only, at most a few URLs per URL name so that 300 work orders do not mean 300 ticket pages), adds
the staff API's lists and the details they name, and reads every answer's body.
"""

import json
import re
from collections import Counter, deque

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from org.models import User

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
LINK = re.compile(r'href="(/[^"#]*)"')
# Not pages of the application's data: signing out, the language switch, assets, the API's schema and docs.
SKIP = ("/logout/", "/language/", "/static/", "/api/schema/", "/api/docs/", "/favicon.ico")
PER_URL_NAME = 3
PER_ROLE = 160
ROLES = ["dispatcher", "handler", "handler2", "deputy", "unitleader", "reviewer", "chief", "leader", "admin"]
API_LISTS = [
    "/api/v1/staff/tickets/",
    "/api/v1/staff/inbox/",
    "/api/v1/staff/my-work/",
    "/api/v1/staff/unit-queue/",
    "/api/v1/staff/reviews/pending/",
    "/api/v1/staff/requests/",
]
TICKET_LISTS = API_LISTS[:5]  # their rows are work orders, whose details the crawl reads too


def _unmasked(text: str) -> list[str]:
    return PHONE.findall(text) + ID_NUMBER.findall(text)


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path.split("?")[0])
    except Resolver404:
        return None
    return match.view_name


def _crawl(client: Client) -> tuple[dict[str, list[str]], Counter]:
    """Every reachable answer's unmasked numbers, by URL; and how many URLs of each name were read."""
    seen: set[str] = set()
    per_name: Counter = Counter()
    queue = deque(["/", *API_LISTS])
    found: dict[str, list[str]] = {}
    while queue and len(seen) < PER_ROLE:
        path = queue.popleft().replace("&amp;", "&")
        if path in seen or path.startswith(SKIP) or "reveal" in path:
            continue
        name = _url_name(path)
        if name is None or per_name[name] >= PER_URL_NAME:
            continue
        seen.add(path)
        per_name[name] += 1
        response = client.get(path, follow=True)
        raw = b"".join(response.streaming_content) if response.streaming else response.content  # CSV exports stream
        body = raw.decode("utf-8", errors="replace")
        if hits := _unmasked(body):
            found[path] = hits
        content_type = response.headers.get("Content-Type", "")
        if content_type.startswith("text/html"):
            queue.extend(LINK.findall(body))
        elif content_type.startswith("application/json") and path in TICKET_LISTS and response.status_code == 200:
            for row in json.loads(body)["results"][:PER_URL_NAME]:
                queue.append(f"/api/v1/staff/tickets/{row['id']}/")
    return found, per_name


@pytest.mark.django_db
def test_demo_bureau_shows_no_unmasked_phone_or_id_number_to_any_role(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", tickets=80, stdout=open("/dev/null", "w"))  # noqa: SIM115

    found: dict[str, dict[str, list[str]]] = {}
    read = {}
    for username in ROLES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        found[username], read[username] = _crawl(client)
    mails = [message.subject + message.body for message in mail.outbox]

    assert {role: hits for role, hits in found.items() if hits} == {}
    assert [text for text in mails if _unmasked(text)] == []
    # The crawl reached the work orders, not only the home page: each role read ticket pages and API details.
    assert {
        role: (names["tickets:detail"], names["staff_api:ticket-detail"]) for role, names in read.items()
    } == dict.fromkeys(ROLES, (PER_URL_NAME, PER_URL_NAME))
