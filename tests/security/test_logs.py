"""Hardening: text in a log message cannot forge another log record."""

from __future__ import annotations

import json
import logging
import logging.config
import sys

import pytest

from interface.logs import logging_config

FORGED = "\nFAKE 2026-01-01 ERROR admin logged in"
# Everything str.splitlines() breaks at, and a terminal's escape character.
BREAKERS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x1b[31m"


def formatter(log_format: str) -> logging.Formatter:
    """The formatter `booking` configures for this format."""
    config = logging_config("info", log_format)
    configurator = logging.config.DictConfigurator(config)
    built: logging.Formatter = configurator.configure_formatter(config["formatters"]["default"])
    return built


def record(message: str, *args: object, failed: bool = False) -> logging.LogRecord:
    exc_info = None
    if failed:
        try:
            raise ValueError("the cause")
        except ValueError:
            exc_info = sys.exc_info()
    return logging.LogRecord("booking.test", logging.ERROR, __file__, 1, message, args, exc_info)


def test_a_text_record_with_a_forged_line_stays_one_line() -> None:
    line = formatter("text").format(record("pet name %s", "Rex" + FORGED))

    assert line.splitlines() == [line]
    assert line.endswith("pet name Rex\\nFAKE 2026-01-01 ERROR admin logged in")


def test_a_text_record_escapes_every_line_breaker_and_escape() -> None:
    line = formatter("text").format(record("%s", BREAKERS))

    assert line.splitlines() == [line]
    assert line.endswith("\\r\\n\\x0b\\x0c\\x1c\\x1d\\x1e\\x85\\u2028\\u2029\\x1b[31m")


def test_the_traceback_of_a_text_record_follows_behind_a_margin() -> None:
    text = formatter("text").format(record("failed for %s", "Rex" + FORGED, failed=True))

    first, *traceback = text.splitlines()
    assert first.endswith("failed for Rex\\nFAKE 2026-01-01 ERROR admin logged in")
    assert traceback[0] == "  | Traceback (most recent call last):"
    assert traceback[-1] == "  | ValueError: the cause"


def test_an_exception_message_cannot_start_a_record_of_its_own() -> None:
    try:
        raise ValueError("bad value" + FORGED)
    except ValueError:
        failed = logging.LogRecord(
            "booking.test", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )

    text = formatter("text").format(failed)

    assert all(line.startswith("  | ") for line in text.splitlines()[1:])


@pytest.mark.parametrize("message", [FORGED, BREAKERS], ids=["forged-line", "line-breakers"])
def test_a_json_record_stays_one_line_and_keeps_its_message(message: str) -> None:
    line = formatter("json").format(record("%s", message))

    assert line.splitlines() == [line]
    assert json.loads(line)["message"] == message
