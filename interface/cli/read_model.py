"""`booking project` and `booking rebuild`: the read tables from the command line."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType
from typing import Any

from tqdm import tqdm

from application.projection import ProjectionHaltedError
from application.rebuild import rebuild_read_model
from interface.http.app import open_bookings
from interface.read_side import build_read_side, open_view
from interface.settings import Settings
from interface.store import Store

HALT_CHECK_SECONDS = 1.0


def add_commands(commands: Any) -> None:
    project = commands.add_parser(
        "project",
        help="run the appointments projection alone (when the API runs with "
        "BOOKING_PROJECTION=external); stops cleanly on SIGTERM or Ctrl-C",
    )
    project.set_defaults(handler=_project)
    rebuild = commands.add_parser(
        "rebuild", help="rebuild the read tables from the whole event log, then swap them in"
    )
    rebuild.set_defaults(handler=_rebuild)


def _project(_: argparse.Namespace, settings: Settings, store: Store) -> int:
    bookings = open_bookings(store)
    read_side = build_read_side(store, bookings, settings, follow=True)
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(
        f"booking: projecting from position {read_side.view.position()} "
        f"(log head {bookings.head_position()})",
        file=sys.stderr,
    )
    read_side.start()
    # A halted projection exits (1), so whatever supervises it sees it failed.
    while not stopping.wait(HALT_CHECK_SECONDS) and read_side.worker.halted is None:
        pass
    read_side.stop()
    print(f"booking: projection stopped at position {read_side.view.position()}", file=sys.stderr)
    bookings.close()
    return 1 if read_side.worker.halted else 0


def _rebuild(_: argparse.Namespace, settings: Settings, store: Store) -> int:
    bookings = open_bookings(store)
    view = open_view(store, bookings)
    head = bookings.head_position()
    with tqdm(total=head, unit="event", desc="rebuild", file=sys.stderr) as bar:

        def advance(position: int) -> None:
            bar.update(min(position, head) - bar.n)

        try:
            applied = rebuild_read_model(
                bookings, view, batch_size=settings.projection_batch_size, progress=advance
            )
        except ProjectionHaltedError as halted:
            print(f"booking: rebuild stopped, the live tables unchanged: {halted}", file=sys.stderr)
            return 1
        finally:
            bookings.close()
    print(f"booking: rebuilt the read tables from {applied} events", file=sys.stderr)
    return 0
