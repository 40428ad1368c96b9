"""`booking login-link`: a one-time link that signs a person into the web console."""

from __future__ import annotations

import argparse
import sys
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from application.access import Role
from domain.values import ACTOR_ID, InvalidValueError
from interface.auth import TokenRules, mint_token
from interface.bootstrap import token_secret
from interface.settings import Settings

LOGIN_PATH = "/console/login"


def add_commands(commands: Any) -> None:
    link = commands.add_parser(
        "login-link",
        help="print a short-lived, single-use link that signs a person into the console",
    )
    link.add_argument("--role", required=True, choices=[r.value for r in Role])
    link.add_argument("--sub", required=True, help="the person's user id (`sub`)")
    link.add_argument("--clinic", type=UUID, help="the staff member's clinic id")
    link.add_argument(
        "--base-url", help="where the console is served (default: BOOKING_PUBLIC_URL)"
    )
    link.set_defaults(handler=_login_link)


def _login_link(args: argparse.Namespace, settings: Settings) -> int:
    role = Role(args.role)
    if role is Role.STAFF and args.clinic is None:
        print("booking: staff sign in to a clinic: give --clinic UUID", file=sys.stderr)
        return 2
    try:
        if ACTOR_ID.clean("sub", args.sub) != args.sub:
            raise InvalidValueError("sub", "must be trimmed and in Unicode NFC")
    except InvalidValueError as error:
        print(f"booking: --sub {error.reason}", file=sys.stderr)
        return 2
    token = mint_token(
        token_secret(settings),
        role=role,
        sub=args.sub,
        clinic_id=args.clinic,
        ttl_seconds=min(settings.login_link_ttl_seconds, settings.jwt_max_ttl_seconds),
        rules=TokenRules.of(settings),
        purpose="login",
    )
    base = (args.base_url or settings.public_url).rstrip("/")
    print(f"{base}{LOGIN_PATH}?{urlencode({'token': token})}")
    minutes = settings.login_link_ttl_seconds // 60
    print(f"booking: the link works once, for {minutes} minutes", file=sys.stderr)
    return 0
