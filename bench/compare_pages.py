"""Save the HTML of the application's pages, and compare two such snapshots (docs/pagespeed.md).

A change of the page templates must not change what a page shows. This seeds the demo data
(`manage.py seed_demo`) into a scratch SQLite database at a fixed instant, then, with Django's test client
signed in as each demo account, follows the links of the pages reachable from the navigation (breadth first,
a sample of the ticket pages) and saves each page; it adds the login page (empty and refused), the error
pages and a form refused with errors. Run it on two commits and diff the snapshots:

    .venv/bin/python -m bench.compare_pages snapshot /tmp/pages-before
    .venv/bin/python -m bench.compare_pages snapshot /tmp/pages-after
    .venv/bin/python -m bench.compare_pages diff /tmp/pages-before /tmp/pages-after

`diff` normalises only the CSRF token (random per session); `--ignore-whitespace` also compares the pages
with runs of whitespace collapsed, which says whether a difference is only layout of the source.
"""

import argparse
import datetime as dt
import difflib
import logging
import os
import re
import sys
import tempfile
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

# A Tuesday morning; the same instant on both runs, so deadlines, colours and "3 days ago" agree.
FROZEN_AT = dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC)  # 09:30 in Shanghai
DEMO_TICKETS = 120
PAGES_PER_ACCOUNT = 100
TICKET_PAGES_PER_ACCOUNT = 6  # /tickets/<id>/ and /reviews/tickets/<id>/ each
SKIPPED = re.compile(r"^/(admin|api|open311|static|media|logout|language)/|\.csv|/attachments/\d+/")
SAMPLED = re.compile(r"^/(tickets|reviews/tickets)/\d+/$")
LINK = re.compile(r'<a\b[^>]*?\bhref="([^"#]*)"')
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _setup(scratch: Path) -> None:
    os.environ["HOTLINE_VAR_DIR"] = str(scratch)
    os.environ.pop("DATABASE_URL", None)
    os.environ["STATICFILES_BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ["HOTLINE_FAST_PASSWORD_HASHING"] = "true"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "hotline.settings"
    import django

    django.setup()
    logging.disable(logging.WARNING)  # the refused forms and error pages below log as they should


def _name(account: str, url: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", url).strip("_") or "root"
    return f"{account}/{slug}.html"


def _crawl(client, start: list[str]) -> dict[str, tuple[int, str]]:
    """url -> (status, html) for the pages reached from `start` by links, breadth first."""
    pages: dict[str, tuple[int, str]] = {}
    queue, seen, sampled = deque(start), set(start), {}
    while queue and len(pages) < PAGES_PER_ACCOUNT:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code in (301, 302):
            links, html = [response["Location"]], None
        else:
            html = response.content.decode()
            pages[url] = (response.status_code, html)
            links = LINK.findall(html)
        for href in links:
            href = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith("/") or SKIPPED.search(parts.path) or href in seen:
                continue
            if SAMPLED.match(parts.path):
                kind = parts.path.split("/")[1]
                if sampled.get(kind, 0) >= TICKET_PAGES_PER_ACCOUNT:
                    continue
                sampled[kind] = sampled.get(kind, 0) + 1
            seen.add(href)
            queue.append(href)
    return pages


def snapshot(out: Path) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="compare-pages-"))
    _setup(scratch)
    import time_machine
    from django.core.management import call_command
    from django.test import Client, RequestFactory
    from django.views.defaults import bad_request, server_error

    from org.demo import ACCOUNTS, DEMO_PASSWORD
    from org.models import User

    saved: dict[str, tuple[int, str]] = {}
    with time_machine.travel(FROZEN_AT, tick=False):
        call_command("migrate", verbosity=0)
        call_command("seed_demo", tickets=DEMO_TICKETS, stdout=open(os.devnull, "w"))  # noqa: SIM115
        anonymous = Client(raise_request_exception=False)
        for url, response in [
            ("/login/", anonymous.get("/login/")),
            ("/login/?refused", anonymous.post("/login/", {"username": ACCOUNTS[0][0], "password": "wrong"})),
        ]:
            saved[_name("anonymous", url)] = (response.status_code, response.content.decode())
        # No role: the home page with no start page to go to.
        User.objects.create_user("visitor", password=DEMO_PASSWORD, first_name="访客")
        for username, *_rest in [*ACCOUNTS, ("visitor",), ("admin", "en")]:
            client = Client(raise_request_exception=False)
            assert client.login(username=username, password=DEMO_PASSWORD), username
            user = User.objects.get(username=username)
            if _rest == ["en"]:  # the English pages show the plurals Chinese does not have
                client.cookies["django_language"] = "en"
                username = "admin-en"
            for url, (status, html) in _crawl(client, ["/"]).items():
                saved[_name(username, url)] = (status, html)
            for url, response in [
                ("/no-such-page/", client.get("/no-such-page/")),
                ("/tickets/new/?refused", client.post("/tickets/new/", {})),
                ("/reviews/inspections/new/?refused", client.post("/reviews/inspections/new/", {})),
            ]:
                saved[_name(username, url)] = (response.status_code, response.content.decode())
            request = RequestFactory().get("/")
            request.user = user
            saved[_name(username, "error-400")] = (400, bad_request(request, Exception()).content.decode())
            saved[_name(username, "error-500")] = (500, server_error(request).content.decode())
    for name, (status, html) in saved.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<!-- status {status} -->\n{html}", encoding="utf-8")
    print(f"{len(saved)} pages saved under {out} (scratch data in {scratch})")
    return 0


