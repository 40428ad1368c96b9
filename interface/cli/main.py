"""The `booking` command: serve the API, run the projection, mint tokens, audit."""

from __future__ import annotations

import argparse
import logging
import logging.config
import signal
import sys
from collections.abc import Sequence
from uuid import UUID

import uvicorn
from pydantic import ValidationError

from application.access import Role
from interface.auth import TokenRules, mint_token
from interface.bootstrap import token_secret
from interface.cli import audit, clinic, console, read_model
from interface.environment import LibraryEnvironmentError
from interface.logs import logging_config
from interface.secret import SecretConfigError, secret_file_for
from interface.settings import Settings
from interface.store import DatabaseUrlError, store_from_settings


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        # One line per setting, named as the operator wrote it.
        for problem in error.errors():
            name = "BOOKING_" + "_".join(str(part) for part in problem["loc"][:1]).upper()
            print(f"booking: {name}: {problem['msg']}", file=sys.stderr)
        return 2
    logging.config.dictConfig(logging_config(settings.log_level, settings.log_format))
    try:
        code: int = args.handler(args, settings)
    except (DatabaseUrlError, LibraryEnvironmentError, SecretConfigError) as error:
        print(f"booking: {error}", file=sys.stderr)
        return 2
    return code


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    token_secret(settings)  # Refuse to start without one, before uvicorn does anything.
    store = store_from_settings(settings)
    if settings.jwt_secret is None and store.sqlite_path is not None:
        print(
            f"booking: tokens are signed with the secret in {secret_file_for(store.sqlite_path)}"
            " (mint one with `booking token`)",
            file=sys.stderr,
        )
    if args.demo_clinic:
        clinic.offer_demo_clinic(settings)
    # uvicorn re-raises SIGTERM once it has shut down cleanly; a clean stop exits 0.
    signal.signal(signal.SIGTERM, lambda signum, frame: None)
    uvicorn.run(
        "interface.http.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=settings.log_level,
        log_config=logging_config(settings.log_level, settings.log_format),
        access_log=False,  # The request observer logs each request, with its id.
        timeout_graceful_shutdown=10,
        server_header=False,  # Names and versions help nobody but an attacker.
    )
    return 0


def _token(args: argparse.Namespace, settings: Settings) -> int:
    role = Role(args.role)
    if role is Role.STAFF and args.clinic is None:
        print("booking: staff tokens need --clinic UUID", file=sys.stderr)
        return 2
    secret, rules = token_secret(settings), TokenRules.of(settings)
    if args.ttl > rules.max_ttl_seconds:
        print(
            f"booking: --ttl {args.ttl} exceeds BOOKING_JWT_MAX_TTL_SECONDS"
            f" ({rules.max_ttl_seconds}); the service would refuse the token",
            file=sys.stderr,
        )
        return 2
    token = mint_token(
        secret, role=role, sub=args.sub, clinic_id=args.clinic, ttl_seconds=args.ttl, rules=rules
    )
    print(token)
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="booking", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=_positive, default=1)
    serve.add_argument(
        "--demo-clinic", action="store_true", help="add a demo clinic if there is no clinic yet"
    )
    serve.set_defaults(handler=_serve)

    token = commands.add_parser("token", help="print a signed bearer token")
    token.add_argument("--role", required=True, choices=[r.value for r in Role])
    token.add_argument("--sub", default="demo-user", help="the user id (token `sub`)")
    token.add_argument("--clinic", type=UUID, help="the staff member's clinic id")
    token.add_argument("--ttl", type=_positive, default=3600, help="lifetime in seconds")
    token.set_defaults(handler=_token)

    read_model.add_commands(commands)
    audit.add_commands(commands)
    console.add_commands(commands)
    clinic.add_commands(commands)
    return parser
