"""What events may carry: tidy text, and dates inside the booking horizon.

Checked here, before any event is triggered, so no way into the system (HTTP,
the console, the CLI, a script) can store text that breaks a reader or a
screen: NUL and other control characters, lone surrogates, or the invisible
characters that make a name display as something else.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta


class InvalidValueError(ValueError):
    """A command's field that no event may carry; `field` names it as the caller sent it.

    `reason` is the English sentence the API returns; `rule` and `details` say the
    same as data (e.g. "too_long", {"max_length": 100}), so a page can say it in
    its reader's language. A refusal with no `rule` has only its `reason`.
    """

    def __init__(
        self,
        field: str,
        reason: str,
        *,
        rule: str | None = None,
        details: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.rule = rule
        self.details: Mapping[str, object] = details or {}


# Unicode bidi controls (UAX #9): they reorder what follows, so "Luna" can display as a lie.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Invisible characters that make two different strings look the same. Zero-width joiners
# (U+200C, U+200D) are not here: emoji sequences and several scripts need them.
INVISIBLE = frozenset(
    "\u00ad\u034f\u180e\u200b\u2060\u2061\u2062\u2063\u2064\ufeff"
    # Deprecated format controls, interlinear annotation, and the Hangul fillers that render blank.
    "\u206a\u206b\u206c\u206d\u206e\u206f\ufff9\ufffa\ufffb\u115f\u1160\u3164\uffa0"
)
LINE_BREAKS = "\t\n"


@dataclass(frozen=True)
class TextRule:
    """How long a field may be, and whether it may span lines (notes) or be absent."""

    max_length: int
    multiline: bool = False

    def clean(self, field: str, value: str) -> str:
        """The value as stored: NFC, trimmed, refused if it holds a forbidden character.

        Characters are checked before trimming: a tab or a control character at
        either end is refused, not quietly dropped.
        """
        if not isinstance(value, str):
            raise InvalidValueError(field, "must be text", rule="not_text")
        if self.multiline:
            # Browsers submit a textarea's line breaks as CRLF.
            value = value.replace("\r\n", "\n")
        for index, character in enumerate(value):
            if problem := self._forbidden(character):
                code_point = f"U+{ord(character):04X}"
                raise InvalidValueError(
                    field,
                    f"{FORBIDDEN[problem]} {code_point} at position {index}",
                    rule=problem,
                    details={"code_point": code_point, "position": index},
                )
        # Normalised before measuring: NFC can lengthen text (U+1D160 becomes three characters).
        value = unicodedata.normalize("NFC", value).strip()
        if not self.multiline and not value:
            raise InvalidValueError(field, "must not be blank", rule="blank")
        if len(value) > self.max_length:
            raise InvalidValueError(
                field,
                f"must be at most {self.max_length} characters",
                rule="too_long",
                details={"max_length": self.max_length},
            )
        return value

    def clean_optional(self, field: str, value: str | None) -> str | None:
        return None if value is None else self.clean(field, value)

    def _forbidden(self, character: str) -> str | None:
        if self.multiline and character in LINE_BREAKS:
            return None
        category = unicodedata.category(character)
        if category == "Cc":
            return "control_character"
        if category == "Cs":
            return "unpaired_surrogate"
        if category in ("Zl", "Zp"):
            return "line_separator"
        if character in BIDI_CONTROLS:
            return "bidirectional_control"
        if character in INVISIBLE:
            return "invisible_character"
        return None


# A forbidden character's rule, and how the API's English reason names it.
FORBIDDEN = {
    "control_character": "control character",
    "unpaired_surrogate": "unpaired surrogate",
    "line_separator": "line separator",
    "bidirectional_control": "bidirectional control",
    "invisible_character": "invisible character",
}


# A client's key for retrying a request, stored with it and shown to auditors. Kept
# exactly as sent, since it identifies the request: so visible ASCII only, the
# shape of the HTTP header that carries it, whichever door it came through.
IDEMPOTENCY_KEY_MAX_LENGTH = 200
# The same rule as a pattern, for the doors' schemas (the HTTP header, the console's form).
IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7e]+$"


def clean_idempotency_key(field: str, key: str | None) -> str | None:
    if key is None:
        return None
    if not isinstance(key, str):
        raise InvalidValueError(field, "must be text", rule="not_text")
    if not key:
        raise InvalidValueError(field, "must not be blank", rule="blank")
    for index, character in enumerate(key):
        if not "\x21" <= character <= "\x7e":
            code_point = f"U+{ord(character):04X}"
            raise InvalidValueError(
                field,
                f"must be visible ASCII: {code_point} at position {index}",
                rule="not_visible_ascii",
                details={"code_point": code_point, "position": index},
            )
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise InvalidValueError(
            field,
            f"must be at most {IDEMPOTENCY_KEY_MAX_LENGTH} characters",
            rule="too_long",
            details={"max_length": IDEMPOTENCY_KEY_MAX_LENGTH},
        )
    return key


# Who acted (a token's `sub`): stored in every event, shown to staff and auditors.
ACTOR_ID = TextRule(max_length=200)
PET_NAME = TextRule(max_length=100)
SPECIES = TextRule(max_length=50)
SERVICE = TextRule(max_length=100)
NOTES = TextRule(max_length=1000, multiline=True)
REASON = TextRule(max_length=500)
# A clinic as owners pick it and staff see it: one line each, shown in lists.
CLINIC_NAME = TextRule(max_length=120)
ADDRESS = TextRule(max_length=300)

# Every time zone's today: from UTC-12 to UTC+14.
EARLIEST_OFFSET = timedelta(hours=12)
LATEST_OFFSET = timedelta(hours=14)
# Clocks of the staff's device and of the server never agree exactly.
CLOCK_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class BookingHorizon:
    """Dates a booking may name: not in the past, at most `days_ahead` days ahead.

    A preferred date is a calendar day, so "today" is today anywhere on Earth;
    a scheduled time is an instant, with a few minutes of tolerance for clocks.
    """

    days_ahead: int = 730

    def check_preferred_date(self, field: str, value: date | None, now: datetime) -> None:
        if value is None:
            return
        earliest = (now - EARLIEST_OFFSET).date()
        latest = (now + LATEST_OFFSET).date() + timedelta(days=self.days_ahead)
        if not earliest <= value <= latest:
            raise InvalidValueError(
                field,
                f"must be between {earliest} and {latest}",
                rule="out_of_range",
                details={"earliest": str(earliest), "latest": str(latest)},
            )

    def check_starts_at(self, field: str, value: datetime, now: datetime) -> None:
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidValueError(field, "must carry a time zone offset", rule="no_offset")
        earliest = now - CLOCK_TOLERANCE
        latest = now + timedelta(days=self.days_ahead)
        if not earliest <= value <= latest:
            bounds = {
                "earliest": f"{earliest.astimezone(UTC):%Y-%m-%dT%H:%MZ}",
                "latest": f"{latest.astimezone(UTC):%Y-%m-%dT%H:%MZ}",
            }
            raise InvalidValueError(
                field,
                "must be between {earliest} and {latest}".format(**bounds),
                rule="out_of_range",
                details=bounds,
            )


DEFAULT_HORIZON = BookingHorizon()
