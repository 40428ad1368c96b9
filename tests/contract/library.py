"""What the library's conformance modules need to be imported at all."""

from __future__ import annotations

import importlib.util

import pytest

from tests.stores import POSTGRES_REQUIRED

CIPHER_MODULE = "Crypto"
MISSING = (
    "eventsourcing/tests/persistence.py imports eventsourcing.cipher, which needs pycryptodome "
    "(the eventsourcing[crypto] extra), not installed: the library's recorder tests cannot run"
)


def require_library_suite() -> None:
    """Skip visibly when it cannot be imported; fail instead when CI demands PostgreSQL tests."""
    if importlib.util.find_spec(CIPHER_MODULE) is None:
        if POSTGRES_REQUIRED:
            pytest.fail(MISSING + " (BOOKING_REQUIRE_POSTGRES=1)")
        pytest.skip(MISSING)
