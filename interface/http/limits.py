"""Abuse limits: caps on request headers and bodies, checked before any handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class PayloadTooLargeError(HTTPException):
    """Raised mid-read for streamed bodies; an HTTPException so FastAPI passes it on."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


class SizeLimit:
    """A middleware that answers with `refuse` what is over `max_bytes`."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        refuse: Callable[[Scope, Receive, Send], Awaitable[None]],
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.refuse = refuse


class BodySizeLimit(SizeLimit):
    """Refuses bodies over `max_bytes`, declared or streamed, before a handler reads them."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self.refuse(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise PayloadTooLargeError
            return message

        await self.app(scope, counting_receive, send)


class HeaderSizeLimit(SizeLimit):
    """Refuses requests whose headers together exceed `max_bytes`, before anything reads them."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Counted as on the wire: "name: value" and its line end.
        if scope["type"] == "http" and self.max_bytes < sum(
            len(name) + len(value) + 4 for name, value in scope["headers"]
        ):
            await self.refuse(scope, receive, send)
            return
        await self.app(scope, receive, send)
