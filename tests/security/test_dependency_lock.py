"""The locks pin, with hashes, what pyproject.toml asks for, and the Makefile installs only them.

requirements.lock is `make run`'s, requirements-dev.lock `make test`'s and
requirements-bench.lock `make bench`'s; `make lock` regenerates all three.
"""

import os
import re
import socket
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from scripts.audit import NOT_REACHED, judge

ROOT = Path(__file__).resolve().parents[2]

# Each lock and the extras of pyproject.toml it covers besides the runtime dependencies.
EXTRAS_OF_LOCK = {
    "requirements.lock": (),
    "requirements-dev.lock": ("dev",),
    "requirements-bench.lock": ("dev", "bench"),
}
# Each target of the Makefile that installs, and the one lock it installs from.
LOCK_OF_TARGET = {
    "run": "requirements.lock",
    "lint": "requirements-dev.lock",
    "test": "requirements-dev.lock",
    "unit": "requirements-dev.lock",
    "bench": "requirements-bench.lock",
    "audit": "requirements-dev.lock",
    "lock": "requirements-dev.lock",
}
SHA256 = re.compile(r"sha256:[0-9a-f]{64}")


@dataclass(frozen=True)
class Pin:
    requirement: Requirement
    hashes: tuple[str, ...]

    @property
    def name(self) -> str:
        return canonicalize_name(self.requirement.name)

    @property
    def version(self) -> Version:
        (specifier,) = self.requirement.specifier
        return Version(specifier.version)


def logical_lines(text: str) -> list[str]:
    """The lines of a requirements file or a Makefile with `\\` continuations joined."""
    lines, current = [], ""
    for line in text.splitlines():
        current += line.removesuffix("\\")
        if not line.endswith("\\"):
            lines.append(current)
            current = ""
    return [*lines, current] if current else lines


def read_lock(name: str) -> list[Pin]:
    """A lock's entries: `name==version [; marker] --hash=sha256:... ...`."""
    pins = []
    for line in logical_lines((ROOT / name).read_text()):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        words = line.split()
        hashes = tuple(w.removeprefix("--hash=") for w in words if w.startswith("--hash="))
        # Anything else that looks like an option (-e, --index-url, ...) is left in the
        # requirement, where packaging refuses it.
        requirement = " ".join(w for w in words if not w.startswith("--hash="))
        pins.append(Pin(Requirement(requirement), hashes))
    return pins


def wanted(extras: tuple[str, ...]) -> list[Requirement]:
    """What a lock must pin: the runtime dependencies, the extras, the build backend, pip."""
    toml = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = toml["project"]
    texts: list[str] = [*project["dependencies"], *toml["build-system"]["requires"], "pip"]
    for extra in extras:
        texts += project["optional-dependencies"][extra]
    return [Requirement(text) for text in texts]


@pytest.mark.parametrize("lock", EXTRAS_OF_LOCK)
def test_every_entry_of_a_lock_is_pinned_with_hashes(lock: str) -> None:
    pins = read_lock(lock)
    assert pins, f"{lock} pins nothing"
    for pin in pins:
        operators = [s.operator for s in pin.requirement.specifier]
        assert operators == ["=="], f"{lock}: {pin.requirement} is not pinned with =="
        assert "*" not in str(pin.requirement.specifier), f"{lock}: {pin.requirement}"
        assert pin.hashes, f"{lock}: {pin.requirement} has no --hash"
        for digest in pin.hashes:
            assert SHA256.fullmatch(digest), f"{lock}: {pin.requirement}: {digest}"


@pytest.mark.parametrize(("lock", "extras"), EXTRAS_OF_LOCK.items(), ids=list(EXTRAS_OF_LOCK))
def test_a_lock_pins_what_pyproject_asks_for(lock: str, extras: tuple[str, ...]) -> None:
    pins = read_lock(lock)
    for requirement in wanted(extras):
        name = canonicalize_name(requirement.name)
        candidates = [pin for pin in pins if pin.name == name]
        assert candidates, f"{requirement} (pyproject.toml) is not pinned in {lock}"
        # A universal lock may pin a package twice, under exclusive markers.
        assert any(
            pin.requirement.marker is None or pin.requirement.marker.evaluate()
            for pin in candidates
        ), f"{lock} pins {name} only for other platforms"
        for pin in candidates:
            assert requirement.specifier.contains(pin.version, prereleases=True), (
                f"{lock} pins {pin.requirement}, outside pyproject.toml's {requirement}"
            )


def test_a_package_has_one_pin_in_every_lock() -> None:
    """The dev lock holds the runtime lock and the bench lock the dev lock, pin for pin, so
    `make run` and `make test` installing into one virtualenv only ever add packages."""
    run, dev, bench = (
        {(pin.name, pin.version) for pin in read_lock(lock)} for lock in EXTRAS_OF_LOCK
    )
    assert run <= dev, f"requirements.lock pins beyond requirements-dev.lock: {run - dev}"
    assert dev <= bench, f"requirements-dev.lock pins beyond requirements-bench.lock: {dev - bench}"


