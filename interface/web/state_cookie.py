"""Starlette's signed session cookie, for the provider sign-in's state alone.

Built on first use: its key derives from the token secret, which the app's
lifespan loads (a secret file may have to be read or made first).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

COOKIE = "booking_signin_state"
LIFETIME_SECONDS = 600


class SignedStateCookie:
    def __init__(self, app: ASGIApp, secret: Callable[[], str], https: bool) -> None:
        self.app = app
        self.secret = secret
        self.https = https
        self._inner: SessionMiddleware | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._inner is None:
            # Its own key: a leaked state cookie tells nothing about the token secret.
            key = hmac.new(self.secret().encode(), b"sign-in state", hashlib.sha256).hexdigest()
            self._inner = SessionMiddleware(
                self.app,
                secret_key=key,
                session_cookie=COOKIE,
                max_age=LIFETIME_SECONDS,
                path="/console",
                same_site="lax",
                https_only=self.https,
            )
        await self._inner(scope, receive, send)
