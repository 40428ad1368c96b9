"""Where the JWT signing secret comes from. Never a hard-coded one."""

from __future__ import annotations

import logging
import os
import secrets
import shlex
import stat
from pathlib import Path

from interface.settings import Settings
from interface.store import Store

logger = logging.getLogger(__name__)

MIN_SECRET_LENGTH = 32
SHARED_READ_WRITE = stat.S_IRGRP | stat.S_IWGRP | stat.S_IROTH | stat.S_IWOTH


class SecretConfigError(RuntimeError):
    """The service cannot decide on a signing secret; it refuses to start."""


def secret_file_for(database: Path) -> Path:
    return database.with_name(database.name + ".jwt-secret")


def jwt_secret(settings: Settings, store: Store) -> str:
    """The configured secret, or on embedded SQLite one generated once beside the database."""
    if settings.jwt_secret is not None:
        secret = settings.jwt_secret.get_secret_value()
        if len(secret) < MIN_SECRET_LENGTH:
            msg = f"BOOKING_JWT_SECRET must be at least {MIN_SECRET_LENGTH} characters"
            raise SecretConfigError(msg)
        return secret
    if store.sqlite_path is None:
        msg = (
            "BOOKING_JWT_SECRET is not set. It is required with PostgreSQL and with an "
            "in-memory database; generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
        raise SecretConfigError(msg)
    return _secret_beside(store.sqlite_path)


def _secret_beside(database: Path) -> str:
    path = secret_file_for(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        _publish_new_secret(path)
    secret = _read_private(path).strip()
    if len(secret) < MIN_SECRET_LENGTH:
        msg = f"{path} holds no usable secret; delete it to generate a new one"
        raise SecretConfigError(msg)
    return secret


def _read_private(path: Path) -> str:
    """The file's text, if only its owner may read or write it: others could mint tokens."""
    with path.open(encoding="ascii") as file:
        # Checked on the open file, so the file checked is the file read.
        mode = os.fstat(file.fileno()).st_mode
        if mode & SHARED_READ_WRITE:
            fix = f"chmod 600 {shlex.quote(str(path))}"
            msg = (
                f"{path} is readable or writable by other users ({stat.filemode(mode)}), "
                f"who could sign tokens with it; allow only its owner: {fix}"
            )
            raise SecretConfigError(msg)
        return file.read()


def _publish_new_secret(path: Path) -> None:
    # Written aside then linked into place: when `serve` and `token` start
    # together, exactly one secret wins and nobody reads a half-written file.
    draft = path.with_name(f"{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(secrets.token_urlsafe(48) + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        return
    finally:
        draft.unlink()
    logger.warning(
        "generated a JWT secret in %s (owner-only); set BOOKING_JWT_SECRET to choose one", path
    )
