"""From a provider's claims to one of our actors, as configured (README "Signing in")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from application.access import Actor, Role
from domain.values import ACTOR_ID, InvalidValueError
from interface.auth import UnauthorizedError
from interface.settings import Settings

# Each clinic rides in the console's session cookie; browsers keep 4 KiB of it.
MAX_CLINICS = 50


class NoRoleError(Exception):
    """A valid token that grants nothing here: no role of ours, or staff of no clinic."""


@dataclass(frozen=True)
class ClaimMapping:
    """Where the subject, the role and the clinics are in a token: dotted paths."""

    sub: str = "sub"
    role: str = "app_metadata.role"
    clinic: str = "app_metadata.clinic_id"
    # Provider role names -> ours; our own names always map to themselves.
    role_map: Mapping[str, Role] = field(default_factory=dict)

    @classmethod
    def of(cls, settings: Settings) -> ClaimMapping:
        roles = {name: Role(ours) for name, ours in settings.role_map.items()}
        return cls(settings.claim_sub, settings.claim_role, settings.claim_clinic, roles)

    def actor(self, claims: Mapping[str, Any]) -> Actor:
        sub = _at(claims, self.sub)
        if not isinstance(sub, str):
            raise UnauthorizedError(f"{self.sub} must be a string")
        try:
            if ACTOR_ID.clean("sub", sub) != sub:
                raise UnauthorizedError("sub must be trimmed and in NFC")
        except InvalidValueError as error:
            raise UnauthorizedError(str(error)) from None
        role = self._role(_at(claims, self.role))
        clinics = self._clinics(_at(claims, self.clinic)) if role is Role.STAFF else frozenset()
        if role is Role.STAFF and not clinics:
            raise NoRoleError(f"staff without a clinic ({self.clinic})")
        return Actor(sub=sub, role=role, clinic_ids=clinics)

    def _role(self, claimed: object) -> Role:
        # A list (Keycloak's realm roles) may hold other roles too; ours must be one.
        names = claimed if isinstance(claimed, list) else [claimed]
        ours = {self._ours(name) for name in names} - {None}
        if len(ours) > 1:
            # A list's order is not guaranteed: picking one would be a coin toss.
            raise NoRoleError(f"several roles of this service in {self.role}: give one")
        if not ours:
            raise NoRoleError(f"no role of this service in {self.role}")
        [role] = ours
        assert role is not None
        return role

    def _ours(self, name: object) -> Role | None:
        if not isinstance(name, str):
            return None
        if name in self.role_map:
            return self.role_map[name]
        return Role(name) if name in {role.value for role in Role} else None

    def _clinics(self, claimed: object) -> frozenset[UUID]:
        values = claimed if isinstance(claimed, list) else [claimed] if claimed else []
        if len(values) > MAX_CLINICS:
            raise NoRoleError(f"more than {MAX_CLINICS} clinics in {self.clinic}")
        try:
            return frozenset(UUID(str(value)) for value in values)
        except ValueError:
            raise UnauthorizedError(f"{self.clinic} must hold clinic ids (UUIDs)") from None


def _at(claims: Mapping[str, Any], path: str) -> object:
    value: object = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value
