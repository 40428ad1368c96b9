"""The OpenAPI document is valid and complete enough for a client generator and a person.

Valid OpenAPI 3.1; every operation named after its route function, summarised,
with an example; every error response the one problem schema, its `code` an
enum of exactly the codes the route declares; and the README's API tables
saying what the document says.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from openapi_spec_validator import validate

from interface.http.app import create_app
from interface.http.problems import PROBLEM_MEDIA_TYPE
from interface.problem_catalogue import PROBLEMS

README = Path(__file__).parents[2] / "README.md"
DOCUMENT: dict[str, Any] = create_app().openapi()
OPERATIONS = [
    (method, path, operation)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
]
IDS = [operation["operationId"] for _, _, operation in OPERATIONS]
# The README says once that any operation may answer these; its rows list the rest.
COMMON_CODES = {
    "unauthorized",
    "no_role",
    "identity_provider_unavailable",
    "validation_error",
    "store_unavailable",
    "payload_too_large",
    "headers_too_large",
    "internal_error",
}


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def success(operation: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    [(status, response)] = [(s, r) for s, r in operation["responses"].items() if s.startswith("2")]
    return int(status), response


def problem_codes(operation: dict[str, Any]) -> dict[str, int]:
    """Each problem code an operation declares, and its status."""
    return {
        code: int(status)
        for status, response in operation["responses"].items()
        if PROBLEM_MEDIA_TYPE in response.get("content", {})
        for code in narrowed(response["content"][PROBLEM_MEDIA_TYPE]["schema"])["code"]["enum"]
    }


def narrowed(schema: dict[str, Any]) -> dict[str, Any]:
    """The properties a narrowed problem schema adds to `Problem`."""
    problem, added = resolve(schema)["allOf"]
    assert problem == {"$ref": "#/components/schemas/Problem"}
    properties: dict[str, Any] = added["properties"]
    return properties


def test_the_document_is_valid_openapi_3_1() -> None:
    assert DOCUMENT["openapi"].startswith("3.1")

    validate(DOCUMENT)


def test_operation_ids_are_the_route_functions_names() -> None:
    assert sorted(IDS) == sorted(
        [
            "cancel_booking",
            "get_booking_request",
            "get_pet",
            "healthz",
            "list_clinics",
            "list_events",
            "metrics",
            "pending_requests",
            "pet_history",
            "readyz",
            "register_pet",
            "request_booking",
            "schedule_booking",
        ]
    )


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_operation_has_a_summary_a_tag_and_an_example(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    assert operation["summary"].strip()
    assert operation["tags"]
    _, response = success(operation)
    [(media_type, content)] = response["content"].items()
    assert "example" in content or resolve(content["schema"]).get("examples"), media_type
    if "requestBody" in operation:
        [body] = operation["requestBody"]["content"].values()
        assert resolve(body["schema"]).get("examples")


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_error_is_the_problem_schema_narrowed_to_its_codes(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    for status, response in operation["responses"].items():
        if status.startswith("2"):
            continue
        [(media_type, content)] = response["content"].items()
        assert media_type == PROBLEM_MEDIA_TYPE
        added = narrowed(content["schema"])
        codes = added["code"]["enum"]
        assert {PROBLEMS[code].status for code in codes} == {int(status)}
        # One example per code, each a problem the service would send.
        assert set(content["examples"]) == set(codes)
        for code, example in content["examples"].items():
            assert example["value"]["code"] == code
            assert set(example["value"]) <= {"type", "title", "status", "detail", "code"} | set(
                added
            )
        assert "Content-Language" in response["headers"]


def test_status_like_fields_are_enums() -> None:
    schemas = DOCUMENT["components"]["schemas"]

    assert schemas["RequestStatus"]["enum"] == ["active", "cancelled"]
    assert schemas["SchedulingStatus"]["enum"] == ["pending_scheduling", "scheduled"]
    assert schemas["ProjectionState"]["enum"] == ["running", "halted"]
    assert schemas["ProblemCode"]["enum"] == list(PROBLEMS)
    event = schemas["EventPagePublic"]["properties"]["items"]["items"]
    assert event["discriminator"]["propertyName"] == "type"
    assert set(event["discriminator"]["mapping"]) == {
        "Registered",
        "BookingRequested",
        "Cancelled",
        "Scheduled",
        "ClinicAdded",
        "ClinicRenamed",
    }
    # A pet's history holds its own events only.
    history_event = schemas["PetHistoryPublic"]["properties"]["events"]["items"]
    assert set(history_event["discriminator"]["mapping"]) == {
        "Registered",
        "BookingRequested",
        "Cancelled",
        "Scheduled",
    }


def test_optional_inputs_are_plainly_optional_and_every_operation_takes_accept_language() -> None:
    for _, _, operation in OPERATIONS:
        for parameter in operation["parameters"]:
            assert {"type": "null"} not in parameter["schema"].get("anyOf", []), parameter
        assert "Accept-Language" in [p["name"] for p in operation["parameters"]]
        for response in operation["responses"].values():
            assert "X-Request-ID" in response["headers"]
    cancel = DOCUMENT["paths"]["/pets/{pet_id}/booking-requests/{request_id}/cancel"]["post"]
    assert cancel["requestBody"].get("required", False) is False
    assert cancel["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CancelBody"
    }


def test_created_resources_are_located_and_the_bearer_is_a_jwt() -> None:
    for path in ("/pets", "/pets/{pet_id}/booking-requests"):
        status, response = success(DOCUMENT["paths"][path]["post"])
        assert status == 201
        assert "Location" in response["headers"]
    assert DOCUMENT["components"]["securitySchemes"]["HTTPBearer"]["bearerFormat"] == "JWT"
    assert DOCUMENT["servers"]


def readme_rows() -> dict[tuple[str, str], tuple[int, set[str]]]:
    """The README's API tables: (method, path) -> the success status and error codes."""
    rows = {}
    in_api_table = False
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|"):
            in_api_table = False
        elif cells[0] == "method and path":
            in_api_table = True
        elif in_api_table and not cells[0].startswith("---"):
            route = re.fullmatch(r"`(GET|POST) ([^`?\s]+)[^`]*`.*", cells[0])
            status = re.match(r"\d{3}", cells[2])
            assert route is not None, line
            assert status is not None, line
            codes = set(re.findall(r"`([a-z_]+)`", cells[3]))
            assert codes <= set(PROBLEMS), line
            rows[(route[1].lower(), route[2])] = (int(status.group()), codes)
    return rows


