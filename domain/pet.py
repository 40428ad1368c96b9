"""The Pet aggregate: its booking requests, of which at most one is pending.

The aggregate's version is the lock: two commands decided on the same version
cannot both be stored, so the rule below holds under any concurrency.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.booking_request import BookingRequest, RequestStatus, SchedulingStatus
from domain.chain import GENESIS_HASH, ChainedEvent, chain_hash
from domain.values import (
    ACTOR_ID,
    DEFAULT_HORIZON,
    NOTES,
    PET_NAME,
    REASON,
    SERVICE,
    SPECIES,
    BookingHorizon,
    clean_idempotency_key,
)


class DomainError(Exception):
    """A command the pet's current state does not allow."""


class PendingRequestExistsError(DomainError):
    def __init__(self, pending_request_id: UUID) -> None:
        super().__init__(f"pending request {pending_request_id} exists")
        self.pending_request_id = pending_request_id


class RequestNotFoundError(DomainError):
    def __init__(self, request_id: UUID) -> None:
        super().__init__(f"request {request_id} not found")
        self.request_id = request_id


class NotCancellableError(DomainError):
    def __init__(self, request_id: UUID) -> None:
        super().__init__(f"request {request_id} is already cancelled")
        self.request_id = request_id


class NotPendingError(DomainError):
    def __init__(self, request_id: UUID) -> None:
        super().__init__(f"request {request_id} is not pending")
        self.request_id = request_id


class IdempotencyKeyReusedError(DomainError):
    def __init__(self, idempotency_key: str) -> None:
        super().__init__(f"idempotency key {idempotency_key!r} was used for another request")
        self.idempotency_key = idempotency_key


