"""The OpenAPI document as client generators read it: one problem schema, typed per response.

Routes declare their problems with `problems(...)`; `finish_document` adds what
every operation shares (the problem schemas, `Accept-Language`, `X-Request-ID`)
and turns FastAPI's "value or null" for optional inputs into plain optional ones.
"""

from __future__ import annotations

from typing import Any

from interface.http.problems import PROBLEM_MEDIA_TYPE
from interface.problem_catalogue import PROBLEMS

SCHEMAS = "#/components/schemas/"
PROBLEM_REF = {"$ref": SCHEMAS + "Problem"}

# Fields some problems carry besides the standard ones, by code.
PROBLEM_EXTRAS: dict[str, dict[str, dict[str, Any]]] = {
    "pending_request_exists": {
        "pending_request_id": {
            "type": "string",
            "format": "uuid",
            "description": "With `pending_request_exists`: the request in the way, "
            "to show it or cancel it.",
        }
    },
    "projection_behind": {
        "position": {
            "type": "integer",
            "description": "With `projection_behind`: how far the list has got.",
        },
        "min_position": {
            "type": "integer",
            "description": "With `projection_behind`: the position asked for.",
        },
    },
    "projection_halted": {
        "store": {"type": "string", "enum": ["ok"]},
        "projection": {
            "$ref": SCHEMAS + "ProjectionStatus",
            "description": "With `projection_halted`: where it stopped (`state: halted`).",
        },
    },
    "validation_error": {
        "errors": {
            "type": "array",
            "items": {"$ref": SCHEMAS + "ValidationIssue"},
            "description": "With `validation_error`: what is wrong, field by field "
            "(absent when the body is not JSON at all).",
        }
    },
}
_EXTRA_EXAMPLES: dict[str, dict[str, Any]] = {
    "pending_request_exists": {"pending_request_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7"},
    "projection_behind": {"position": 41, "min_position": 42},
    "projection_halted": {
        "store": "ok",
        "projection": {"position": 41, "head": 42, "lag": 1, "state": "halted"},
    },
    "validation_error": {
        "errors": [
            {"loc": ["body", "service"], "msg": "Field required", "type": "missing"},
        ]
    },
}

COMPONENT_SCHEMAS: dict[str, dict[str, Any]] = {
    "ProblemCode": {
        "type": "string",
        "enum": list(PROBLEMS),
        "description": "What went wrong, for programs; stable across releases.",
    },
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details, with a stable machine-readable `code`. "
        "Each response narrows `code` to the codes it can carry.",
        "required": ["type", "title", "status", "detail", "code"],
        "properties": {
            "type": {"type": "string", "description": "`/problems/{code}`."},
            "title": {"type": "string", "description": "The problem in English, for logs."},
            "status": {"type": "integer", "description": "The HTTP status, repeated."},
            "detail": {
                "type": "string",
                "description": "For people: Spanish unless `Accept-Language` prefers English.",
            },
            "code": {"$ref": SCHEMAS + "ProblemCode"},
        },
    },
    "ValidationIssue": {
        "type": "object",
        "required": ["loc", "msg", "type"],
        "properties": {
            "loc": {
                "type": "array",
                "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                "description": "Where: `body`, `query`, `header` or `path`, then the field.",
            },
            "msg": {"type": "string"},
            "type": {"type": "string", "description": "The kind of error, e.g. `missing`."},
        },
    },
}

_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    }
}
# Headers every problem of a status carries (see problems.py), so clients and
# contract tests can rely on them.
_HEADERS: dict[int, dict[str, dict[str, Any]]] = {
    401: {
        "WWW-Authenticate": {
            "description": "The scheme to authenticate with: `Bearer`.",
            "required": True,
            "schema": {"type": "string", "pattern": "^Bearer"},
        }
    },
    429: _RETRY_AFTER,
    503: _RETRY_AFTER,
}
REQUEST_ID_HEADER = {
    "X-Request-ID": {
        "description": "This request's id, as in the service's log line for it.",
        "required": True,
        "schema": {"type": "string"},
    }
}
CONTENT_LANGUAGE_HEADER = {
    "Content-Language": {
        "description": "The language of `detail`: `es` or `en`.",
        "required": True,
        "schema": {"type": "string", "enum": ["es", "en"]},
    }
}
ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "Problems' `detail` is in Spanish unless English ranks higher here "
    "(any other language, or a header that does not parse, means Spanish).",
    "schema": {"type": "string"},
    "example": "en",
}


def location(what: str) -> dict[str, dict[str, Any]]:
    """The `Location` header of a 201, pointing at what was created."""
    return {
        "Location": {
            "description": f"The path of the new {what}.",
            "required": True,
            "schema": {"type": "string"},
        }
    }


def problem_example(code: str) -> dict[str, Any]:
    """The problem a client receives for `code`, detail in Spanish (the default)."""
    problem = PROBLEMS[code]
    return {
        "type": f"/problems/{code}",
        "title": problem.title,
        "status": problem.status,
        "detail": problem.spanish,
        "code": code,
        **_EXTRA_EXAMPLES.get(code, {}),
    }


