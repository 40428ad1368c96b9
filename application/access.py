"""Who is acting, and what each role may do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from application.errors import ForbiddenError


class Role(StrEnum):
    OWNER = "owner"
    STAFF = "staff"
    AUDITOR = "auditor"


@dataclass(frozen=True)
class Actor:
    """The authenticated user behind a command: the token's `sub` and role."""

    sub: str
    role: Role
    clinic_id: UUID | None = None

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            raise ForbiddenError(f"role {self.role} may not do this")

    def require_clinic(self, clinic_id: UUID) -> None:
        """Staff act only on requests made to their own clinic."""
        if self.role is not Role.STAFF or self.clinic_id != clinic_id:
            raise ForbiddenError("staff of another clinic")