class Pet(Aggregate):
    class Event(ChainedEvent):
        """Every pet event is a link of the pet's hash chain (domain/chain.py)."""

    class Registered(Event, Aggregate.Created):
        owner_id: str
        name: str
        species: str

        @property
        def actor(self) -> str:
            return self.owner_id

    class BookingRequested(Event):
        request_id: UUID
        clinic_id: UUID
        service: str
        preferred_date: date | None
        notes: str | None
        requested_by: str
        idempotency_key: str | None

        @property
        def actor(self) -> str:
            return self.requested_by

        def apply(self, aggregate: Aggregate) -> None:
            pet = cast("Pet", aggregate)
            request = pet.requests[self.request_id] = BookingRequest(
                request_id=self.request_id,
                clinic_id=self.clinic_id,
                service=self.service,
                preferred_date=self.preferred_date,
                notes=self.notes,
                requested_by=self.requested_by,
                requested_at=self.timestamp,
                idempotency_key=self.idempotency_key,
            )
            pet.pending_requests[self.request_id] = request
            if self.idempotency_key is not None:
                pet.idempotency_keys[self.idempotency_key] = self.request_id

    class Cancelled(Event):
        request_id: UUID
        reason: str | None
        cancelled_by: str

        @property
        def actor(self) -> str:
            return self.cancelled_by

        def apply(self, aggregate: Aggregate) -> None:
            pet = cast("Pet", aggregate)
            request = pet.requests[self.request_id]
            pet.pending_requests.pop(self.request_id, None)
            request.status = RequestStatus.CANCELLED
            request.cancelled_at = self.timestamp
            request.cancel_reason = self.reason

    class Scheduled(Event):
        request_id: UUID
        starts_at: datetime
        scheduled_by: str

        @property
        def actor(self) -> str:
            return self.scheduled_by

        def apply(self, aggregate: Aggregate) -> None:
            pet = cast("Pet", aggregate)
            request = pet.requests[self.request_id]
            pet.pending_requests.pop(self.request_id, None)
            request.scheduling_status = SchedulingStatus.SCHEDULED
            request.scheduled_for = self.starts_at

    def __init__(self, owner_id: str, name: str, species: str) -> None:
        self.owner_id = owner_id
        self.name = name
        self.species = species
        self.requests: dict[UUID, BookingRequest] = {}
        # The pending ones too, oldest first, kept by the events' `apply`: a pet with a
        # long history answers "is one pending?" without walking all its requests.
        # The rule allows one; a forged log may hold more, and they all show here.
        self.pending_requests: dict[UUID, BookingRequest] = {}
        self.idempotency_keys: dict[str, UUID] = {}
        self.last_hash = GENESIS_HASH

    @classmethod
    def register(cls, pet_id: UUID, owner_id: str, name: str, species: str) -> Pet:
        data = {
            "owner_id": ACTOR_ID.clean("owner_id", owner_id),
            "name": PET_NAME.clean("name", name),
            "species": SPECIES.clean("species", species),
        }
        timestamp = cls.Registered.create_timestamp()
        return cls._create(
            cls.Registered,
            id=pet_id,
            timestamp=timestamp,
            previous_hash=GENESIS_HASH,
            event_hash=chain_hash(
                previous_hash=GENESIS_HASH,
                originator_id=pet_id,
                originator_version=cls.INITIAL_VERSION,
                event_type=cls.Registered.__name__,
                timestamp=timestamp,
                data=data,
            ),
            **data,
        )

    @property
    def pending_request(self) -> BookingRequest | None:
        return next(iter(self.pending_requests.values()), None)

    def request_booking(
        self,
        *,
        request_id: UUID,
        clinic_id: UUID,
        service: str,
        preferred_date: date | None,
        notes: str | None,
        requested_by: str,
        idempotency_key: str | None,
        horizon: BookingHorizon = DEFAULT_HORIZON,
    ) -> BookingRequest:
        """Record a new request, or return the one this idempotency key made."""
        service = SERVICE.clean("service", service)
        notes = NOTES.clean_optional("notes", notes)
        requested_by = ACTOR_ID.clean("requested_by", requested_by)
        idempotency_key = clean_idempotency_key("idempotency_key", idempotency_key)
        if idempotency_key is not None and idempotency_key in self.idempotency_keys:
            original = self.requests[self.idempotency_keys[idempotency_key]]
            if original.asks_for(clinic_id, service, preferred_date, notes):
                return original
            raise IdempotencyKeyReusedError(idempotency_key)
        # After the replay check: a retried request is answered even once its date has passed.
        horizon.check_preferred_date("preferred_date", preferred_date, self._now())
        pending = self.pending_request
        if pending is not None:
            raise PendingRequestExistsError(pending.request_id)
        self._chain(
            self.BookingRequested,
            request_id=request_id,
            clinic_id=clinic_id,
            service=service,
            preferred_date=preferred_date,
            notes=notes,
            requested_by=requested_by,
            idempotency_key=idempotency_key,
        )
        return self.requests[request_id]

    def cancel(self, request_id: UUID, *, reason: str | None, cancelled_by: str) -> BookingRequest:
        reason = REASON.clean_optional("reason", reason)
        cancelled_by = ACTOR_ID.clean("cancelled_by", cancelled_by)
        request = self.request(request_id)
        if request.status is RequestStatus.CANCELLED:
            raise NotCancellableError(request_id)
        self._chain(self.Cancelled, request_id=request_id, reason=reason, cancelled_by=cancelled_by)
        return request

    def schedule(
        self,
        request_id: UUID,
        *,
        starts_at: datetime,
        scheduled_by: str,
        horizon: BookingHorizon = DEFAULT_HORIZON,
    ) -> BookingRequest:
        horizon.check_starts_at("starts_at", starts_at, self._now())
        scheduled_by = ACTOR_ID.clean("scheduled_by", scheduled_by)
        request = self.request(request_id)
        if not request.is_pending:
            raise NotPendingError(request_id)
        self._chain(
            self.Scheduled, request_id=request_id, starts_at=starts_at, scheduled_by=scheduled_by
        )
        return request

    def request(self, request_id: UUID) -> BookingRequest:
        try:
            return self.requests[request_id]
        except KeyError:
            raise RequestNotFoundError(request_id) from None

    @staticmethod
    def _now() -> datetime:
        # The clock that stamps events, so a rule and its event agree on "now".
        return Pet.Event.create_timestamp()

    def _chain(self, event_class: type[Pet.Event], **data: Any) -> None:
        """Trigger an event that links to the previous one by its hash."""
        timestamp = event_class.create_timestamp()
        event_hash = chain_hash(
            previous_hash=self.last_hash,
            originator_id=self.id,
            originator_version=self.version + 1,
            event_type=event_class.__name__,
            timestamp=timestamp,
            data=data,
        )
        self.trigger_event(
            event_class,
            timestamp=timestamp,
            previous_hash=self.last_hash,
            event_hash=event_hash,
            **data,
        )
