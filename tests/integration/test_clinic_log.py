"""Clinic events in the pets' log: projected exactly once, rebuilt, verified, tamper-evident."""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import Tracking

from application.bookings import PetBookings
from application.clinics import ClinicDirectory
from application.projection import AppointmentsView, PositionMovedError
from application.read_model import BatchChanges, ClinicRow
from application.rebuild import rebuild_read_model
from interface.auditing import open_audit
from interface.settings import Settings
from tests.integration.audit_support import AUDITOR, findings, new_owner, pet_with_a_story
from tests.integration.projection_support import expected, logged_events, read_tables, worker_for
from tests.integration.test_tamper_evidence import run_verify
from tests.integration.test_verify_read_tables import execute, read_table_findings
from tests.raw_events import raw_events


def a_mixed_log(bookings: PetBookings, view: AppointmentsView) -> tuple[UUID, UUID]:
    """Pets and clinics interleaved: a clinic added, a pet's story, the clinic renamed twice."""
    directory = ClinicDirectory(bookings, view)
    norte = directory.add_clinic("Norte", "Calle 1").clinic_id
    pet_with_a_story(bookings, new_owner())
    sur = directory.add_clinic("Sur", "Calle 2").clinic_id
    directory.rename_clinic(norte, "Norte Centro")
    pet_with_a_story(bookings, new_owner())
    directory.rename_clinic(norte, "Norte Plaza")
    return norte, sur


def test_a_mixed_log_projects_to_its_fold_in_any_batch_size(
    bookings: PetBookings, view: AppointmentsView
) -> None:
    norte, sur = a_mixed_log(bookings, view)

    worker_for(bookings, view, batch_size=3).catch_up()

    tables = read_tables(view)
    assert tables == expected(bookings)
    assert tables.clinics == {
        norte: ClinicRow(norte, "Norte Plaza", "Calle 1", 3),
        sur: ClinicRow(sur, "Sur", "Calle 2", 1),
    }
    assert len(tables.pets) == 2


def test_a_batch_adding_and_renaming_a_clinic_equals_one_event_at_a_time(
    bookings: PetBookings, view: AppointmentsView
) -> None:
    a_mixed_log(bookings, view)

    worker_for(bookings, view, batch_size=1000).catch_up()
    in_one_batch = read_tables(view)
    rebuild_read_model(bookings, view, batch_size=1)

    assert read_tables(view) == in_one_batch == expected(bookings)


def test_replaying_an_applied_batch_with_clinic_events_changes_nothing(
    bookings: PetBookings, view: AppointmentsView
) -> None:
    a_mixed_log(bookings, view)
    changes = BatchChanges()
    events = list(logged_events(bookings))
    for event, position in events:
        changes.add(event, position)
    last = events[-1][1]
    view.apply_batch(changes, Tracking("appointments", last), expected=0)
    before = read_tables(view)

    # The same batch again, as a crashed-and-restarted worker would try it.
    with pytest.raises(PositionMovedError):
        view.apply_batch(changes, Tracking("appointments", last), expected=0)

    assert read_tables(view) == before == expected(bookings)


def test_a_restarted_worker_resumes_between_clinic_events(
    bookings: PetBookings, view: AppointmentsView
) -> None:
    a_mixed_log(bookings, view)
    # The first worker applies the first clinic and part of a pet's story, then dies.
    worker_for(bookings, view).projection.process_batch(list(islice(logged_events(bookings), 3)), 0)

    worker_for(bookings, view, batch_size=2).catch_up()

    assert read_tables(view) == expected(bookings)


def test_rebuild_rebuilds_the_clinics_table_too(
    bookings: PetBookings, view: AppointmentsView, settings: Settings
) -> None:
    norte, _ = a_mixed_log(bookings, view)
    worker_for(bookings, view).catch_up()
    execute(settings, view, "UPDATE clinics SET name = ? WHERE clinic_id = ?", "Forged", str(norte))
    assert read_tables(view) != expected(bookings)

    rebuild_read_model(bookings, view)

    assert read_tables(view) == expected(bookings)


