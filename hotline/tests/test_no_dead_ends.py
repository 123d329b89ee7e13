"""No dead ends (issue 18, item 3): a form a page offers a role is one the role's rule accepts.

Each role signs in, follows the links of its pages (two steps from its start page, and the work orders of
every state), and posts every form it is shown as it is shown (defaults chosen, text boxes filled): no
answer is the bare 403 page. A refusal the rule foresees is a message on the page or a form error, never
"无权操作"."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

SKIP = ("/logout/", "/static/", "/admin/", "/api/", "/i18n/", "/favicon.ico", "/media/")


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.forms, self._form, self._select = [], [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "data": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a or a["name"] not in self._form["data"]:
                    self._form["data"].setdefault(a["name"], a.get("value", "on"))
            elif kind == "file":
                pass
            elif kind == "submit":
                self._form["data"].setdefault(a["name"], a.get("value", ""))
            else:
                value = a.get("value") or ""
                if not value and kind in ("text", "search", "number", "date", "datetime-local"):
                    value = {"number": "1", "date": "2026-10-09", "datetime-local": "2026-10-09T09:00"}.get(
                        kind, "测试"
                    )
                self._form["data"][a["name"]] = value
        elif tag == "button" and a.get("name"):
            self._form["data"].setdefault(a["name"], a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self._form["data"][a["name"]] = "测试说明"
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and a.get("value"):
            self._form["data"].setdefault(self._select, a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def crawl(client, start_paths, *, depth=2, limit=120):
    seen, pages, queue = set(), [], [(p, 0) for p in start_paths]
    while queue and len(seen) < limit:
        path, level = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = PageParser()
        parser.feed(response.content.decode())
        pages.append((path, parser.forms))
        if level < depth:
            for href in parser.links:
                target = urlsplit(urljoin(path, href))
                if target.netloc or not target.path.startswith("/") or target.path.startswith(SKIP):
                    continue
                if re.search(r"\.(csv|xlsx|docx|zip|json)$|/download|/export|/attachments/\d+/$", target.path):
                    continue
                queue.append((target.path + (f"?{target.query}" if target.query else ""), level + 1))
    return pages


@pytest.mark.django_db
def test_every_form_offered_to_a_role_is_one_its_rule_accepts(client, org, calendar_2026, settings, tmp_path):
    from reviews.tests.factories import completed_ticket, ticket_in_section_review, ticket_in_unit_review
    from tickets.tests.factories import make_ticket

    settings.MEDIA_ROOT = tmp_path
    tickets = [
        make_ticket(org),
        ticket_in_unit_review(org),
        ticket_in_section_review(org),
        completed_ticket(org),
    ]
    refused = []
    for user in (org.dispatcher, org.handler, org.deputy, org.unit_leader, org.reviewer, org.chief, org.leader):
        client.force_login(user)
        starts = ["/", *(f"/tickets/{t.pk}/" for t in tickets)]
        for path, forms in crawl(client, starts):
            for form in forms:
                if form["method"] != "post":
                    continue
                action = urljoin(path, form["action"] or path)
                if urlsplit(action).path.startswith(SKIP):
                    continue
                answer = client.post(action, form["data"])
                if answer.status_code == 403 or answer.status_code >= 500:
                    refused.append((user.username, path, urlsplit(action).path))
        client.logout()

    assert refused == [], refused
