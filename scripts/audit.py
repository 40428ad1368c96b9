"""`make audit`: known vulnerabilities in the locked packages, or one plain line saying why not.

pip-audit alone is ambiguous: it exits 1 both for "vulnerable" and after a traceback when its
advisory service cannot be reached, and when the service answers "no such release" for every
package it skips them all and still says "No known vulnerabilities found", exit 0. This runs it
over the hashed locks (no pip, no resolution: the locks are the pins) and exits with

    0  every locked package was audited: no known vulnerability
    1  known vulnerabilities, listed with the versions that fix them
    2  pip-audit failed for another reason (its last line is shown)
    3  the advisory database could not be reached, or did not answer for some locked
       package: no audit, or no complete one, was done

Usage: python scripts/audit.py [--service pypi|osv] [--osv-url URL] LOCK...
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NOT_REACHED = 3
OSV_URL = "https://api.osv.dev/v1/query"
# What requests, urllib3 and pip-audit raise or log when no answer came back.
UNREACHABLE = re.compile(
    r"ConnectionError|ConnectTimeout|ReadTimeout|ProxyError|SSLError|NameResolutionError"
    r"|Max retries exceeded|ServiceError|could not connect",
    re.IGNORECASE,
)
WHY = re.compile(r"Failed to resolve '[^']+'|Connection refused|timed out|\b[45]\d\d \w[\w ]*")


@dataclass(frozen=True)
class Verdict:
    code: int
    lines: tuple[str, ...]


def database(service: str, osv_url: str) -> str:
    if service == "osv":
        return f"OSV at {osv_url}"
    return "PyPI's JSON API, /pypi/<project>/<version>/json"


def judge(report: dict[str, Any] | None, stderr: str, where: str) -> Verdict:
    """The answer to give, from pip-audit's JSON report (None when it wrote none) and stderr."""
    if report is None:
        if UNREACHABLE.search(stderr):
            why = WHY.search(stderr)
            reason = f" ({why[0].strip()})" if why else ""
            return Verdict(
                NOT_REACHED,
                (
                    f"make audit: the advisory database ({where}) could not be reached"
                    f"{reason}; no audit was done",
                ),
            )
        last = stderr.strip().splitlines()[-1:] or ["no output"]
        return Verdict(2, (f"make audit: pip-audit failed: {last[0]}",))

    packages = {(d["name"], d.get("version")): d for d in report["dependencies"]}.values()
    skipped = [d for d in packages if "skip_reason" in d]
    found = [
        f"  {d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v['fix_versions']) or '-'})"
        for d in packages
        for v in d.get("vulns", [])
    ]
    lines = list(found)
    if found:
        lines.append(f"make audit: {len(found)} known vulnerabilities in the locked packages")
    if skipped and len(skipped) == len(packages):
        lines.append(
            f"make audit: the advisory database ({where}) answered for none of the "
            f"{len(packages)} locked packages (first: {skipped[0]['skip_reason']}); "
            "no audit was done"
        )
    elif skipped:
        names = ", ".join(d["name"] for d in skipped)
        lines.append(
            f"make audit: the advisory database ({where}) gave no answer for {len(skipped)} "
            f"of {len(packages)} locked packages ({names}); the audit is incomplete"
        )
    if found:
        return Verdict(1, tuple(lines))
    if skipped:
        return Verdict(NOT_REACHED, tuple(lines))
    return Verdict(
        0, (f"make audit: {len(packages)} locked packages, no known vulnerability ({where})",)
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--service", choices=["pypi", "osv"], default="pypi")
    parser.add_argument("--osv-url", default=OSV_URL)
    parser.add_argument("locks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    command = [
        *(sys.executable, "-m", "pip_audit", "--disable-pip", "--require-hashes"),
        *("--progress-spinner", "off", "--format", "json"),
        *("--vulnerability-service", args.service),
    ]
    if args.service == "osv":
        command += ["--osv-url", args.osv_url]
    for lock in args.locks:
        command += ["--requirement", str(lock)]
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch, "audit.json")
        done = subprocess.run(  # noqa: S603 (this interpreter's pip-audit, on the given locks)
            [*command, "--output", str(output)], capture_output=True, text=True, check=False
        )
        written = output.exists() and output.stat().st_size > 0
        report = json.loads(output.read_text()) if written else None
    verdict = judge(report, done.stderr, database(args.service, args.osv_url))
    print("\n".join(verdict.lines), file=sys.stderr if verdict.code else sys.stdout)
    return verdict.code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
