"""The dependency rule, checked: the domain imports stdlib and eventsourcing.domain only.

import-linter (run by `make test`) checks our own layers and the external
libraries; it cannot name a submodule of an external package, so this test
narrows eventsourcing down to its domain module.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED_IN_DOMAIN = {"eventsourcing.domain", "domain", "__future__"}
ALLOWED_EVENTSOURCING_IN_APPLICATION = {
    "eventsourcing.application",
    "eventsourcing.domain",
    "eventsourcing.persistence",
    "eventsourcing.projection",
    "eventsourcing.utils",
}


def imported_modules(package: str) -> set[str]:
    modules: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module)
    return modules


def is_stdlib(module: str) -> bool:
    return module.split(".")[0] in sys.stdlib_module_names


def test_the_domain_imports_only_the_standard_library_and_eventsourcing_domain() -> None:
    foreign = {
        m
        for m in imported_modules("domain")
        if not is_stdlib(m) and m not in ALLOWED_IN_DOMAIN and not m.startswith("domain.")
    }

    assert foreign == set()


def test_the_domain_does_no_io() -> None:
    io_modules = {"sqlite3", "socket", "os", "io", "pathlib", "subprocess", "urllib", "http"}

    assert {m.split(".")[0] for m in imported_modules("domain")} & io_modules == set()


def test_the_application_uses_eventsourcing_but_no_store_driver() -> None:
    used = {m for m in imported_modules("application") if m.startswith("eventsourcing")}

    assert used <= ALLOWED_EVENTSOURCING_IN_APPLICATION
