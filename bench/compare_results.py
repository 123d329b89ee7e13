"""Two benchmark reports side by side: every figure of the earlier one beside the same figure of the later.

    python bench/compare_results.py OLD.md NEW.md            # a markdown table on standard output

The reports are bench/run.py's (bench/RESULTS.md of a commit, `git show <commit>:bench/RESULTS.md > old.md`).
Figures are matched by their label (and client count for pages); a figure only one report has shows "-"
on the other side. The ratio is new p50 over old p50 (below 1: faster).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _number(text: str) -> float | None:
    """12.9 -> 12.9; "6.33 s" -> 6330.0 (ms); "5.8 ms" -> 5.8; "-" -> None."""
    match = re.fullmatch(r"([\d,]+(?:\.\d+)?)\s*(ms|s)?", text.strip())
    if not match:
        return None
    value = float(match.group(1).replace(",", ""))
    return value * 1000 if match.group(2) == "s" else value


def figures(text: str) -> dict[tuple[str, str], dict]:
    """{(label, clients): {"p50": ms, "p95": ms, "rps": r}} from the pages table and the sweep table."""
    found: dict[tuple[str, str], dict] = {}
    section = None
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        if not line.startswith("|") or line.startswith("|---") or line.startswith("| figure"):
            continue
        cells = _cells(line)
        if section == "Pages and API" and len(cells) >= 5:
            found[(cells[0], cells[1])] = {"p50": _number(cells[2]), "p95": _number(cells[3]), "rps": _number(cells[4])}
        elif section == "Escalation sweep" and len(cells) >= 2:
            found[(cells[0], "")] = {"p50": _number(cells[1]), "p95": None, "rps": None}
    return found


def _show(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def table(old: dict, new: dict) -> str:
    lines = [
        "| figure | clients | p50 ms before | p50 ms after | ratio | p95 ms before | p95 ms after "
        "| req/s before | req/s after |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    keys = list(old) + [key for key in new if key not in old]
    for key in keys:
        before, after = old.get(key, {}), new.get(key, {})
        ratio = "-"
        if before.get("p50") and after.get("p50"):
            ratio = f"{after['p50'] / before['p50']:.2f}"
        lines.append(
            f"| {key[0]} | {key[1] or '-'} | {_show(before.get('p50'))} | {_show(after.get('p50'))} | {ratio} | "
            f"{_show(before.get('p95'))} | {_show(after.get('p95'))} | {_show(before.get('rps'))} | "
            f"{_show(after.get('rps'))} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    old, new = (figures(Path(path).read_text()) for path in argv)
    sys.stdout.write(table(old, new))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
