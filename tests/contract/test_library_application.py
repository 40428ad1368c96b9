"""The library's application tests (eventsourcing/tests/application.py) on our store.

They build the library's own `Application` and `BankAccounts`, which take their
settings from the process environment: each test runs with the environment
set to the settings PetBookings gets from Settings, on a fresh schema.
(The module is imported whole: pytest would run test case classes imported by name.)
"""

from __future__ import annotations

import os
from unittest import TestCase, mock

import pytest
from eventsourcing.tests import application as library
from eventsourcing.utils import get_topic

from infrastructure.postgres.factory import PetBookingsPostgresFactory
from tests.contract.service import service_store
from tests.stores import postgres_schema_url

pytestmark = pytest.mark.postgres


class InOurEnvironment(TestCase):
    def setUp(self) -> None:
        store = service_store(self.enterContext(postgres_schema_url()))
        self.enterContext(mock.patch.dict(os.environ, store.env))
        super().setUp()


class TestApplication(InOurEnvironment, library.ApplicationTestCase):
    pass


class TestExampleApplication(InOurEnvironment, library.ExampleApplicationTestCase):
    expected_factory_topic = get_topic(PetBookingsPostgresFactory)
