"""Security headers on every answer, the 500 of an unhandled error included."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# JSON and problem answers load nothing and are framed by nobody; a page that
# needs more (the /docs page) sends its own policy, which is left alone.
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"


class SecurityHeaders:
    """nosniff, no referrer, a strict CSP (unless a page sets its own); no-store if signed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # An answer to a request with credentials is that user's: no cache may keep it.
        authenticated = any(name == b"authorization" for name, _ in scope["headers"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                headers["x-content-type-options"] = "nosniff"
                headers.setdefault("referrer-policy", "no-referrer")
                headers.setdefault("content-security-policy", API_CONTENT_SECURITY_POLICY)
                if authenticated:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HardenedFastAPI(FastAPI):
    """FastAPI with SecurityHeaders around its whole middleware stack."""

    def build_middleware_stack(self) -> ASGIApp:
        # Outside Starlette's ServerErrorMiddleware, which sends its 500 straight
        # to the server, past any middleware added with add_middleware.
        return SecurityHeaders(super().build_middleware_stack())
