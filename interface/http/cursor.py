"""Opaque paging cursors: clients pass them back, never build them."""

from __future__ import annotations

import base64
import binascii

from fastapi.exceptions import RequestValidationError

PREFIX = "p:"
MAX_POSITION = 2**63 - 1  # A PostgreSQL bigint.


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"{PREFIX}{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, field: str = "after") -> int:
    if cursor is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        digits = text.removeprefix(PREFIX)
        if (
            text.startswith(PREFIX)
            and digits.isascii()
            and digits.isdigit()
            and int(digits) <= MAX_POSITION
        ):
            return int(digits)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise RequestValidationError(
        [
            {
                "loc": ("query", field),
                "msg": "not a cursor this service issued",
                "type": "value_error",
            }
        ]
    )
