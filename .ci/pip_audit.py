"""pip-audit of the installed virtualenv: fails on a known vulnerability; where its vulnerability database cannot
be reached (an isolated network, a mirror without PyPI's JSON API: every package skipped), says so and passes."""

import json
import subprocess
import sys
from pathlib import Path

AUDIT = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "pip-audit"

try:
    done = subprocess.run(  # noqa: S603 - our own virtualenv's tool, fixed arguments
        [str(AUDIT), "--progress-spinner", "off", "--format", "json"], capture_output=True, text=True, timeout=300
    )
except subprocess.TimeoutExpired:
    print("pip-audit: skipped, its vulnerability database did not answer within 300 s")
    sys.exit(0)
try:
    report = json.loads(done.stdout)
except json.JSONDecodeError:
    print("pip-audit: skipped, its vulnerability database cannot be reached:", done.stderr.strip()[-500:])
    sys.exit(0)
dependencies = report.get("dependencies", [])
audited = [d for d in dependencies if "skip_reason" not in d]
vulnerable = [d for d in audited if d.get("vulns")]
if not audited:
    print(f"pip-audit: skipped, its vulnerability database cannot be reached ({len(dependencies)} packages unaudited)")
    sys.exit(0)
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        fixed = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
        print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
print(f"pip-audit: {len(audited)} packages audited, {len(vulnerable)} with known vulnerabilities")
sys.exit(1 if vulnerable else 0)
