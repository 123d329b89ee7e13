"""The committed catalogues are complete, and each .mo matches its .po (running needs no gettext)."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

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
