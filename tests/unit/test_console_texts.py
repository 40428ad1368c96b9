"""The console says why a field was refused in the page's language, for every refusal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.values import (
    NOTES,
    PET_NAME,
    BookingHorizon,
    InvalidValueError,
    clean_idempotency_key,
)
from interface.web.pages import in_clinic_time
from interface.web.texts import REASONS, Texts

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
HORIZON = BookingHorizon(days_ahead=30)

REFUSALS: dict[str, Callable[[], object]] = {
    "not_text": lambda: PET_NAME.clean("name", 7),  # type: ignore[arg-type]
    "control_character": lambda: PET_NAME.clean("name", "Rex\x00"),
    "unpaired_surrogate": lambda: PET_NAME.clean("name", "Rex\ud800"),
    "line_separator": lambda: NOTES.clean("notes", "one\u2028two"),
    "bidirectional_control": lambda: NOTES.clean("notes", "Luna\u202e"),
    "invisible_character": lambda: PET_NAME.clean("name", "Re\u200bx"),
    "not_visible_ascii": lambda: clean_idempotency_key("idempotency_key", "tab\u202e1"),
    "blank": lambda: PET_NAME.clean("name", "   "),
    "too_long": lambda: PET_NAME.clean("name", "x" * 101),
    "out_of_range": lambda: HORIZON.check_preferred_date("preferred_date", date(2020, 1, 1), NOW),
    "no_offset": lambda: HORIZON.check_starts_at("starts_at", datetime(2026, 12, 3), NOW),
    "skipped_time": lambda: in_clinic_time(datetime(2026, 3, 29, 2, 30), "Europe/Madrid", "x"),
}


def refusal(rule: str) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as refused:
        REFUSALS[rule]()
    return refused.value


@pytest.mark.parametrize("rule", sorted(REFUSALS))
def test_a_spanish_page_says_why_in_spanish_with_the_refusals_details(rule: str) -> None:
    refused = refusal(rule)

    spanish = Texts(english=False).reason(refused)

    assert refused.rule == rule
    assert spanish != refused.reason
    assert all(str(value) in spanish for value in refused.details.values())


@pytest.mark.parametrize("rule", sorted(REFUSALS))
def test_an_english_page_says_what_the_api_says(rule: str) -> None:
    refused = refusal(rule)

    assert Texts(english=True).reason(refused) == refused.reason


def test_every_spanish_reason_has_a_refusal_that_uses_it() -> None:
    # The auditor's "a version or an instant" is raised by its route; the rest here.
    assert set(REASONS) == {*REFUSALS, "version_or_instant"}


def test_a_refusal_without_a_rule_shows_its_own_reason() -> None:
    refused = InvalidValueError("sub", "must be trimmed")

    assert Texts(english=False).reason(refused) == "must be trimmed"


def test_the_starts_at_bounds_are_the_minutes_the_reason_names() -> None:
    late = NOW + timedelta(days=31)
    with pytest.raises(InvalidValueError) as refused:
        HORIZON.check_starts_at("starts_at", late, NOW)

    assert refused.value.details == {"earliest": "2026-12-02T11:55Z", "latest": "2027-01-01T12:00Z"}
    assert refused.value.reason == "must be between 2026-12-02T11:55Z and 2027-01-01T12:00Z"
