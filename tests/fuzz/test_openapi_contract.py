"""Generated requests over real HTTP: no 5xx, and every answer is what /openapi.json says.

Each response is checked for: never a 5xx; its status, content type, headers
and body all documented; invalid input refused and valid input not refused;
authentication never ignored; a created pet found where its link points.
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from schemathesis.generation.stateful.state_machine import APIStateMachine

from tests.fuzz.steering import MAX_JOURNEYS, AnyCase

schema = schemathesis.pytest.from_fixture("fuzz_schema")


@pytest.mark.fuzz
@schema.parametrize()
def test_every_answer_matches_the_documented_contract(case: AnyCase) -> None:
    case.call_and_validate()


@pytest.mark.fuzz
def test_owner_journeys_match_the_documented_contract(
    owner_journeys: type[APIStateMachine],
) -> None:
    # Register, request, cancel, read back... following the links inferred from the responses.
    settings = owner_journeys.schema.config.get_hypothesis_settings()
    owner_journeys.run(settings=hypothesis.settings(settings, max_examples=MAX_JOURNEYS))
