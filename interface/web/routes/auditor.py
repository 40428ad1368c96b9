"""Auditors: a pet's history and its state at any point, the global log, `booking verify`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sse_starlette import EventSourceResponse

from application.access import Role
from application.audit.chain_check import HashChainCheck
from application.audit.read_tables_check import ReadTablesCheck
from application.audit.verification import Verification
from domain.values import InvalidValueError
from interface.web.pages import in_clinic_time, page, see_other, system_of
from interface.web.session import Session, current_session

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/audit")

Signed = Annotated[Session, Depends(current_session)]
LOG_PAGE = 50
PROGRESS_EVERY = 200  # rows between two progress events


@dataclass(frozen=True)
class EventRow:
    """An event as the console's tables show it, whoever's stream it is in."""

    position: int
    stream: str
    is_pet: bool  # A clinic's event has no pet history to link to.
    version: int
    type: str
    timestamp: datetime
    actor: str
    data: tuple[tuple[str, object], ...]

    @classmethod
    def of(cls, record: Any) -> EventRow:
        pet_id = getattr(record, "pet_id", None)
        stream = pet_id or getattr(record, "clinic_id", "")
        return cls(
            position=record.position,
            stream=str(stream),
            is_pet=pet_id is not None,
            version=record.version,
            type=record.type,
            timestamp=record.timestamp,
            actor=record.actor,
            data=tuple(sorted(record.data.items())),
        )


def _auditor(session: Session) -> None:
    session.actor.require(Role.AUDITOR)


@router.get("")
def log_page(
    request: Request,
    session: Signed,
    after: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
) -> HTMLResponse:
    """The global log, paged by position."""
    _auditor(session)
    events = system_of(request).audit.events(session.actor, after=after, limit=LOG_PAGE)
    rows = [EventRow.of(record) for record in events.items]
    return page(
        request,
        "audit.html",
        session,
        rows=rows,
        after=after,
        next_after=events.next_after if len(rows) == LOG_PAGE else None,
    )


@router.get("/pets/{pet_id}")
def pet_history(
    request: Request,
    pet_id: UUID,
    session: Signed,
    as_of_version: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    as_of: Annotated[datetime | None, Query()] = None,
) -> HTMLResponse:
    """Every event of the pet up to a version or an instant, and its state built from them."""
    _auditor(session)
    if as_of is not None:
        # A date-and-time field has no zone: it is the clinic's, like the staff's.
        as_of = in_clinic_time(as_of, request.app.state.settings.console_time_zone, "as_of")
    if as_of is not None and as_of_version is not None:
        raise InvalidValueError(
            "as_of", "give a version or an instant, not both", rule="version_or_instant"
        )
    history = system_of(request).audit.history(
        session.actor, pet_id, as_of_version=as_of_version, as_of=as_of
    )
    return page(
        request,
        "history.html",
        session,
        history=history,
        rows=[EventRow.of(record) for record in history.events],
        clinic_names={c.clinic_id: c.name for c in system_of(request).clinics.list_clinics()},
        as_of_version=as_of_version,
        as_of=as_of,
    )


@router.get("/find")
def find_pet(session: Signed, pet_id: UUID) -> Response:
    """The search box: a pet id, then its history at its own address."""
    _auditor(session)
    return see_other(f"/console/audit/pets/{pet_id}")


@router.get("/verify")
def verify_page(request: Request, session: Signed) -> HTMLResponse:
    _auditor(session)
    return page(request, "verify.html", session, result=None)


# One verification per process at a time: it reads the whole log.
_VERIFYING = threading.Lock()


class _StoppedError(Exception):
    """The auditor left: the verification stops at the next row."""


@router.get("/verify/stream")
async def verify_stream(request: Request, session: Signed) -> EventSourceResponse:
    """Runs `booking verify` now, streaming progress, each problem, then the summary.

    On a thread of its own, stopped when the browser goes away; while one runs
    in this process, another is told so at once.
    """
    _auditor(session)
    system = system_of(request)
    queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()
    stop = threading.Event()

    def report(message: dict[str, Any] | None) -> None:
        if stop.is_set():
            raise _StoppedError
        with contextlib.suppress(RuntimeError):  # The loop closed: the server is stopping.
            loop.call_soon_threadsafe(queue.put_nowait, message)

    def run() -> None:
        try:
            _verify(system, session, report)
        except _StoppedError:
            pass
        except Exception:  # A store gone mid-run (shutdown, outage): say so, once.
            logger.warning("console verify stopped by an error", exc_info=True)
            with contextlib.suppress(_StoppedError):
                report({"event": "failed", "data": ""})
        finally:
            _VERIFYING.release()
            with contextlib.suppress(_StoppedError):
                report(None)

    async def events() -> AsyncIterator[dict[str, Any]]:
        if not _VERIFYING.acquire(blocking=False):
            yield {"event": "busy", "data": ""}
            return
        threading.Thread(target=run, name="console-verify", daemon=True).start()
        try:
            while (message := await queue.get()) is not None:
                yield message
        finally:
            stop.set()  # Gone or done: the thread stops at its next row.

    return EventSourceResponse(events(), ping=10)


def _verify(system: Any, session: Session, report: Callable[[dict[str, Any]], None]) -> None:
    """Verify the log, reporting progress every few hundred rows, each finding, a summary."""
    audit, bookings = system.audit, system.bookings
    head = audit.head_position()
    verification = Verification(
        [HashChainCheck(bookings.mapper), ReadTablesCheck(bookings, system.read_side.view)]
    )

    def counted() -> Iterator[Any]:
        report({"event": "progress", "data": json.dumps({"position": 0, "head": head})})
        for number, entry in enumerate(audit.log_entries(session.actor), start=1):
            if number % PROGRESS_EVERY == 0:
                progress = {"position": entry.position, "head": head}
                report({"event": "progress", "data": json.dumps(progress)})
            yield entry
        report({"event": "progress", "data": json.dumps({"position": head, "head": head})})

    problems = 0
    for finding in verification.run(counted()):
        problems += 1
        report({"event": "finding", "data": str(finding)})
    summary = {
        "problems": problems,
        "events": verification.events,
        "pets": len(verification.pets),
        "clinics": len(verification.clinics),
        "head": head,
        "checks": [check.name for check in verification.checks],
    }
    report({"event": "done", "data": json.dumps(summary)})
