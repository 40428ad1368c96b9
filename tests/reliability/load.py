"""A bounded load of booking commands: threads that each book fresh pets until stopped.

Every call is recorded with when it started and ended, so a test can ask what
clients saw during any window (a database outage, a kill) and which requests
were acknowledged.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import httpx
import pytest

from tests.e2e.api import PROBLEM_MEDIA_TYPE, media_type

CLIENT_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Call:
    """One HTTP call as the client saw it; `status` is None for a transport error."""

    action: str  # "register" or "book"
    started: float  # time.monotonic()
    finished: float
    status: int | None
    body: dict[str, Any] = field(default_factory=dict)
    retry_after: str | None = None
    problem_json: bool = False
    error: str | None = None

    @property
    def seconds(self) -> float:
        return self.finished - self.started

    @property
    def code(self) -> str | None:
        code = self.body.get("code")
        return code if isinstance(code, str) else None

    def within(self, start: float, end: float) -> bool:
        return start <= self.started and self.finished <= end

    def describe(self) -> str:
        what = self.error or f"{self.status} {self.code or ''}".strip()
        return f"{self.action} -> {what} in {self.seconds:.2f} s"


def timed(action: str, send: Callable[[], httpx.Response]) -> Call:
    started = time.monotonic()
    try:
        response = send()
    except httpx.TransportError as error:
        return Call(action, started, time.monotonic(), None, error=repr(error))
    finished = time.monotonic()
    try:
        body = response.json()
    except ValueError:
        body = {"text": response.text}
    return Call(
        action,
        started,
        finished,
        response.status_code,
        body if isinstance(body, dict) else {"json": body},
        response.headers.get("retry-after"),
        media_type(response) == PROBLEM_MEDIA_TYPE,
    )


def register(client: httpx.Client, auth: dict[str, str], name: str = "Rex") -> Call:
    return timed("register", lambda: client.post("/pets", headers=auth, json=_pet(name)))


def book(client: httpx.Client, auth: dict[str, str], pet_id: str, clinic_id: UUID) -> Call:
    body = {"clinic_id": str(clinic_id), "service": "vaccination"}
    path = f"/pets/{pet_id}/booking-requests"
    return timed("book", lambda: client.post(path, headers=auth, json=body))


def _pet(name: str) -> dict[str, str]:
    return {"name": name, "species": "dog"}


class Load:
    """`threads` clients, each registering a pet and booking it, over and over.

    Every pet has an owner of its own (`new_owner` gives their headers), as on a
    real clinic's site, so no per-owner limit comes into play. A thread stops
    when told to, or at its first transport error (the server went away); any
    answer is recorded and the next pet follows.
    """

    def __init__(
        self,
        base_url: str,
        new_owner: Callable[[], dict[str, str]],
        clinic_id: UUID,
        threads: int,
    ) -> None:
        self.base_url = base_url
        self.new_owner = new_owner
        self.clinic_id = clinic_id
        self.calls: list[Call] = []
        self._recorded = threading.Condition()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, name=f"load-{i}", daemon=True)
            for i in range(threads)
        ]

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(CLIENT_TIMEOUT_SECONDS + 5)
        assert not any(t.is_alive() for t in self._threads), "a client hung"

    def _run(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=CLIENT_TIMEOUT_SECONDS) as client:
            while not self._stop.is_set():
                owner = self.new_owner()
                registered = self._record(register(client, owner))
                if registered.status is None:
                    return
                if registered.status != 201:
                    continue
                booked = self._record(
                    book(client, owner, registered.body["pet_id"], self.clinic_id)
                )
                if booked.status is None:
                    return

    def _record(self, call: Call) -> Call:
        with self._recorded:
            self.calls.append(call)
            self._recorded.notify_all()
        return call

    def snapshot(self) -> list[Call]:
        with self._recorded:
            return list(self.calls)

    def wait_until(
        self, condition: Callable[[list[Call]], bool], what: str, timeout: float = 60.0
    ) -> float:
        """Block until the calls so far satisfy `condition`; return when that happened."""
        deadline = time.monotonic() + timeout
        with self._recorded:
            while not condition(self.calls):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not any(t.is_alive() for t in self._threads):
                    pytest.fail(f"never saw {what}; calls: {_summary(self.calls)}")
                self._recorded.wait(min(remaining, 1.0))
        return time.monotonic()

    def done(self) -> bool:
        return not any(t.is_alive() for t in self._threads)

    def join(self, timeout: float = CLIENT_TIMEOUT_SECONDS + 5) -> None:
        """Wait for threads that stop by themselves (at a transport error)."""
        for thread in self._threads:
            thread.join(timeout)
        assert self.done(), "a client hung"


def acknowledged(calls: list[Call]) -> list[Call]:
    """Booking requests the service answered 201: promises it must keep."""
    return [c for c in calls if c.action == "book" and c.status == 201]


def _summary(calls: list[Call]) -> str:
    counts: dict[str, int] = {}
    for call in calls:
        key = f"{call.action} {call.status} {call.code or ''}".strip()
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{key}: {count}" for key, count in sorted(counts.items()))
