"""The committed catalogues are complete, each .mo matches its .po, and they hold what the code asks for."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from core.testing import need

CATALOGUES = sorted(Path(settings.BASE_DIR).glob("*/locale/zh_Hans/LC_MESSAGES/django.po")) + sorted(
    Path(settings.BASE_DIR).glob("locale/zh_Hans/LC_MESSAGES/django.po")
)


def parse_po(path: Path) -> dict[str, str]:
    """A small .po reader: msgid -> msgstr (msgstr[0] for plurals), with fuzzy entries marked None."""
    entries: dict[str, str | None] = {}
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        fuzzy = "#, fuzzy" in block or re.search(r"^#,.*fuzzy", block, re.M) is not None
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[0\])\s+"(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" not in fields or fields["msgid"] == "":
            continue
        key = fields["msgid"]
        if "msgctxt" in fields:
            key = f"{fields['msgctxt']}\x04{key}"
        value = fields.get("msgstr", fields.get("msgstr[0]", ""))
        entries[key] = None if fuzzy else value
    return entries


def test_there_is_a_chinese_catalogue():
    assert CATALOGUES, "no zh_Hans catalogue found"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_catalogue_has_no_untranslated_or_fuzzy_entry(po_path):
    entries = parse_po(po_path)

    missing = sorted(msgid for msgid, msgstr in entries.items() if not msgstr)

    assert missing == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_compiled_catalogue_matches_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is not committed"
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = []
    for msgid, msgstr in parse_po(po_path).items():
        decoded = msgstr.encode().decode("unicode_escape").encode("latin-1").decode("utf-8") if msgstr else msgstr
        if compiled.gettext(msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")) != decoded:
            stale.append(msgid)

    assert stale == []


SOURCE_IGNORED = (".git", ".venv", "var", "node_modules", "__pycache__", "*.mo", "*.sqlite3")


def test_makemessages_finds_every_string_of_the_code_in_the_committed_catalogues(tmp_path):
    """What `makemessages` extracts today is what the catalogues hold: no string of the code is missing
    (it would show in English), and no committed entry has lost its place in the code (the next
    `makemessages` would make it obsolete, and a Jinja2 page still printing it would turn English).

    Run on a copy of the tree, so the committed catalogues are left as they are. The pages are Jinja2
    templates, read by the project's makemessages (core/management/commands/makemessages.py).
    """
    need(shutil.which("xgettext") is not None, "gettext is not installed (apt-get install gettext)")
    source = Path(settings.BASE_DIR)
    copy = tmp_path / "tree"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(*SOURCE_IGNORED))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location", "-v0"],
        cwd=copy,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "hotline.settings"},
        capture_output=True,
    )

    differences = {}
    for po_path in CATALOGUES:
        relative = po_path.relative_to(source)
        committed = set(parse_po(po_path))
        extracted = set(parse_po(copy / relative))
        missing, orphaned = sorted(extracted - committed), sorted(committed - extracted)
        if missing or orphaned:
            differences[str(relative)] = {"missing": missing, "no longer in the code": orphaned}

    assert differences == {}
