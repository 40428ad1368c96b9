"""`booking clinic add|rename|list` as real processes, beside a running server that lists them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from uuid import UUID, uuid4

import httpx

from application.access import Role
from tests.e2e.api import json_body, new_sub
from tests.e2e.cli import booking
from tests.e2e.server import Server


def listed(client: httpx.Client, server: Server) -> dict[str, str]:
    """GET /clinics as a fresh owner: id -> name."""
    owner = server.auth(Role.OWNER, sub=new_sub("owner"))
    items = json_body(client.get("/clinics", headers=owner), 200)["items"]
    return {item["clinic_id"]: item["name"] for item in items}


def refused(result: subprocess.CompletedProcess[str], message: str) -> None:
    """Exit 1 with one line saying why, never a traceback."""
    assert result.returncode == 1
    assert result.stderr.strip() == f"booking: {message}"


def test_an_operator_adds_renames_and_lists_a_clinic(
    client: httpx.Client, server: Server, e2e_db_url: str, tmp_path: Path
) -> None:
    name = f"Clínica {uuid4().hex[:8]}"

    # Added: its id alone on stdout, what happened on stderr.
    added = booking(e2e_db_url, tmp_path, "clinic", "add", "--name", name, "--address", "Calle 1")
    assert added.returncode == 0, added.stderr
    clinic_id = UUID(added.stdout.strip())
    assert f"added clinic {clinic_id}: {name}" in added.stderr

    # Listed by the CLI, which first brings the tables up to the log; then by the API.
    shown = booking(e2e_db_url, tmp_path, "clinic", "list")
    assert shown.returncode == 0, shown.stderr
    assert f"{clinic_id}  {name}  Calle 1" in shown.stdout.splitlines()
    assert listed(client, server)[str(clinic_id)] == name

    # Renamed.
    renamed = booking(e2e_db_url, tmp_path, "clinic", "rename", str(clinic_id), "--name", "Sur")
    assert renamed.returncode == 0, renamed.stderr
    shown = booking(e2e_db_url, tmp_path, "clinic", "list")
    assert f"{clinic_id}  Sur  Calle 1" in shown.stdout.splitlines()
    assert listed(client, server)[str(clinic_id)] == "Sur"


def test_an_operator_names_the_id_staff_tokens_already_carry(
    client: httpx.Client, server: Server, e2e_db_url: str, tmp_path: Path
) -> None:
    # Staff of this clinic already hold tokens naming it: the directory takes the same id.
    clinic_id = uuid4()
    staff = server.auth(Role.STAFF, sub=new_sub("staff"), clinic_id=clinic_id)

    named = ["clinic", "add", "--name", "Norte", "--address", "C 1", "--id", str(clinic_id)]
    added = booking(e2e_db_url, tmp_path, *named)
    booking(e2e_db_url, tmp_path, "clinic", "list")

    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == str(clinic_id)
    # Staff find their clinic's name by the id in their token.
    items = json_body(client.get("/clinics", headers=staff), 200)["items"]
    assert {"clinic_id": str(clinic_id), "name": "Norte", "address": "C 1"} in items


def test_refusals_are_one_line_and_exit_1(e2e_db_url: str, tmp_path: Path) -> None:
    taken = booking(e2e_db_url, tmp_path, "clinic", "add", "--name", "Norte", "--address", "C 1")
    clinic_id = taken.stdout.strip()

    again = ["clinic", "add", "--name", "Otra", "--address", "C 2", "--id", clinic_id]
    refused(
        booking(e2e_db_url, tmp_path, *again),
        f"id {clinic_id} is already taken (by a clinic or a pet)",
    )
    unknown = str(uuid4())
    refused(
        booking(e2e_db_url, tmp_path, "clinic", "rename", unknown, "--name", "Sur"),
        f"clinic {unknown} not found",
    )
    refused(
        booking(e2e_db_url, tmp_path, "clinic", "add", "--name", "No\x1brte", "--address", "C"),
        "name: control character U+001B at position 2",
    )
    refused(
        booking(e2e_db_url, tmp_path, "clinic", "rename", clinic_id, "--name", " "),
        "name: must not be blank",
    )


def test_export_prints_clinic_events_with_their_clinic_id(e2e_db_url: str, tmp_path: Path) -> None:
    added = booking(e2e_db_url, tmp_path, "clinic", "add", "--name", "Este", "--address", "C 3")
    clinic_id = added.stdout.strip()
    booking(e2e_db_url, tmp_path, "clinic", "rename", clinic_id, "--name", "Este Plaza")

    exported = booking(e2e_db_url, tmp_path, "export")

    assert exported.returncode == 0, exported.stderr
    events = [json.loads(line) for line in exported.stdout.splitlines()]
    mine = [(e["type"], e["version"], e["data"]) for e in events if e.get("clinic_id") == clinic_id]
    assert mine == [
        ("ClinicAdded", 1, {"name": "Este", "address": "C 3", "added_by": "booking-cli"}),
        ("ClinicRenamed", 2, {"name": "Este Plaza", "renamed_by": "booking-cli"}),
    ]
