"""Issue 18 item 5: a Chinese page shows words, never codes, and no Django placeholder as an "any" choice.

A crawl of the demo bureau as each demo role in zh-hans (GET only, a few URLs per URL name, as
test_crawl_personal_data does): the visible text of every page and CSV export, and the e-mails sent, must not
contain a code value of the application's choices (category codes such as "prepaid", "education", reason codes,
kinds, states, ...), and every select's empty choice says 全部 (a filter) or 请选择 (a form), never Django's
"---------" or "未知".
"""

import importlib
import re
from collections import Counter, deque
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.test import Client

from hotline.tests.test_crawl_personal_data import LINK, SKIP, _url_name
from org.models import User

ROLES = ["dispatcher", "handler", "deputy", "unitleader", "reviewer", "chief", "leader", "admin"]
CHOICE_MODULES = [
    "alerts.choices",
    "audit.choices",
    "documents.choices",
    "org.choices",
    "reviews.choices",
    "tickets.choices",
]
PER_URL_NAME = 2
PER_ROLE = 120
EMPTY_CHOICE_WORDS = {"全部", "请选择"}
PLACEHOLDERS = ("---------", "未知")


def known_codes() -> dict[str, str]:
    """Every code a user must not read: the values of the choices (word-like ones) and the categories' codes."""
    from tickets.models import Category

    codes = {}
    for name in CHOICE_MODULES:
        module = importlib.import_module(name)
        for attribute in vars(module).values():
            if isinstance(attribute, type) and issubclass(attribute, models.Choices) and attribute.__module__ == name:
                for value in attribute.values:
                    if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_\-.]{2,}", value):
                        codes.setdefault(value, f"{name}.{attribute.__name__}")
    for code in Category.objects.values_list("code", flat=True):
        codes.setdefault(code, "Category")
    return codes


def code_pattern(codes) -> re.Pattern:
    words = "|".join(sorted(map(re.escape, codes), key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z0-9_\-./?=&])({words})(?![A-Za-z0-9_\-])")


class Page(HTMLParser):
    """The visible text (no script or style) and each single select's empty choice."""

    def __init__(self):
        super().__init__()
        self.text, self.empty_choices = [], []
        self._hidden = 0
        self._select = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag == "select":
            self._select = None if "multiple" in a else a.get("name", "?")
        elif tag == "option" and self._select and (a.get("value") or "") == "":
            self._option = []

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1
        elif tag == "option" and self._option is not None:
            self.empty_choices.append((self._select, "".join(self._option).strip()))
            self._option = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._option is not None:
            self._option.append(data)
        if not self._hidden and data.strip():
            self.text.append(data.strip())


def crawl(client):
    """(path, visible text, empty choices) of every HTML page and CSV export reachable from the home page."""
    seen, per_name, queue = set(), Counter(), deque(["/"])
    while queue and len(seen) < PER_ROLE:
        path = queue.popleft().replace("&amp;", "&")
        if path in seen or path.startswith((*SKIP, "/admin/", "/api/")) or "reveal" in path:
            continue
        name = _url_name(path)
        if name is None or per_name[name] >= PER_URL_NAME:
            continue
        seen.add(path)
        per_name[name] += 1
        response = client.get(path, follow=True)
        content_type = response.headers.get("Content-Type", "")
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode("utf-8", errors="replace")
        if content_type.startswith("text/html"):
            page = Page()
            page.feed(body)
            queue.extend(LINK.findall(body))
            yield path, "\n".join(page.text), page.empty_choices
        elif content_type.startswith("text/csv"):
            yield path, body, []


@pytest.mark.django_db
def test_chinese_pages_show_no_codes_and_no_django_placeholders(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", tickets=60, stdout=open("/dev/null", "w"))  # noqa: SIM115
    codes = known_codes()
    pattern = code_pattern(codes)
    assert {"prepaid", "education", "complaint", "in_progress"} <= set(codes)

    shown_codes, placeholders, empty_choices, read = [], [], [], Counter()
    for username in ROLES:
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(User.objects.get(username=username))
        for path, text, choices in crawl(client):
            read[username] += 1
            for match in pattern.finditer(text):
                around = text[max(0, match.start() - 30) : match.end() + 30].replace("\n", " | ")
                shown_codes.append((username, path, match.group(1), codes[match.group(1)], around))
            placeholders += [(username, path, word) for word in PLACEHOLDERS if word in text]
            empty_choices += [
                (username, path, name, label) for name, label in choices if label not in EMPTY_CHOICE_WORDS
            ]
    for message in mail.outbox:
        for match in pattern.finditer(message.subject + "\n" + message.body):
            shown_codes.append((message.to, "mail", match.group(1), codes[match.group(1)], message.subject))

    assert shown_codes == [], shown_codes
    assert placeholders == [], placeholders
    assert empty_choices == [], sorted(set(empty_choices))
    assert all(read[username] > 5 for username in ROLES), read
