"""/docs: Swagger UI served from this service alone, no CDN, no inline script."""

from __future__ import annotations

from html import escape
from pathlib import Path

import swagger_ui_bundle  # type: ignore[import-untyped]
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
SWAGGER_UI = Path(swagger_ui_bundle.swagger_ui_path)
ASSETS = "/docs/assets"

# Checked in Chromium, Try it out and Authorize included: Swagger UI 5 needs
# nothing from elsewhere and no inline code, only its icons as data: images.
DOCS_CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} - API</title>
<link rel="stylesheet" href="{assets}/swagger-ui/swagger-ui.css">
<link rel="icon" type="image/png" href="{assets}/swagger-ui/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="{assets}/swagger-ui/swagger-ui-bundle.js"></script>
<script src="{assets}/page/docs.js"></script>
</body>
</html>
"""


def install_docs(app: FastAPI) -> None:
    """Serve the page at /docs and its assets under /docs/assets; /redoc stays off."""
    app.mount(f"{ASSETS}/swagger-ui", StaticFiles(directory=SWAGGER_UI), name="swagger-ui")
    app.mount(f"{ASSETS}/page", StaticFiles(directory=STATIC), name="docs-page")

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = PAGE.format(
            title=escape(app.title),
            assets=escape(root + ASSETS),
            openapi_url=escape(root + (app.openapi_url or "")),
        )
        return HTMLResponse(page, headers={"Content-Security-Policy": DOCS_CONTENT_SECURITY_POLICY})
