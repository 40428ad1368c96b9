"""The store that makes a sign-in link work once, on each store the service runs on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest

from application.sign_ins import SpentTokens
from interface.bootstrap import bootstrap
from interface.console_side import open_console_side
from interface.settings import Settings
from tests.conftest import STORES
from tests.stores import database_url


def _database(kind: str, tmp_path: Path) -> AbstractContextManager[str]:
    """A store's fresh database, or the in-memory store (its spent tokens are a set)."""
    return nullcontext("sqlite:///:memory:") if kind == "memory" else database_url(kind, tmp_path)


@pytest.fixture(params=[*STORES, pytest.param("memory", id="memory")])
def spent_tokens(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SpentTokens]:
    with _database(request.param, tmp_path) as url:
        settings = Settings(database_url=url, jwt_secret="test-secret-" + "x" * 32)
        with bootstrap(settings, follow=False) as system:
            yield open_console_side(system).spent_tokens


def _in(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def test_a_token_is_spent_once(spent_tokens: SpentTokens) -> None:
    token_id = uuid4().hex

    assert spent_tokens.spend(token_id, _in(600)) is True
    assert spent_tokens.spend(token_id, _in(600)) is False
    assert spent_tokens.is_spent(token_id)


def test_an_expired_token_is_never_spent(spent_tokens: SpentTokens) -> None:
    # Spent ids are forgotten once their tokens expire: were an expired token
    # spendable, a used link replayed after its expiry would be spent again.
    token_id = uuid4().hex

    assert spent_tokens.spend(token_id, _in(-1)) is False
    assert spent_tokens.spend(uuid4().hex, _in(600)) is True  # and it forgets nothing live
    assert spent_tokens.spend(token_id, _in(-1)) is False
