"""`booking clinic add|rename|list`, and the demo clinic `booking serve --demo-clinic` offers.

The operator running them holds the database credentials: clinics are
managed here, not over HTTP. Clinic events go to the same log as pets', and
the read tables are brought up to date (as `booking project` would) before a
list is read, so the list shows every clinic added before it.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any
from uuid import UUID

from application.clinics import (
    ClinicAlreadyExistsError,
    ClinicConcurrentUpdateError,
    ClinicNotFoundError,
)
from application.projection import ProjectionHaltedError
from domain.values import InvalidValueError
from interface.bootstrap import System, bootstrap
from interface.settings import Settings

CLI_OPERATOR = "booking-cli"
DEMO_OPERATOR = "booking-serve --demo-clinic"
REFUSED = (
    ClinicAlreadyExistsError,
    ClinicNotFoundError,
    ClinicConcurrentUpdateError,
    InvalidValueError,
)
logger = logging.getLogger(__name__)


def add_commands(commands: Any) -> None:
    clinic = commands.add_parser("clinic", help="the clinic directory: add, rename, list")
    actions = clinic.add_subparsers(dest="action", required=True)

    add = actions.add_parser("add", help="add a clinic; prints its id")
    add.add_argument("--name", required=True)
    add.add_argument("--address", required=True)
    add.add_argument(
        "--id", type=UUID, dest="clinic_id", metavar="UUID", help="an existing clinic id to use"
    )
    add.set_defaults(handler=_add)

    rename = actions.add_parser("rename", help="give a clinic a new name")
    rename.add_argument("clinic_id", type=UUID, metavar="CLINIC_ID")
    rename.add_argument("--name", required=True)
    rename.set_defaults(handler=_rename)

    listing = actions.add_parser("list", help="every clinic by name: id, name, address")
    listing.set_defaults(handler=_list)


def _add(args: argparse.Namespace, settings: Settings) -> int:
    with bootstrap(settings, follow=False) as system:
        try:
            clinic = system.clinics.add_clinic(
                args.name, args.address, args.clinic_id, added_by=CLI_OPERATOR
            )
        except REFUSED as error:
            return _refused(error)
    print(clinic.clinic_id)
    print(f"booking: added clinic {clinic.clinic_id}: {clinic.name}", file=sys.stderr)
    return 0


def _rename(args: argparse.Namespace, settings: Settings) -> int:
    with bootstrap(settings, follow=False) as system:
        try:
            clinic = system.clinics.rename_clinic(
                args.clinic_id, args.name, renamed_by=CLI_OPERATOR
            )
        except REFUSED as error:
            return _refused(error)
    print(f"booking: clinic {clinic.clinic_id} is named {clinic.name}", file=sys.stderr)
    return 0


def _list(_: argparse.Namespace, settings: Settings) -> int:
    with bootstrap(settings, follow=False) as system:
        if halted := _catch_up(system):
            print(f"booking: the read tables are behind the log: {halted}", file=sys.stderr)
            return 1
        clinics = system.clinics.list_clinics()
    for clinic in clinics:
        print(f"{clinic.clinic_id}  {clinic.name}  {clinic.address}")
    return 0


def offer_demo_clinic(settings: Settings) -> None:
    """Add the demo clinic when the directory is empty, so a newcomer can book at once.

    Two processes starting at once add it once: its id is fixed, and the
    store's refusal of the second is taken as "it is there".
    """
    with bootstrap(settings, follow=False) as system:
        if halted := _catch_up(system):
            logger.warning("no demo clinic offered: %s", halted)
            return
        clinic = system.clinics.offer_demo_clinic(added_by=DEMO_OPERATOR)
    if clinic is not None:
        logger.info("demo clinic added: %s, id %s", clinic.name, clinic.clinic_id)


def _catch_up(system: System) -> ProjectionHaltedError | None:
    """Bring the read tables up to the log's head (safe beside a running projector).

    Positions move by compare-and-set, so this and another projector never
    apply an event twice. Returns why it stopped short, if it did.
    """
    try:
        system.read_side.worker.catch_up()
    except ProjectionHaltedError as halted:
        return halted
    return None


def _refused(error: Exception) -> int:
    print(f"booking: {error}", file=sys.stderr)
    return 1
