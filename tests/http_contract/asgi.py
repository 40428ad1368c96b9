"""A synchronous httpx client of an app in this process: ASGITransport on a portal's loop."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi import FastAPI

BASE_URL = "http://service"
TIMEOUT_SECONDS = 15.0


class PortalTransport(httpx.BaseTransport):
    """httpx's ASGITransport for a synchronous client: each request runs on the portal's loop.

    The app's lifespan runs on that same loop, as it would under uvicorn.
    """

    def __init__(self, app: FastAPI, portal: BlockingPortal) -> None:
        # A bug is a 500 for the client, as behind a real server, not an error in the test.
        self._asgi = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self._portal = portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()  # The synchronous client's body, in a form the loop can read too.
        return self._portal.call(self._send, request)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        response = await self._asgi.handle_async_request(request)
        content = await response.aread()
        return httpx.Response(response.status_code, headers=response.headers, content=content)


@contextmanager
def in_process(app: FastAPI) -> Iterator[httpx.Client]:
    """A client of `app`, its lifespan started before the first request and ended after."""
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(app.router.lifespan_context(app)),
        httpx.Client(
            transport=PortalTransport(app, portal), base_url=BASE_URL, timeout=TIMEOUT_SECONDS
        ) as client,
    ):
        yield client