def test_the_readmes_api_tables_say_what_the_document_says() -> None:
    rows = readme_rows()

    assert set(rows) == {(method, path) for method, path, _ in OPERATIONS}
    for method, path, operation in OPERATIONS:
        status, codes = rows[(method, path)]
        documented = set(problem_codes(operation))
        assert status == success(operation)[0], (method, path)
        assert codes - COMMON_CODES == documented - COMMON_CODES, (method, path)
        assert codes <= documented, (method, path)


def concrete(path: str) -> str:
    """The path with a fresh id in each parameter."""
    return re.sub(r"\{[a-z_]+\}", lambda _: str(uuid4()), path)


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_the_limits_every_operation_meets_are_documented_on_it(
    client: httpx.Client, owner: dict[str, str], method: str, path: str, operation: dict[str, Any]
) -> None:
    # Checked before routing: any operation can answer them, so each documents them.
    huge_header = {**owner, "X-Padding": "x" * (20 * 1024)}
    huge_body = b"{}" + b" " * (100 * 1024)

    too_long = client.request(method, concrete(path), headers=huge_header)
    too_large = client.request(
        method,
        concrete(path),
        headers={**owner, "Content-Type": "application/json"},
        content=huge_body,
    )

    assert str(too_long.status_code) in operation["responses"]
    assert too_long.json()["code"] in problem_codes(operation)
    assert str(too_large.status_code) in operation["responses"]
    assert too_large.json()["code"] in problem_codes(operation)
