"""The library's recorder conformance tests (eventsourcing/tests/persistence.py) on our store.

Each recorder comes from the application PetBookings builds from Settings
(tests/contract/service.py), on a fresh schema per test. Where a library test
does not apply to us as written, the override says why. (The module is
imported whole: pytest would run test case classes imported by name.)
"""

from __future__ import annotations

import pytest
from eventsourcing.persistence import AggregateRecorder, ProcessRecorder, TrackingRecorder
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresProcessRecorder,
    PostgresTrackingRecorder,
)

from infrastructure.postgres.factory import PetBookingsPostgresFactory
from infrastructure.postgres.recorder import FailFastPostgresApplicationRecorder
from tests.contract.library import CIPHER_MODULE, MISSING
from tests.contract.service import OnOurStore

pytest.importorskip(CIPHER_MODULE, reason=MISSING)  # test_library_suite_runs.py fails in CI.
from eventsourcing.tests import persistence as library

pytestmark = pytest.mark.postgres


class TestApplicationRecorder(
    OnOurStore, library.ApplicationRecorderTestCase[FailFastPostgresApplicationRecorder]
):
    def create_recorder(self) -> FailFastPostgresApplicationRecorder:
        recorder = self.bookings.recorder
        assert isinstance(recorder, FailFastPostgresApplicationRecorder)
        return recorder

    def test_insert_subscribe(self) -> None:
        """Optional in the library; run as its own PostgreSQL recorder runs it (our NOTIFY)."""
        self.optional_test_insert_subscribe()


class TestNonInterleavingNotificationIDs(
    OnOurStore, library.NonInterleavingNotificationIDsBaseCase
):
    def create_recorder(self) -> FailFastPostgresApplicationRecorder:
        recorder = self.bookings.recorder
        assert isinstance(recorder, FailFastPostgresApplicationRecorder)
        return recorder


class TestAggregateRecorder(OnOurStore, library.AggregateRecorderTestCase):
    """PetBookings takes no snapshots: this is the library's snapshot recorder on our datastore."""

    def create_recorder(self) -> AggregateRecorder:
        return self.bookings.factory.aggregate_recorder("snapshots")


class TestTrackingRecorder(OnOurStore, library.TrackingRecorderTestCase):
    """The library's tracking recorder, as our factory builds it on our datastore."""

    def create_recorder(self) -> TrackingRecorder:
        return self.bookings.factory.tracking_recorder()


class TestProcessRecorder(OnOurStore, library.ProcessRecorderTestCase):
    """The service has no process application: the library's process recorder on our datastore."""

    def create_recorder(self) -> ProcessRecorder:
        return self.bookings.factory.process_recorder()


class TrackingRecorderSubclass(PostgresTrackingRecorder):
    pass


class TestInfrastructureFactory(
    OnOurStore, library.InfrastructureFactoryTestCase[PetBookingsPostgresFactory]
):
    def expected_factory_class(self) -> type[PetBookingsPostgresFactory]:
        return PetBookingsPostgresFactory

    def expected_aggregate_recorder_class(self) -> type[AggregateRecorder]:
        return PostgresAggregateRecorder

    def expected_application_recorder_class(self) -> type[FailFastPostgresApplicationRecorder]:
        return FailFastPostgresApplicationRecorder

    def expected_tracking_recorder_class(self) -> type[TrackingRecorder]:
        return PostgresTrackingRecorder

    def tracking_recorder_subclass(self) -> type[TrackingRecorder]:
        return TrackingRecorderSubclass

    def expected_process_recorder_class(self) -> type[ProcessRecorder]:
        return PostgresProcessRecorder
