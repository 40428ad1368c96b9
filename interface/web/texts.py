"""The console's words in Spanish (the default) and English, chosen like the API's errors."""

from __future__ import annotations

from dataclasses import dataclass

from domain.values import InvalidValueError
from interface.problem_catalogue import PROBLEMS

# key: (Spanish, English)
TEXTS: dict[str, tuple[str, str]] = {
    "app": ("Reservas veterinarias", "Vet bookings"),
    "skip": ("Saltar al contenido", "Skip to content"),
    "sign_out": ("Cerrar sesión", "Sign out"),
    "signed_in_as": ("Sesión de", "Signed in as"),
    "role_owner": ("dueño", "owner"),
    "role_staff": ("personal", "staff"),
    "role_auditor": ("auditor", "auditor"),
    "sign_in_title": ("Iniciar sesión", "Sign in"),
    "sign_in_help": (
        "Pida a la clínica un enlace de acceso. En una instalación local, genere uno con:",
        "Ask the clinic for a sign-in link. On a local installation, print one with:",
    ),
    "continue_as": ("Va a iniciar sesión como", "You are signing in as"),
    "continue": ("Continuar", "Continue"),
    "sign_in_provider": ("Entrar con la cuenta de la clínica", "Sign in with the clinic's account"),
    "provider_failed": (
        "No se pudo iniciar sesión con la cuenta de la clínica. Inténtelo de nuevo.",
        "Signing in with the clinic's account failed. Please try again.",
    ),
    "signed_out": ("Ha cerrado la sesión.", "You have signed out."),
    "link_invalid": (
        "El enlace de acceso no es válido, ha caducado o ya se usó. Pida otro.",
        "The sign-in link is not valid, has expired or was already used. Ask for another.",
    ),
    "forbidden_form": (
        "El formulario caducó o no viene de esta página. Vuelva a intentarlo.",
        "The form expired or did not come from this page. Please try again.",
    ),
    "my_pets": ("Mis mascotas", "My pets"),
    "no_pets": ("Aún no ha registrado ninguna mascota.", "You have not registered a pet yet."),
    "register_pet": ("Registrar una mascota", "Register a pet"),
    "name": ("Nombre", "Name"),
    "species": ("Especie", "Species"),
    "register": ("Registrar", "Register"),
    "requests": ("Solicitudes", "Requests"),
    "no_requests": ("Sin solicitudes.", "No requests."),
    "request_appointment": ("Pedir cita", "Request an appointment"),
    "clinic": ("Clínica", "Clinic"),
    "service": ("Servicio", "Service"),
    "preferred_date": ("Fecha preferida", "Preferred date"),
    "notes": ("Notas", "Notes"),
    "optional": ("opcional", "optional"),
    "send_request": ("Enviar solicitud", "Send request"),
    "cancel_request": ("Cancelar solicitud", "Cancel request"),
    "request_in_the_way": ("Ver la solicitud pendiente", "See the pending request"),
    "requested": ("Solicitada", "Requested"),
    "status": ("Estado", "Status"),
    "status_pending": ("Pendiente", "Pending"),
    "status_scheduled": ("Programada", "Scheduled"),
    "status_cancelled": ("Cancelada", "Cancelled"),
    "scheduled_for": ("Cita", "Appointment"),
    "back_to_pets": ("Volver a mis mascotas", "Back to my pets"),
    "request_sent": ("Solicitud enviada.", "Request sent."),
    "request_cancelled": ("Solicitud cancelada.", "Request cancelled."),
    "pet_registered": ("Mascota registrada.", "Pet registered."),
    "no_clinics": (
        "No hay clínicas en el directorio todavía.",
        "There are no clinics in the directory yet.",
    ),
    "pending_list": ("Solicitudes pendientes", "Pending requests"),
    "no_pending": ("No hay solicitudes pendientes.", "No pending requests."),
    "pet": ("Mascota", "Pet"),
    "owner": ("Dueño", "Owner"),
    "schedule": ("Programar", "Schedule"),
    "starts_at": ("Fecha y hora", "Date and time"),
    "request_scheduled": ("Solicitud programada.", "Request scheduled."),
    "live": ("En directo", "Live"),
    "reconnecting": ("Reconectando…", "Reconnecting…"),
    "live_ended": (
        "La lista ya no se actualiza: recargue la página.",
        "The list no longer updates: reload the page.",
    ),
    "pages": ("Páginas", "Pages"),
    "verify_progress": ("Progreso de la verificación", "Verification progress"),
    "verify_busy": (
        "Ya hay una verificación en curso; inténtelo cuando termine.",
        "A verification is already running; try again when it ends.",
    ),
    "verify_failed": ("La verificación se interrumpió.", "The verification was interrupted."),
    "older": ("Más antiguas", "Older"),
    "newer": ("Siguientes", "Next"),
    "first_page": ("Primera página", "First page"),
    "audit": ("Auditoría", "Audit"),
    "pet_history": ("Historial de una mascota", "A pet's history"),
    "pet_id": ("Id de la mascota", "Pet id"),
    "show": ("Mostrar", "Show"),
    "version": ("Versión", "Version"),
    "time": ("Hora", "Time"),
    "type": ("Tipo", "Type"),
    "actor": ("Actor", "Actor"),
    "data": ("Datos", "Data"),
    "position": ("Posición", "Position"),
    "as_of_version": ("Hasta la versión", "As of version"),
    "as_of": ("Hasta el instante", "As of instant"),
    "state_at": ("Estado en ese punto", "State at that point"),
    "event_log": ("Registro de eventos", "Event log"),
    "no_events": ("No hay más eventos.", "No more events."),
    "verify": ("Verificar la base de datos", "Verify the database"),
    "verify_help": (
        "Comprueba la cadena de hashes de cada mascota y que las tablas de lectura coinciden "
        "con el registro.",
        "Checks every pet's hash chain, and that the read tables match the log.",
    ),
    "run_verify": ("Verificar ahora", "Verify now"),
    "verify_ok": ("Sin problemas", "No problems"),
    "events_read": ("eventos", "events"),
    "streams_read": ("mascotas / clínicas", "pets / clinics"),
    "verify_problems": ("Problemas encontrados", "Problems found"),
    "not_found": ("No encontrado", "Not found"),
    "error": ("Error", "Error"),
}


