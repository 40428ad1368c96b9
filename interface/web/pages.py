"""Rendering a console page: the template, the user's language, the session, a strict CSP."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from domain.values import InvalidValueError
from interface.bootstrap import System
from interface.language import prefers_english
from interface.web.session import Session
from interface.web.texts import Texts

HERE = Path(__file__).parent
STATIC_URL = "/console/static"


def content_security_policy(provider_origin: str | None) -> str:
    """Scripts and styles only from this site, no inline code; forms post only here, or
    (signing out) end up at the identity provider, which browsers check on the redirect."""
    form_action = "form-action 'self'" + (f" {provider_origin}" if provider_origin else "")
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "connect-src 'self'",
            form_action,
            "base-uri 'none'",
            "frame-ancestors 'none'",
        )
    )


def provider_origin(request: Request) -> str | None:
    issuer = request.app.state.settings.oidc_issuer
    if request.app.state.console_oidc is None or issuer is None:
        return None
    parts = urlsplit(issuer)
    return f"{parts.scheme}://{parts.netloc}"


TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,  # Every value is escaped: a pet named <script> is text.
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def texts_for(request: Request) -> Texts:
    return Texts(english=prefers_english(request.headers.get("accept-language")))


def system_of(request: Request) -> System:
    system: System = request.app.state.system
    return system


def page(
    request: Request,
    template: str,
    session: Session | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    t = texts_for(request)
    html = TEMPLATES.get_template(template).render(
        t=t,
        session=session,
        static=STATIC_URL,
        provider_sign_in=request.app.state.console_oidc is not None,
        # Messages by key: `alert` and `notice` name texts, `problem` a problem code,
        # `invalid` is the domain's refusal of a field.
        **{name: context.pop(name, None) for name in ("alert", "notice", "problem", "invalid")},
        # What the person typed into a refused form, shown again for them to correct.
        typed=context.pop("typed", {}),
        **context,
    )
    return HTMLResponse(
        html,
        status_code=status_code,
        headers={
            "Content-Security-Policy": content_security_policy(provider_origin(request)),
            "Content-Language": t.language,
            "Cache-Control": "no-store",
            # Not `no-referrer` (the API's): with it Chromium sends `Origin: null` on a
            # form post, and the Origin check could not tell this site from another.
            "Referrer-Policy": "same-origin",
            "Vary": "Accept-Language, Cookie",
        },
    )


def in_clinic_time(moment: datetime, zone_name: str, field: str) -> datetime:
    """A time from a date-and-time field (no zone) read in the clinic's time zone.

    A time the clocks skip (a spring-forward gap) is refused rather than shifted.
    """
    if moment.tzinfo is not None:
        return moment
    zone = ZoneInfo(zone_name)
    aware = moment.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment:
        raise InvalidValueError(
            field,
            f"does not exist in {zone_name} (the clocks skip it)",
            rule="skipped_time",
            details={"zone": zone_name},
        )
    return aware


def see_other(url: str) -> RedirectResponse:
    """After a form: the browser GETs the result, so reloading never posts twice."""
    return RedirectResponse(url, status_code=303)
