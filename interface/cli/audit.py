"""`booking history`, `booking export` and `booking verify`: the auditor's command line.

The operator running them holds the database credentials, so they act as an
auditor; they need no signing secret.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from tqdm import tqdm

from application.access import Actor, Role
from application.audit.chain_check import HashChainCheck
from application.audit.read_tables_check import ReadTablesCheck
from application.audit.verification import Check, Verification
from application.errors import PetNotFoundError
from interface.bootstrap import System, bootstrap
from interface.cli.history_table import render_history
from interface.cli.progress import advancing, position_bar
from interface.public import EVENT, PetHistoryPublic
from interface.settings import Settings

CLI_AUDITOR = Actor(sub="booking-cli", role=Role.AUDITOR)


def add_commands(commands: Any) -> None:
    history = commands.add_parser("history", help="a pet's events and state, at any point")
    history.add_argument("pet_id", type=UUID, metavar="PET_ID")
    point = history.add_mutually_exclusive_group()
    point.add_argument("--as-of", type=_aware, metavar="TIMESTAMP", help="ISO 8601 with offset")
    point.add_argument("--as-of-version", type=_at_least(1), metavar="N")
    history.add_argument("--json", action="store_true", help="JSON, as GET /pets/{id}/history")
    history.set_defaults(handler=_history)

    export = commands.add_parser("export", help="the event log as JSON lines on stdout")
    export.add_argument("--after", type=_at_least(0), default=0, metavar="N", help="position")
    export.set_defaults(handler=_export)

    verify = commands.add_parser(
        "verify", help="replay the whole log and check it; exit 1 on any problem"
    )
    verify.set_defaults(handler=_verify)


def verification_checks(system: System) -> list[Check]:
    """What `booking verify` checks: every pet's and clinic's hash chain, and the read tables."""
    bookings = system.bookings
    return [HashChainCheck(bookings.mapper), ReadTablesCheck(bookings, system.read_side.view)]


def _history(args: argparse.Namespace, settings: Settings) -> int:
    with bootstrap(settings, follow=False) as system:
        try:
            history = system.audit.history(
                CLI_AUDITOR, args.pet_id, as_of_version=args.as_of_version, as_of=args.as_of
            )
        except PetNotFoundError:
            print(f"booking: pet {args.pet_id} not found (at that point)", file=sys.stderr)
            return 1
    print(
        PetHistoryPublic.model_validate(history).model_dump_json(indent=2)
        if args.json
        else render_history(history)
    )
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    with bootstrap(settings, follow=False) as system:
        audit = system.audit
        try:
            head = audit.head_position()
            with position_bar("export", args.after, head) as bar:
                for record in advancing(bar, head, audit.all_events(CLI_AUDITOR, after=args.after)):
                    sys.stdout.write(EVENT.dump_json(EVENT.validate_python(record)).decode() + "\n")
        except BrokenPipeError:
            # The reader went away (`booking export | head`): stop quietly, like Unix tools.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
    return 0


def _verify(_: argparse.Namespace, settings: Settings) -> int:
    with bootstrap(settings, follow=False) as system:
        audit = system.audit
        verification = Verification(verification_checks(system))
        problems = 0
        head = audit.head_position()
        with position_bar("verify", 0, head) as bar:
            for finding in verification.run(advancing(bar, head, audit.log_entries(CLI_AUDITOR))):
                problems += 1
                tqdm.write(str(finding), file=sys.stdout)
    read = f"{_count(verification.events, 'event')} of {_count(len(verification.pets), 'pet')}"
    if verification.clinics:
        read += f" and {_count(len(verification.clinics), 'clinic')}"
    if problems:
        print(f"booking verify: {problems} problems in {read}")
        return 1
    print(f"booking verify: OK, {read}; checked: {', '.join(c.name for c in verification.checks)}")
    for check in verification.checks:
        if isinstance(check, ReadTablesCheck) and check.not_compared:
            print(
                f"booking verify: {_count(check.not_compared, 'pet')} not compared with the read "
                "tables: their events arrived while verify ran"
            )
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _aware(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 timestamp: {text!r}") from None
    if moment.utcoffset() is None:
        raise argparse.ArgumentTypeError("give a UTC offset, e.g. 2026-12-03T10:00:00+01:00")
    return moment


def _at_least(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return value

    return parse