# The narrowed problem schemas the routes use, by component name: one per set of codes,
# so every operation that can answer exactly `unauthorized` shares `UnauthorizedProblem`.
NARROWED: dict[str, list[str]] = {}
# What any operation that takes a token can answer: no token, or one that grants nothing here,
# or one that cannot be checked (the identity provider down, no key known); and invalid input.
AUTHENTICATED = ("unauthorized", "no_role", "validation_error", "identity_provider_unavailable")
# What any operation can answer, whatever its route: limits checked before routing, and a bug.
ANY_OPERATION = ("payload_too_large", "headers_too_large", "internal_error")


def narrowed_name(codes: list[str]) -> str:
    camel = ("".join(word.capitalize() for word in code.split("_")) for code in codes)
    return "Or".join(camel) + "Problem"


def problem_schema(codes: list[str]) -> dict[str, Any]:
    """The problem schema narrowed to `codes`, with the extra fields those codes carry."""
    properties: dict[str, Any] = {"code": {"type": "string", "enum": codes}}
    for code in codes:
        properties.update(PROBLEM_EXTRAS.get(code, {}))
    return {
        "description": "A problem with one of these codes: " + ", ".join(codes) + ".",
        "allOf": [PROBLEM_REF, {"type": "object", "properties": properties}],
    }


def problems(*codes: str, authenticated: bool = True) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for the given problem codes, grouped by status."""
    implied = AUTHENTICATED if authenticated else ()
    order = list(PROBLEMS)
    by_status: dict[int, list[str]] = {}
    for code in sorted(set(implied) | set(codes), key=order.index):
        by_status.setdefault(PROBLEMS[code].status, []).append(code)
    responses: dict[int | str, dict[str, Any]] = {}
    for status, status_codes in sorted(by_status.items()):
        name = narrowed_name(status_codes)
        NARROWED[name] = status_codes
        responses[status] = {
            "description": ", ".join(PROBLEMS[c].title for c in status_codes),
            "content": {
                PROBLEM_MEDIA_TYPE: {
                    "schema": {"$ref": SCHEMAS + name},
                    "examples": {
                        c: {"summary": PROBLEMS[c].english, "value": problem_example(c)}
                        for c in status_codes
                    },
                }
            },
            **({"headers": _HEADERS[status]} if status in _HEADERS else {}),
        }
    return responses


def declared_codes(operation: dict[str, Any]) -> list[str]:
    """The problem codes an operation's responses declare."""
    return [
        code
        for response in operation["responses"].values()
        for media_type, content in response.get("content", {}).items()
        if media_type == PROBLEM_MEDIA_TYPE
        for code in NARROWED[content["schema"]["$ref"].removeprefix(SCHEMAS)]
    ]


def finish_document(document: dict[str, Any]) -> dict[str, Any]:
    """Add what every operation shares; optional inputs become plainly optional."""
    for path_item in document["paths"].values():
        for operation in path_item.values():
            codes = declared_codes(operation)
            operation["responses"] = {
                **{s: r for s, r in operation["responses"].items() if s.startswith("2")},
                **{
                    str(s): r
                    for s, r in problems(*codes, *ANY_OPERATION, authenticated=False).items()
                },
            }
            parameters = operation.setdefault("parameters", [])
            for parameter in parameters:
                _drop_null(parameter)
            parameters.append(ACCEPT_LANGUAGE)
            if "requestBody" in operation:
                _drop_null(operation["requestBody"], content=True)
            for response in operation["responses"].values():
                headers = response.setdefault("headers", {})
                headers.update(REQUEST_ID_HEADER)
                if PROBLEM_MEDIA_TYPE in response.get("content", {}):
                    headers.update(CONTENT_LANGUAGE_HEADER)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(COMPONENT_SCHEMAS)
    used = {
        content["schema"]["$ref"].removeprefix(SCHEMAS)
        for path_item in document["paths"].values()
        for operation in path_item.values()
        for response in operation["responses"].values()
        for media_type, content in response.get("content", {}).items()
        if media_type == PROBLEM_MEDIA_TYPE
    }
    schemas.update({name: problem_schema(NARROWED[name]) for name in sorted(used)})
    return document


def _drop_null(item: dict[str, Any], content: bool = False) -> None:
    """`X or null` -> `X` for an input that may be left out (a client leaves it out)."""
    if item.get("required", False):
        return
    schemas = (
        [media["schema"] for media in item.get("content", {}).values()]
        if content
        else [item["schema"]]
    )
    for schema in schemas:
        variants = schema.get("anyOf", [])
        others = [v for v in variants if v != {"type": "null"}]
        if len(variants) == 2 and len(others) == 1:
            del schema["anyOf"]
            schema.update(others[0])
            if schema.get("default", "") is None:
                del schema["default"]
            if "$ref" in schema:
                schema.pop("title", None)
