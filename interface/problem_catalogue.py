"""Every problem the service reports, for every door: its code, status and text in two languages.

The HTTP API sends them as problem+json, the web console shows their text;
both find an error's code along its class hierarchy with `problem_code`.
"""

from __future__ import annotations

from dataclasses import dataclass

from application.errors import (
    ConcurrentUpdateError,
    ForbiddenError,
    PetAlreadyExistsError,
    PetNotFoundError,
)
from application.read_your_writes import ProjectionBehindError
from domain.pet import (
    IdempotencyKeyReusedError,
    NotCancellableError,
    NotPendingError,
    PendingRequestExistsError,
    RequestNotFoundError,
)
from interface.identity.claims import NoRoleError
from interface.identity.keys import IdentityProviderUnavailableError


@dataclass(frozen=True)
class Problem:
    status: int
    title: str
    spanish: str
    english: str


PROBLEMS: dict[str, Problem] = {
    "unauthorized": Problem(
        401, "Unauthorized", "Se requiere un token válido", "A valid bearer token is required"
    ),
    "forbidden": Problem(
        403, "Forbidden", "No tiene permiso para esta acción", "You are not allowed to do this"
    ),
    "no_role": Problem(
        403,
        "No role",
        "El token no concede ningún rol en este servicio",
        "The token grants no role in this service",
    ),
    "not_found": Problem(404, "Not Found", "Recurso no encontrado", "Resource not found"),
    "pet_not_found": Problem(404, "Pet not found", "No se encontró la mascota", "Pet not found"),
    "request_not_found": Problem(
        404,
        "Booking request not found",
        "No se encontró la solicitud",
        "Booking request not found",
    ),
    "method_not_allowed": Problem(
        405, "Method Not Allowed", "Método no permitido", "Method not allowed"
    ),
    "payload_too_large": Problem(
        413,
        "Payload too large",
        "El cuerpo de la solicitud es demasiado grande",
        "The request body is too large",
    ),
    "headers_too_large": Problem(
        431,
        "Request header fields too large",
        "Las cabeceras de la solicitud son demasiado grandes",
        "The request headers are too large",
    ),
    "pet_exists": Problem(
        409, "Pet exists", "La mascota ya está registrada", "This pet is already registered"
    ),
    "pending_request_exists": Problem(
        409,
        "Pending request exists",
        "Ya existe una solicitud pendiente para esta mascota",
        "A pending request already exists for this pet",
    ),
    "not_cancellable": Problem(
        409,
        "Not cancellable",
        "La solicitud ya está cancelada",
        "The booking request is already cancelled",
    ),
    "not_pending": Problem(
        409,
        "Not pending",
        "La solicitud no está pendiente de programar",
        "The booking request is not pending scheduling",
    ),
    "concurrent_update": Problem(
        409,
        "Concurrent update",
        "La mascota se modificó al mismo tiempo; inténtelo de nuevo",
        "The pet was modified at the same time; try again",
    ),
    "idempotency_key_reused": Problem(
        422,
        "Idempotency key reused",
        "La clave de idempotencia ya se usó con otra solicitud",
        "The idempotency key was already used with a different request",
    ),
    "validation_error": Problem(
        422, "Validation error", "La solicitud no es válida", "The request is not valid"
    ),
    "rate_limited": Problem(
        429,
        "Too many requests",
        "Demasiadas solicitudes; inténtelo de nuevo más tarde",
        "Too many requests; try again later",
    ),
    "store_unavailable": Problem(
        503,
        "Store unavailable",
        "El servicio no está disponible temporalmente; inténtelo de nuevo",
        "The service is temporarily unavailable; try again",
    ),
    "projection_behind": Problem(
        503,
        "Projection behind",
        "La lista aún no incluye esa posición; inténtelo de nuevo en unos segundos",
        "The list does not include that position yet; try again in a few seconds",
    ),
    "identity_provider_unavailable": Problem(
        503,
        "Identity provider unavailable",
        "No se puede verificar el token: el proveedor de identidad no responde",
        "The token cannot be verified: the identity provider does not answer",
    ),
    "projection_halted": Problem(
        503,
        "Projection halted",
        "Las listas de pendientes están detenidas; un operador debe intervenir",
        "The pending lists are halted; an operator must act",
    ),
    "internal_error": Problem(
        500, "Internal error", "Error interno del servidor", "Internal server error"
    ),
}


# Looked up along the error's class hierarchy: a subclass answers as its nearest mapped class.
ERROR_CODES: dict[type[Exception], str] = {
    PendingRequestExistsError: "pending_request_exists",
    PetNotFoundError: "pet_not_found",
    PetAlreadyExistsError: "pet_exists",
    RequestNotFoundError: "request_not_found",
    NotCancellableError: "not_cancellable",
    NotPendingError: "not_pending",
    IdempotencyKeyReusedError: "idempotency_key_reused",
    ConcurrentUpdateError: "concurrent_update",
    ForbiddenError: "forbidden",
    ProjectionBehindError: "projection_behind",
    NoRoleError: "no_role",
    IdentityProviderUnavailableError: "identity_provider_unavailable",
}


def problem_code(error: Exception) -> str | None:
    """The code of the nearest class of `error` that ERROR_CODES maps, if any."""
    for cls in type(error).__mro__:
        if cls in ERROR_CODES:
            return ERROR_CODES[cls]
    return None
