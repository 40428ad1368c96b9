"""The e2e suite's running servers and users, for the security tests that go over HTTP."""

from tests.e2e.conftest import (  # noqa: F401 (fixtures, re-exported for this folder)
    client,
    clinic_id,
    e2e_db_url,
    owner,
    owner_sub,
    pet_id,
    request_id,
    server,
    staff,
)