# Why a field was refused, by the refusal's rule, in Spanish; English pages show the
# refusal's own reason, which is the API's. `{name}`s come from the refusal's details.
REASONS: dict[str, str] = {
    "not_text": "debe ser texto",
    "control_character": "carácter de control {code_point} en la posición {position}",
    "unpaired_surrogate": "sustituto Unicode sin pareja {code_point} en la posición {position}",
    "line_separator": "separador de línea {code_point} en la posición {position}",
    "bidirectional_control": "control bidireccional {code_point} en la posición {position}",
    "invisible_character": "carácter invisible {code_point} en la posición {position}",
    "not_visible_ascii": "solo admite ASCII visible: {code_point} en la posición {position}",
    "blank": "no puede quedar en blanco",
    "too_long": "admite como máximo {max_length} caracteres",
    "out_of_range": "debe estar entre {earliest} y {latest}",
    "no_offset": "debe indicar la zona horaria",
    "skipped_time": "no existe en {zone}: ese día el reloj se adelanta",
    "version_or_instant": "indique una versión o un instante, no ambos",
}


@dataclass(frozen=True)
class Texts:
    """`t("key")` in a template; `t.problem(code)` for an error's detail."""

    english: bool

    @property
    def language(self) -> str:
        return "en" if self.english else "es"

    def __call__(self, key: str) -> str:
        spanish, english = TEXTS[key]
        return english if self.english else spanish

    def field(self, name: str) -> str:
        """A form field's label, for the domain's refusals (which name fields as the API does)."""
        return self(name) if name in TEXTS else name

    def reason(self, refusal: InvalidValueError) -> str:
        """Why the domain refused a field, in the page's language."""
        if self.english or refusal.rule not in REASONS:
            return refusal.reason
        return REASONS[refusal.rule].format(**refusal.details)

    def problem(self, code: str) -> str:
        problem = PROBLEMS[code]
        return problem.english if self.english else problem.spanish