def test_verify_passes_a_mixed_log_and_counts_pets_and_clinics(
    bookings: PetBookings, view: AppointmentsView, settings: Settings, tmp_path: Path
) -> None:
    a_mixed_log(bookings, view)
    worker_for(bookings, view).catch_up()

    verify = run_verify(settings, tmp_path)

    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "OK, 12 events of 2 pets and 2 clinics" in verify.stdout


def test_an_edited_clinic_event_is_reported_by_clinic_and_version(
    bookings: PetBookings, view: AppointmentsView, settings: Settings, tmp_path: Path
) -> None:
    norte, _ = a_mixed_log(bookings, view)
    raw = raw_events(bookings, settings)

    # Someone with database access moves the clinic elsewhere, behind the log's back.
    raw.set_state(norte, 1, raw.state(norte, 1).replace(b'"Calle 1"', b'"Calle 9"'))
    verify = run_verify(settings, tmp_path)

    assert verify.returncode == 1
    assert f"clinic {norte} version 1: content does not match its hash (altered)" in verify.stdout
    assert [(f.subject, f.pet_id, f.version) for f in findings(bookings)] == [("clinic", norte, 1)]


def test_a_removed_rename_is_reported(
    bookings: PetBookings, view: AppointmentsView, settings: Settings
) -> None:
    norte, _ = a_mixed_log(bookings, view)

    raw_events(bookings, settings).delete(norte, 2)

    [finding] = findings(bookings)
    assert (finding.subject, finding.pet_id, finding.version) == ("clinic", norte, 2)
    assert str(finding) == f"hash chain: clinic {norte} version 2: missing (removed)"


def test_an_undecodable_clinic_row_is_named_as_the_clinics(
    bookings: PetBookings, view: AppointmentsView, settings: Settings
) -> None:
    norte, _ = a_mixed_log(bookings, view)

    raw_events(bookings, settings).set_state(norte, 2, b'{"name": "Nor')

    [finding] = findings(bookings)
    assert (finding.subject, finding.pet_id, finding.version) == ("clinic", norte, 2)
    assert finding.message.startswith("cannot be read (altered)")


def test_an_edited_clinic_row_is_reported_by_the_read_tables_check(
    bookings: PetBookings, view: AppointmentsView, settings: Settings
) -> None:
    norte, sur = a_mixed_log(bookings, view)
    worker_for(bookings, view).catch_up()

    execute(settings, view, "DELETE FROM clinics WHERE clinic_id = ?", str(sur))
    execute(settings, view, "UPDATE clinics SET address = ? WHERE clinic_id = ?", "X", str(norte))
    found, _ = read_table_findings(bookings, view)

    assert sorted((f.subject, f.pet_id) for f in found) == sorted(
        [("clinic", norte), ("clinic", sur)]
    )


def test_the_log_lists_clinic_events_typed_with_their_clinic(
    bookings: PetBookings, view: AppointmentsView
) -> None:
    norte, sur = a_mixed_log(bookings, view)

    items = open_audit(bookings).events(AUDITOR, limit=1000).items

    clinic_events = [(i.type, getattr(i, "clinic_id", None), i.version, i.data) for i in items]
    assert [e for e in clinic_events if e[1] is not None] == [
        ("ClinicAdded", norte, 1, {"name": "Norte", "address": "Calle 1", "added_by": "operator"}),
        ("ClinicAdded", sur, 1, {"name": "Sur", "address": "Calle 2", "added_by": "operator"}),
        ("ClinicRenamed", norte, 2, {"name": "Norte Centro", "renamed_by": "operator"}),
        ("ClinicRenamed", norte, 3, {"name": "Norte Plaza", "renamed_by": "operator"}),
    ]
    assert {i.type for i in items} - {e[0] for e in clinic_events if e[1] is not None} == {
        "Registered",
        "BookingRequested",
        "Cancelled",
    }
