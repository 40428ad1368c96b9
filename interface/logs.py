"""Structured logs: one JSON object per line, carrying the request id of the request.

A record is always one line, whatever its message says: a client's text in a
message cannot start a forged record. Only an exception's traceback, in text
format, spans lines.
"""

from __future__ import annotations

import contextvars
import json
import logging
from datetime import UTC, datetime
from typing import Any

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Every character str.splitlines() breaks at, and what a terminal obeys: C0, DEL, C1,
# and the Unicode line and paragraph separators.
_CONTROLS = [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]
_TEXT_ESCAPES = {
    code: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(
        chr(code), f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    )
    for code in _CONTROLS
}
# json.dumps escapes C0 itself; what it leaves raw is escaped the JSON way, which decodes back.
_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in _CONTROLS if code >= 0x7F}


# Before every line of a traceback: an exception's message may quote a client's text, and no
# line it spans may start what reads as a record of its own.
TRACEBACK_MARGIN = "  | "


class TextFormatter(logging.Formatter):
    """The plain format, on one line; a traceback follows it, each line behind a margin."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        return super().formatMessage(record).translate(_TEXT_ESCAPES)

    def formatException(self, ei: Any) -> str:  # noqa: N802 (logging's name)
        lines = super().formatException(ei).splitlines()
        return "\n".join(TRACEBACK_MARGIN + line for line in lines)

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 (logging's name)
        return "\n".join(TRACEBACK_MARGIN + line for line in stack_info.splitlines())


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (current := request_id.get()) is not None:
            entry["request_id"] = current
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)


def logging_config(level: str, log_format: str) -> dict[str, Any]:
    """A dictConfig for our loggers and uvicorn's (its access log is ours instead)."""
    formatter = (
        {"()": JsonFormatter} if log_format == "json" else {"()": TextFormatter, "fmt": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "default"}},
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
        },
    }
