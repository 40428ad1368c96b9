"""PetBookings: the event-sourced application owners, staff and auditors talk to."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from typing import TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    Notification,
    Recording,
    Transcoder,
)
from eventsourcing.utils import Environment, EnvType

from application.access import Actor, Role
from application.errors import (
    ApplicationError,
    ConcurrentUpdateError,
    PetAlreadyExistsError,
    PetNotFoundError,
)
from application.log_pages import log_pages
from application.observer import CommandObserver, NoObserver
from application.pet_cache import PetCache
from application.transcoder import OrjsonTranscoder
from application.transcodings import DateAsISO
from application.views import PetReceipt, PetView, RequestReceipt, RequestView
from domain.booking_request import BookingRequest
from domain.pet import DomainError, Pet, RequestNotFoundError
from domain.values import DEFAULT_HORIZON

T = TypeVar("T")


class PetBookings(Application[UUID]):
    name = "PetBookings"
    # A version conflict means another command won the race; the retry runs on
    # fresh state so the domain, not the database, answers the loser.
    max_attempts = 5
    retry_backoff_seconds = 0.005

    def __init__(self, env: EnvType | None = None) -> None:
        super().__init__(env)
        # Set after every save, so an in-process projection wakes at once.
        self.news = threading.Event()
        self.observer: CommandObserver = NoObserver()
        # The composition root sets the configured one (BOOKING_HORIZON_DAYS).
        self.horizon = DEFAULT_HORIZON
        # Pets of recent commands: the next command on one appends without reading
        # its stream. The composition root sizes it (BOOKING_PET_CACHE_SIZE).
        self.pets = PetCache()

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """The settings given, and nothing from the process environment.

        The library lays os.environ over them, where a stray variable
        (ORIGINATOR_ID_TYPE, or PETBOOKINGS_PERSISTENCE_MODULE, which beats the
        one given) would silently change the store: ours come from Settings alone.
        """
        return Environment(name, {**type(self).env, **(env or {})})

    def construct_transcoder(self) -> Transcoder:
        """The library's JSON transcoder with our transcodings, decoding in C (transcoder.py)."""
        transcoder = OrjsonTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def register_pet(
        self, actor: Actor, *, name: str, species: str, pet_id: UUID | None = None
    ) -> PetReceipt:
        """Register a pet owned by the actor; clinics may bring their own pet ids."""
        actor.require(Role.OWNER)
        pet = Pet.register(pet_id or uuid4(), actor.sub, name, species)
        return self._observed("register_pet", lambda: self._save_new(pet))

    def _save_new(self, pet: Pet) -> PetReceipt:
        try:
            recordings = self.save(pet)
        except IntegrityError:
            if self._version_is_stored(pet.id, Pet.INITIAL_VERSION):
                raise PetAlreadyExistsError(pet.id) from None
            raise
        receipt = PetReceipt(pet=PetView.of(pet), position=recordings[-1].notification.id)
        self.pets.put(pet)  # Once put, another thread may take it: the receipt is made first.
        return receipt

    def get_pet(self, actor: Actor, pet_id: UUID) -> PetView:
        """The pet's current state, as far as the actor may see it.

        Owners see their own pets; staff see a pet only through its requests to
        their clinic, and only those requests; auditors see everything.
        """
        view = PetView.of(self._load(actor, pet_id))
        if actor.role is Role.STAFF:
            return view.with_requests_to(actor.clinic_ids)
        return view

    def get_booking_request(self, actor: Actor, pet_id: UUID, request_id: UUID) -> RequestView:
        """One request of a pet, seen by whoever may see it on the pet (staff: their clinic's)."""
        request = self._load(actor, pet_id).request(request_id)
        _require_visible(actor, request)
        return RequestView.of(pet_id, request)

    def request_booking(
        self,
        actor: Actor,
        pet_id: UUID,
        *,
        clinic_id: UUID,
        service: str,
        preferred_date: date | None = None,
        notes: str | None = None,
        idempotency_key: str | None = None,
    ) -> RequestReceipt:
        """Ask a clinic for an appointment; at most one request per pet is pending."""
        actor.require(Role.OWNER)
        request_id = uuid4()

        def decide(pet: Pet) -> BookingRequest:
            return pet.request_booking(
                request_id=request_id,
                clinic_id=clinic_id,
                service=service,
                preferred_date=preferred_date,
                notes=notes,
                requested_by=actor.sub,
                idempotency_key=idempotency_key,
                horizon=self.horizon,
            )

        return self._command("request_booking", actor, pet_id, decide)

    def cancel_booking(
        self, actor: Actor, pet_id: UUID, request_id: UUID, *, reason: str | None = None
    ) -> RequestReceipt:
        """Cancel a request: its pet's owner, or staff of the request's clinic."""
        actor.require(Role.OWNER, Role.STAFF)

        def decide(pet: Pet) -> BookingRequest:
            _require_visible(actor, pet.request(request_id))
            return pet.cancel(request_id, reason=reason, cancelled_by=actor.sub)

        return self._command("cancel_booking", actor, pet_id, decide)

    def schedule_booking(
        self, actor: Actor, pet_id: UUID, request_id: UUID, *, starts_at: datetime
    ) -> RequestReceipt:
        """Confirm a pending request for a time: staff of the request's clinic."""
        actor.require(Role.STAFF)

        def decide(pet: Pet) -> BookingRequest:
            _require_visible(actor, pet.request(request_id))
            return pet.schedule(
                request_id, starts_at=starts_at, scheduled_by=actor.sub, horizon=self.horizon
            )

        return self._command("schedule_booking", actor, pet_id, decide)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        if recordings:
            self.news.set()

    def log_pages(self, after: int = 0, page_size: int = 1000) -> Iterator[Sequence[Notification]]:
        """The stored log after position `after`, one page at a time, oldest first."""
        return log_pages(self.recorder, after, page_size)

    def head_position(self) -> int:
        """Position of the newest event in the log (0 while it is empty)."""
        return self.recorder.max_notification_id() or 0

    def _observed(self, command: str, run: Callable[[], T]) -> T:
        try:
            result = run()
        except Exception as error:
            self.observer.command_finished(command, type(error).__name__)
            raise
        self.observer.command_finished(command, "ok")
        return result

    def _command(
        self, command: str, actor: Actor, pet_id: UUID, decide: Callable[[Pet], BookingRequest]
    ) -> RequestReceipt:
        return self._observed(
            command, lambda: self._decide_and_save(command, actor, pet_id, decide)
        )

    def _decide_and_save(
        self, command: str, actor: Actor, pet_id: UUID, decide: Callable[[Pet], BookingRequest]
    ) -> RequestReceipt:
        cached = self.pets.take(pet_id)
        if cached is not None:
            receipt = self._decide_on_cached(command, actor, cached, decide)
            if receipt is not None:
                return receipt
        for attempt in range(self.max_attempts):
            # A pet that lost a race is stale: every attempt loads afresh.
            pet = self._load(actor, pet_id)
            request = decide(pet)
            if not pet.pending_events:
                return self._receipt(pet, request, self.head_position())
            first_new_version = pet.pending_events[0].originator_version
            try:
                recordings = self.save(pet)
            except IntegrityError:
                if not self._version_is_stored(pet_id, first_new_version):
                    raise
                self.observer.version_conflict(command)
                self._back_off(attempt)
                continue
            return self._stored(pet, request, recordings)
        raise ConcurrentUpdateError(pet_id, self.max_attempts)

    def _decide_on_cached(
        self, command: str, actor: Actor, pet: Pet, decide: Callable[[Pet], BookingRequest]
    ) -> RequestReceipt | None:
        """Decide on a cached pet and append at its next version; None: ask the store instead.

        Only a stored append proves the cached pet was current. A refusal, a
        replay (which stores nothing) or a pet the actor may not see could all
        come from stale state, so they are decided again on the stored state,
        exactly as without the cache; so is a version conflict (another process
        wrote). The pet is not put back: whatever the store says replaces it.
        """
        try:
            self._load(actor, pet.id, cached=pet)
            request = decide(pet)
        except (DomainError, ApplicationError):
            return None
        if not pet.pending_events:
            return None
        first_new_version = pet.pending_events[0].originator_version
        try:
            recordings = self.save(pet)
        except IntegrityError:
            if not self._version_is_stored(pet.id, first_new_version):
                raise
            self.observer.version_conflict(command)
            return None
        return self._stored(pet, request, recordings)

    def _stored(
        self, pet: Pet, request: BookingRequest, recordings: list[Recording[UUID]]
    ) -> RequestReceipt:
        """The receipt of a stored command; the pet, now as stored, goes (back) to the cache."""
        receipt = self._receipt(pet, request, recordings[-1].notification.id)
        self.pets.put(pet)  # Once put, another thread may take it: the receipt is made first.
        return receipt

    def _load(self, actor: Actor, pet_id: UUID, cached: Pet | None = None) -> Pet:
        try:
            pet: object = self.repository.get(pet_id) if cached is None else cached
        except AggregateNotFoundError:
            raise PetNotFoundError(pet_id) from None
        if not isinstance(pet, Pet):
            raise PetNotFoundError(pet_id)  # Another stream of the log: a clinic's.
        if actor.role is Role.OWNER and pet.owner_id != actor.sub:
            # Another owner's pet must look exactly like a missing one.
            raise PetNotFoundError(pet_id)
        if actor.role is Role.STAFF and not any(
            actor.works_at(request.clinic_id) for request in pet.requests.values()
        ):
            # Staff know a pet only through a request to their clinic.
            raise PetNotFoundError(pet_id)
        return pet

    def _version_is_stored(self, pet_id: UUID, version: int) -> bool:
        """Tell a version conflict (our primary key) from other integrity errors."""
        return bool(self.recorder.select_events(pet_id, gt=version - 1, lte=version, limit=1))

    def _back_off(self, attempt: int) -> None:
        # Jitter spreads the losers so they do not collide again in lockstep.
        time.sleep(random.uniform(0, self.retry_backoff_seconds * 2**attempt))  # noqa: S311

    @staticmethod
    def _receipt(pet: Pet, request: BookingRequest, position: int) -> RequestReceipt:
        return RequestReceipt(
            request=RequestView.of(pet.id, request), version=pet.version, position=position
        )


def _require_visible(actor: Actor, request: BookingRequest) -> None:
    """Staff act on, and see, only requests to their own clinic; others are not found."""
    if actor.role is Role.STAFF and not actor.works_at(request.clinic_id):
        raise RequestNotFoundError(request.request_id)
