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
from interface.bootstrap import bootstrap
from interface.settings import Settings

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


def _project(_: argparse.Namespace, settings: Settings) -> int:
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with bootstrap(settings, follow=True) as system:
        worker, view = system.read_side.worker, system.read_side.view
        print(
            f"booking: projecting from position {view.position()} "
            f"(log head {system.bookings.head_position()})",
            file=sys.stderr,
        )
        # A halted projection exits (1), so whatever supervises it sees it failed.
        while not stopping.wait(HALT_CHECK_SECONDS) and worker.halted is None:
            pass
        # Stopped first, so the position is where it stopped (closing stops it again: a no-op).
        system.read_side.stop()
        print(f"booking: projection stopped at position {view.position()}", file=sys.stderr)
    return 1 if worker.halted else 0


def _rebuild(_: argparse.Namespace, settings: Settings) -> int:
    with bootstrap(settings, follow=False) as system:
        bookings, head = system.bookings, system.bookings.head_position()
        with tqdm(total=head, unit="event", desc="rebuild", file=sys.stderr) as bar:

            def advance(position: int) -> None:
                bar.update(min(position, head) - bar.n)

            try:
                applied = rebuild_read_model(
                    bookings,
                    system.read_side.view,
                    batch_size=settings.projection_batch_size,
                    progress=advance,
                )
            except ProjectionHaltedError as halted:
                print(
                    f"booking: rebuild stopped, the live tables unchanged: {halted}",
                    file=sys.stderr,
                )
                return 1
    print(f"booking: rebuilt the read tables from {applied} events", file=sys.stderr)
    return 0
