"""The domain's text rules as request-body types: validated by the rule, documented exactly.

The rule itself (domain/values.py) is what refuses a value; the pattern only
tells clients and generated tests the same thing in JSON Schema (ECMA-262).
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints

from domain.values import (
    BIDI_CONTROLS,
    INVISIBLE,
    NOTES,
    PET_NAME,
    REASON,
    SERVICE,
    SPECIES,
    TextRule,
)

# What str.strip() removes, so "blank" means the same here as in the rule.
WHITESPACE = r"\t-\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def _escaped(characters: frozenset[str]) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in sorted(characters))


# Categories Cc (C0, DEL, C1), Zl and Zp, then the listed characters. Lone surrogates (Cs)
# are left out: no JSON parser of ours decodes them into text, and regex engines differ on them.
FORBIDDEN = r"\x00-\x1f\x7f-\x9f\u2028\u2029" + _escaped(BIDI_CONTROLS | INVISIBLE)
FORBIDDEN_IN_NOTES = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029" + _escaped(
    BIDI_CONTROLS | INVISIBLE
)


def _pattern(rule: TextRule) -> str:
    if rule.multiline:
        return rf"^(?:[^{FORBIDDEN_IN_NOTES}]|\r\n)*$"
    return rf"^[^{FORBIDDEN}]*[^{FORBIDDEN}{WHITESPACE}][^{FORBIDDEN}]*$"


def _metadata(rule: TextRule, field: str) -> tuple[Any, ...]:
    """Pydantic metadata: the domain's `rule` cleans the str, its errors located at `field`."""
    return (
        # Lengths of the text as sent; the rule trims it and checks its own length after.
        StringConstraints(min_length=0 if rule.multiline else 1, max_length=rule.max_length),
        AfterValidator(partial(rule.clean, field)),
        Field(json_schema_extra={"pattern": _pattern(rule)}),
    )


PetName = Annotated[str, *_metadata(PET_NAME, "name")]
Species = Annotated[str, *_metadata(SPECIES, "species")]
Service = Annotated[str, *_metadata(SERVICE, "service")]
Notes = Annotated[str, *_metadata(NOTES, "notes")]
Reason = Annotated[str, *_metadata(REASON, "reason")]