def _normalised(text: str, *, whitespace: bool) -> str:
    text = CSRF.sub(r"\1CSRF\2", text)
    if whitespace:
        text = re.sub(r">\s+<", "><", text)
        text = re.sub(r"\s+", " ", text).strip()
    return text


def diff(before: Path, after: Path, *, ignore_whitespace: bool) -> int:
    names = {p.relative_to(before).as_posix() for p in before.rglob("*.html")}
    names_after = {p.relative_to(after).as_posix() for p in after.rglob("*.html")}
    only_before, only_after = sorted(names - names_after), sorted(names_after - names)
    same = whitespace_only = 0
    differing = []
    for name in sorted(names & names_after):
        a, b = (before / name).read_text(encoding="utf-8"), (after / name).read_text(encoding="utf-8")
        if _normalised(a, whitespace=False) == _normalised(b, whitespace=False):
            same += 1
        elif _normalised(a, whitespace=True) == _normalised(b, whitespace=True):
            whitespace_only += 1
            if not ignore_whitespace:
                differing.append(name)
        else:
            differing.append(name)
    for name in differing:
        a = _normalised((before / name).read_text(encoding="utf-8"), whitespace=ignore_whitespace)
        b = _normalised((after / name).read_text(encoding="utf-8"), whitespace=ignore_whitespace)
        if ignore_whitespace:  # one tag a line, so the diff shows where
            a, b = a.replace("><", ">\n<"), b.replace("><", ">\n<")
        lines = difflib.unified_diff(
            a.splitlines(), b.splitlines(), f"before/{name}", f"after/{name}", n=1, lineterm=""
        )
        print("\n".join(list(lines)[:40]))
    print(
        f"compared {len(names & names_after)} pages: {same} identical, {whitespace_only} differ in whitespace only, "
        f"{len(differing) - (0 if ignore_whitespace else whitespace_only)} differ otherwise; "
        f"only before: {only_before}; only after: {only_after}"
    )
    return 1 if differing or only_before or only_after else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("snapshot").add_argument("out", type=Path)
    compare = commands.add_parser("diff")
    compare.add_argument("before", type=Path)
    compare.add_argument("after", type=Path)
    compare.add_argument("--ignore-whitespace", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "snapshot":
        return snapshot(args.out)
    return diff(args.before, args.after, ignore_whitespace=args.ignore_whitespace)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
