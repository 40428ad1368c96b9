"""The library's recorder test module imports at all (its tests are skipped, with why, if not)."""

from __future__ import annotations

from tests.contract.library import require_library_suite


def test_the_library_s_conformance_modules_can_be_imported() -> None:
    require_library_suite()
