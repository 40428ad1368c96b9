"""The library's conformance modules import at all (they are skipped, with why, when not)."""

from __future__ import annotations

from tests.contract.library import require_library_suite


def test_the_library_s_conformance_modules_can_be_imported() -> None:
    require_library_suite()
