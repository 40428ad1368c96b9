"""What the pending list refuses: bad paging parameters are 422 problems."""

from __future__ import annotations

import base64
from uuid import UUID, uuid4

import httpx
import pytest

from application.access import Role
from tests.e2e.api import assert_problem, new_sub, pending_requests
from tests.e2e.server import Server


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


BAD_PARAMS: dict[str, dict[str, str | int]] = {
    "limit 0": {"limit": 0},
    "limit 501": {"limit": 501},
    "limit not a number": {"limit": "many"},
    "min_position negative": {"min_position": -1},
    "min_position not a number": {"min_position": "head"},
    "cursor garbage": {"after": "garbage"},
    "cursor not base64": {"after": "%%%"},
    "cursor negative": {"after": _cursor("p:-1")},
    "cursor wrong prefix": {"after": _cursor("q:12")},
    "cursor too long": {"after": "x" * 101},
    # Positions are 64-bit: no cursor the service issues goes beyond 2**63 - 1.
    "cursor beyond 64 bits": {"after": _cursor(f"p:{2**63}")},
    "cursor of 20 nines": {"after": _cursor("p:" + "9" * 20)},
    # Only ASCII digits: str.isdigit() and int() also take "\u0663" (Arabic-Indic three).
    "cursor non-ascii digit": {"after": _cursor("p:\u0663")},
}


@pytest.mark.parametrize("params", list(BAD_PARAMS.values()), ids=list(BAD_PARAMS))
def test_bad_paging_parameters_are_validation_errors(
    client: httpx.Client, staff: dict[str, str], clinic_id: UUID, params: dict[str, str | int]
) -> None:
    response = pending_requests(client, staff, clinic_id, **params)

    assert_problem(response, 422, "validation_error")


def test_a_clinic_id_that_is_not_a_uuid_is_a_validation_error(
    client: httpx.Client, server: Server
) -> None:
    staff = server.auth(Role.STAFF, sub=new_sub("staff"), clinic_id=uuid4())

    response = client.get("/clinics/not-a-uuid/pending-requests", headers=staff)

    assert_problem(response, 422, "validation_error")
