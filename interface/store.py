"""BOOKING_DATABASE_URL -> the eventsourcing library's persistence environment."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from uuid import uuid4

from interface.environment import refuse_library_settings
from interface.settings import Settings

URL_FORMS = "sqlite:///PATH, sqlite:///:memory: or postgresql://user:password@host:port/dbname"


class DatabaseUrlError(ValueError):
    def __init__(self, url: str, why: str) -> None:
        super().__init__(f"BOOKING_DATABASE_URL={url!r}: {why}; expected {URL_FORMS}")


@dataclass(frozen=True)
class Store:
    """Where events live, and the environment that makes the library use it."""

    kind: str  # "sqlite" or "postgres"
    env: dict[str, str]
    sqlite_path: Path | None = None  # a file-based SQLite database
    postgres_schema: str | None = None

    @property
    def is_postgres(self) -> bool:
        return self.kind == "postgres"

    def postgres_connect_kwargs(self) -> dict[str, Any]:
        """psycopg.connect() arguments, for the sessions the library does not pool."""
        env = self.env
        return {
            "host": env["POSTGRES_HOST"],
            "port": int(env["POSTGRES_PORT"]),
            "dbname": env["POSTGRES_DBNAME"],
            "user": env["POSTGRES_USER"],
            "password": env["POSTGRES_PASSWORD"],
            "connect_timeout": int(env["POSTGRES_CONNECT_TIMEOUT"]),
        }


def store_from_settings(settings: Settings) -> Store:
    """The store the settings name; refuses library settings left in the environment."""
    refuse_library_settings(os.environ)
    url = settings.database_url
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return _sqlite(url, parts.netloc, parts.path, settings)
    if parts.scheme in ("postgresql", "postgres"):
        return _postgres(url, settings)
    raise DatabaseUrlError(url, f"unknown scheme {parts.scheme!r}")


def _sqlite(url: str, netloc: str, path: str, settings: Settings) -> Store:
    if netloc or not path.startswith("/") or path == "/":
        raise DatabaseUrlError(url, "a SQLite URL has three slashes then a path")
    name = path[1:]
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_LOCK_TIMEOUT": str(settings.lock_timeout_seconds),
    }
    if name == ":memory:":
        # A plain ":memory:" gives every pooled connection its own empty database.
        env["SQLITE_DBNAME"] = f"file:booking-{uuid4().hex}?mode=memory&cache=shared"
        return Store(kind="sqlite", env=env)
    env["SQLITE_DBNAME"] = name
    return Store(kind="sqlite", env=env, sqlite_path=Path(name))


def _postgres(url: str, settings: Settings) -> Store:
    parts = urlsplit(url)
    dbname = unquote(parts.path.lstrip("/"))
    if not parts.hostname or not dbname:
        raise DatabaseUrlError(url, "a PostgreSQL URL names a host and a database")
    try:
        port = parts.port or 5432
    except ValueError:
        raise DatabaseUrlError(url, "the port is not a number") from None
    schema = parse_qs(parts.query).get("schema", [""])[0]
    env = {
        "PERSISTENCE_MODULE": "infrastructure.postgres.factory:PetBookingsPostgresFactory",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": parts.hostname,
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_POOL_SIZE": str(settings.pool_size),
        "POSTGRES_MAX_OVERFLOW": str(settings.pool_max_overflow),
        "POSTGRES_CONNECT_TIMEOUT": str(settings.pool_timeout_seconds),
        "POSTGRES_LOCK_TIMEOUT": str(settings.lock_timeout_seconds),
        "POSTGRES_PRE_PING": "y" if settings.pool_pre_ping else "n",
        # Its insert path lets log readers skip events: never on, whatever the environment says.
        "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
    }
    return Store(kind="postgres", env=env, postgres_schema=schema or None)


def create_sqlite_file(store: Store) -> None:
    """Create a missing SQLite database file readable and writable by its owner only.

    SQLite would create it as the umask allows, often readable by everyone, and
    gives its -wal and -shm files the database file's permissions.
    """
    if store.sqlite_path is None:
        return
    # An existing database keeps the permissions its owner gave it; a missing
    # directory is for SQLite to report when it opens the database.
    with contextlib.suppress(FileExistsError, FileNotFoundError):
        os.close(os.open(store.sqlite_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
