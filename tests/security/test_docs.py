"""Hardening: /docs loads nothing from another host, and says so in its CSP."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

from interface.http.docs import SWAGGER_UI


class _Assets(HTMLParser):
    """The URLs a page's <script src> and <link href> make a browser load."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href"}.get(tag)
        self.urls += [value for name, value in attrs if name == wanted and value]


def assets_of(page: str) -> list[str]:
    parser = _Assets()
    parser.feed(page)
    return parser.urls


def directives(policy: str) -> dict[str, list[str]]:
    parsed = (directive.split() for directive in policy.split(";") if directive.strip())
    return {name: sources for name, *sources in parsed}


def test_docs_loads_every_script_and_stylesheet_from_this_service(client: httpx.Client) -> None:
    page = client.get("/docs")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    urls = assets_of(page.text)
    assert any(url.endswith(".js") for url in urls)
    for url in urls:
        absolute = urljoin(str(page.url), url)
        assert urlsplit(absolute).netloc == urlsplit(str(page.url)).netloc, url
        assert client.get(absolute).status_code == 200, url
    assert not re.search(r"https?://", page.text)


def test_docs_forbids_inline_and_foreign_scripts(client: httpx.Client) -> None:
    policy = directives(client.get("/docs").headers["content-security-policy"])

    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_redoc_and_the_cdn_pages_are_gone(client: httpx.Client) -> None:
    assert client.get("/redoc").status_code == 404
    assert "/docs" not in client.get("/openapi.json").json()["paths"]


def test_the_bundled_swagger_ui_reads_the_openapi_version_we_serve(client: httpx.Client) -> None:
    # Swagger UI 4 refuses an OpenAPI 3.1 document: the page would show only an error.
    openapi = client.get("/openapi.json").json()["openapi"]
    swagger_major = int(SWAGGER_UI.name.removeprefix("swagger-ui-").split(".")[0])

    assert openapi.startswith("3.1.")
    assert swagger_major >= 5, f"{SWAGGER_UI.name} cannot render OpenAPI {openapi}"