def test_each_lock_says_how_to_regenerate_it() -> None:
    for lock in EXTRAS_OF_LOCK:
        head = (ROOT / lock).read_text().splitlines()[:5]
        assert any("`make lock`" in line for line in head), f"{lock} does not say `make lock`"
    assert "lock" in makefile_rules()


def makefile_rules() -> dict[str, tuple[list[str], list[str]]]:
    """Each rule of the Makefile: target -> (prerequisites, recipe lines), unexpanded."""
    rules: dict[str, tuple[list[str], list[str]]] = {}
    current: str | None = None
    for line in logical_lines((ROOT / "Makefile").read_text()):
        if line.startswith("\t") and current is not None:
            rules[current][1].append(line.strip())
            continue
        current = None
        rule = re.match(r"([^\s#:=?+][^:=]*?):(?!=)(.*)", line)
        if rule:
            current = rule[1].strip()
            prerequisites = [word for word in rule[2].split() if word != "|"]
            rules[current] = (prerequisites, [])
    return rules


def installed_locks(target: str, rules: dict[str, tuple[list[str], list[str]]]) -> set[str]:
    """The locks a target installs, through its prerequisites."""
    prerequisites, recipe = rules.get(target, ([], []))
    locks = {m[1] for line in recipe for m in re.finditer(r"--require-hashes -r (\S+)", line)}
    for prerequisite in prerequisites:
        locks |= installed_locks(prerequisite, rules)
    return locks


@pytest.mark.parametrize(("target", "lock"), LOCK_OF_TARGET.items())
def test_the_makefile_installs_a_target_from_its_lock(target: str, lock: str) -> None:
    assert installed_locks(target, makefile_rules()) == {lock}


def test_the_makefile_installs_nothing_unhashed() -> None:
    rules = makefile_rules()
    installs = [line for _, recipe in rules.values() for line in recipe if " install " in line]
    assert installs
    for line in installs:
        from_lock = re.search(r" install --require-hashes -r requirements(-\w+)?\.lock$", line)
        the_project = re.search(r" install --no-deps --no-build-isolation .*-e \.$", line)
        assert from_lock or the_project, f"Makefile installs outside the locks: {line}"


def test_an_installed_lock_is_reinstalled_when_it_or_pyproject_changes() -> None:
    rules = makefile_rules()
    stamps = {
        target: prerequisites
        for target, (prerequisites, recipe) in rules.items()
        if any("--require-hashes -r" in line for line in recipe)
    }
    assert len(stamps) == len(EXTRAS_OF_LOCK)
    for stamp, prerequisites in stamps.items():
        assert installed_locks(stamp, rules) <= set(prerequisites), stamp
        assert "pyproject.toml" in prerequisites, stamp


# `make audit` (scripts/audit.py): pip-audit's report, or one plain line saying why there is none.
def package(name: str, **fields: object) -> dict[str, object]:
    return {"name": name, "version": "1.0", "vulns": [], **fields}


def test_the_audit_passes_when_every_locked_package_was_audited_clean() -> None:
    report = {"dependencies": [package("a"), package("b"), package("a")]}
    assert judge(report, "", "db").code == 0


def test_the_audit_fails_on_a_known_vulnerability() -> None:
    vuln = {"id": "GHSA-1", "fix_versions": ["1.1"]}
    verdict = judge({"dependencies": [package("a", vulns=[vuln]), package("b")]}, "", "db")
    assert verdict.code == 1
    assert "  a 1.0: GHSA-1 (fixed in 1.1)" in verdict.lines


@pytest.mark.parametrize("answered", [0, 1])
def test_packages_the_database_did_not_answer_for_mean_no_complete_audit(answered: int) -> None:
    """What a registry mirror without PyPI's per-release JSON gives: a 404 for each package."""
    skipped = {"name": "b", "skip_reason": "Dependency not found on PyPI: b (1.0)"}
    report = {"dependencies": [package("a")] * answered + [skipped]}
    verdict = judge(report, "", "db")
    assert verdict.code == NOT_REACHED
    expected = "the audit is incomplete" if answered else "no audit was done"
    assert verdict.lines[-1].endswith(expected)


def test_an_unreachable_database_is_one_plain_line_and_exit_3() -> None:
    """OSV on a local port that refuses connections: pip-audit's traceback becomes one line."""
    with socket.socket() as refusing:  # bound, never listening: connections are refused
        refusing.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{refusing.getsockname()[1]}/v1/query"
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        done = subprocess.run(
            [
                sys.executable,
                ROOT / "scripts/audit.py",
                "--service",
                "osv",
                "--osv-url",
                url,
                ROOT / "requirements.lock",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
    assert done.returncode == NOT_REACHED, done.stderr
    assert done.stderr.splitlines() == [
        f"make audit: the advisory database (OSV at {url}) could not be reached"
        " (Connection refused); no audit was done"
    ]
    assert done.stdout == ""
