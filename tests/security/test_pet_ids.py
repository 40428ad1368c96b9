"""Finding 4: a client-chosen pet_id told whether another owner's pet exists, and squatted ids."""

from __future__ import annotations

from uuid import UUID, uuid4

import httpx

from application.access import Role
from tests.e2e.api import assert_problem, new_sub, register_pet
from tests.e2e.server import Server


def test_a_client_cannot_choose_a_pet_id(
    client: httpx.Client, server: Server, owner: dict[str, str]
) -> None:
    # Another owner's pet: choosing its id must not tell whether it exists.
    other = server.auth(Role.OWNER, sub=new_sub())
    theirs = register_pet(client, other)["pet_id"]

    taken = client.post(
        "/pets", headers=owner, json={"name": "R", "species": "d", "pet_id": theirs}
    )
    free = client.post(
        "/pets", headers=owner, json={"name": "R", "species": "d", "pet_id": str(uuid4())}
    )

    # The same answer either way, and nothing registered.
    assert_problem(taken, 422, "validation_error")
    assert_problem(free, 422, "validation_error")
    assert taken.json()["errors"] == free.json()["errors"]


def test_the_server_chooses_a_fresh_id_every_time(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    ids = {register_pet(client, owner)["pet_id"] for _ in range(5)}

    assert len(ids) == 5
    assert all(UUID(pet_id).version == 4 for pet_id in ids)
