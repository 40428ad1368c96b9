"""Who is acting, and what each role may do."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from application.errors import ForbiddenError


class Role(StrEnum):
    OWNER = "owner"
    STAFF = "staff"
    AUDITOR = "auditor"


@dataclass(frozen=True)
class Actor:
    """The authenticated user behind a command: the token's `sub` and role.

    Staff work at one clinic (`clinic_id`) or several (`clinic_ids`, which
    always includes `clinic_id` when it is given).
    """

    sub: str
    role: Role
    clinic_id: UUID | None = None
    clinic_ids: frozenset[UUID] = field(default=frozenset())

    def __post_init__(self) -> None:
        clinics = set(self.clinic_ids) | ({self.clinic_id} if self.clinic_id is not None else set())
        object.__setattr__(self, "clinic_ids", frozenset(clinics))
        if self.clinic_id is None and clinics:
            # The one shown first (the console's default clinic): stable, whatever the order.
            object.__setattr__(self, "clinic_id", min(clinics))

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            raise ForbiddenError(f"role {self.role} may not do this")

    def works_at(self, clinic_id: UUID) -> bool:
        return self.role is Role.STAFF and clinic_id in self.clinic_ids

    def require_clinic(self, clinic_id: UUID) -> None:
        """Staff act only on requests made to their own clinics."""
        if not self.works_at(clinic_id):
            raise ForbiddenError("staff of another clinic")
