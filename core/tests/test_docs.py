"""The documentation stands on its own: a fresh clone has every file its README and docs point at.

Nothing outside the repository is referred to (there is no `../shared/` next to a clone), every relative
link leads to a file in the repository, and a link to a heading of a Markdown file finds that heading.
"""

import re
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "ARCHITECTURE.md"
DOCS = [ROOT / "README.md", ARCHITECTURE, *sorted((ROOT / "docs").glob("*.md"))]

# "../shared/…", "/work/shared/…", "shared/STYLE.md": a path into the folder beside the repository, not
# the word "shared" ("shared with", "shared_buffers").
OUTSIDE_PATH = re.compile(r"(?<![\w.-])(?:\.\./|/work/)?shared/")
FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?", re.M)
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def outside_mentions(text: str) -> list[str]:
    """Each line that names a path outside the repository, as "line N: …"."""
    return [
        f"line {number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), start=1)
        if OUTSIDE_PATH.search(line)
    ]


def _without_code(text: str) -> str:
    return CODE_SPAN.sub("", FENCE.sub("", text))


def heading_anchors(text: str) -> set[str]:
    """The anchors GitHub gives the headings: lower case, punctuation dropped, spaces to hyphens, -1 … for repeats."""
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for heading in HEADING.findall(FENCE.sub("", text)):
        plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
        slug = re.sub(r"[^\w\- ]", "", plain.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def broken_links(doc: Path) -> list[str]:
    """Relative links of a Markdown file that lead nowhere in the repository (web addresses are not checked)."""
    text = doc.read_text(encoding="utf-8")
    prose = _without_code(text)
    broken = []
    for target in INLINE_LINK.findall(prose) + REFERENCE_LINK.findall(prose):
        if SCHEME.match(target) or target.startswith("/"):
            continue  # a web address, or a path of the running application (/api/docs/)
        path_part, _, anchor = unquote(target).partition("#")
        file = (doc.parent / path_part).resolve() if path_part else doc
        if not file.is_relative_to(ROOT) or not file.exists():
            broken.append(f"{target}: no such file in the repository")
        elif anchor and file.suffix == ".md" and anchor not in heading_anchors(file.read_text(encoding="utf-8")):
            broken.append(f"{target}: no heading with this anchor")
    return broken


def _doc_params():
    for doc in DOCS:
        yield pytest.param(doc, id=str(doc.relative_to(ROOT)))


def test_docs_the_project_explains_itself_in_its_own_files():
    names = {doc.name for doc in DOCS}

    missing = {"README.md", "ARCHITECTURE.md", "domain.md", "platform-contract.md", "style.md"} - names

    assert missing == set()


@pytest.mark.parametrize("doc", list(_doc_params()))
def test_docs_mention_no_path_outside_the_repository(doc):
    mentions = outside_mentions(doc.read_text(encoding="utf-8"))

    assert mentions == []


@pytest.mark.parametrize("doc", [pytest.param(doc, id=str(doc.relative_to(ROOT))) for doc in DOCS])
def test_docs_relative_links_lead_to_files_in_the_repository(doc):
    broken = broken_links(doc)

    assert broken == []


# The checks themselves, on made-up text, so that a passing run means something.


def test_outside_mentions_finds_paths_beside_the_repository():
    text = "See `../shared/DOMAIN.md`.\nThe contract is /work/shared/API.md.\nStyle: shared/STYLE.md\n"

    mentions = outside_mentions(text)

    assert mentions == [
        "line 1: See `../shared/DOMAIN.md`.",
        "line 2: The contract is /work/shared/API.md.",
        "line 3: Style: shared/STYLE.md",
    ]


def test_outside_mentions_ignores_the_word_shared():
    text = "The machine was shared with other jobs; `shared_buffers` 128 MB; a shared cache; unshared/x.\n"

    mentions = outside_mentions(text)

    assert mentions == []


def test_broken_links_reports_missing_files_and_anchors_only(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "here.md").write_text("# Here\n\n## Deadlines in working days\n", encoding="utf-8")
    doc = tmp_path / "docs" / "index.md"
    doc.write_text(
        "[ok](here.md) [ok too](here.md#deadlines-in-working-days) [web](https://example.org/x.md)\n"
        "[app](/api/docs/) [self](#top) [gone](missing.md) [no heading](here.md#nowhere)\n"
        "[outside](../../elsewhere.md)\n\n# Top\n\n`[code](not-checked.md)`\n\n```\n[block](not-checked.md)\n```\n"
        "[ref]: gone-too.md\n",
        encoding="utf-8",
    )

    broken = broken_links(doc)

    assert broken == [
        "missing.md: no such file in the repository",
        "here.md#nowhere: no heading with this anchor",
        "../../elsewhere.md: no such file in the repository",
        "gone-too.md: no such file in the repository",
    ]
