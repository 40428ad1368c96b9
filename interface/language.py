"""Accept-Language negotiation between the clinic's Spanish and English."""

from __future__ import annotations

# Longer than any honest Accept-Language.
MAX_LANGUAGE_BYTES = 256


def language_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Only the request's plausible Accept-Language: what a refusal of oversized headers reads."""
    return [
        (name, value)
        for name, value in headers
        if name == b"accept-language" and len(value) <= MAX_LANGUAGE_BYTES
    ]


def prefers_english(accept_language: str | None) -> bool:
    """True when English outranks Spanish in the header; Spanish is the default."""
    best_language, best_quality = "es", 0.0
    for item in (accept_language or "").split(","):
        tag, _, params = item.strip().partition(";")
        language = tag.strip().lower().split("-")[0]
        if language not in ("es", "en"):
            continue
        quality = _quality(params)
        if quality > best_quality:
            best_language, best_quality = language, quality
    return best_language == "en"


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0
