"""Library settings in the process environment: refused by name, or ignored out loud.

The eventsourcing library reads its settings from the environment too (bare,
or prefixed with the application's name). pet-booking takes its persistence
settings from BOOKING_* alone, and `PetBookings` ignores the environment; a
variable meant for the library is then refused at start-up, so nobody
believes it took effect. Bare POSTGRES_* and SQLITE_* names are left with a
warning: container setups use them for the database server itself.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

logger = logging.getLogger(__name__)

APPLICATION_PREFIX = "PETBOOKINGS_"
# Settings only the eventsourcing library reads.
LIBRARY_SETTINGS = frozenset(
    {
        "PERSISTENCE_MODULE",
        "ORIGINATOR_ID_TYPE",
        "APPLICATION_RECORDER_TOPIC",
        "TRACKING_RECORDER_TOPIC",
        "PROCESS_RECORDER_TOPIC",
        "MAPPER_TOPIC",
        "TRANSCODER_TOPIC",
        "COMPRESSOR_TOPIC",
        "CIPHER_TOPIC",
        "CIPHER_KEY",
        "IS_SNAPSHOTTING_ENABLED",
        "AGGREGATE_CACHE_MAXSIZE",
        "AGGREGATE_CACHE_FASTFORWARD",
        "AGGREGATE_CACHE_FASTFORWARD_SKIPPING",
        "DEEPCOPY_FROM_AGGREGATE_CACHE",
    }
)
SHARED_PREFIXES = ("POSTGRES_", "SQLITE_")


class LibraryEnvironmentError(ValueError):
    def __init__(self, names: list[str]) -> None:
        super().__init__(
            f"{', '.join(names)} would configure the eventsourcing library, which pet-booking "
            "configures from BOOKING_* settings alone (README, Configuration): unset "
            f"{'it' if len(names) == 1 else 'them'}"
        )
        self.names = names


def refuse_library_settings(environ: Mapping[str, str]) -> None:
    """Raise naming every variable meant for the library; warn of bare database ones."""
    refused = sorted(
        name for name in environ if name.startswith(APPLICATION_PREFIX) or name in LIBRARY_SETTINGS
    )
    if refused:
        raise LibraryEnvironmentError(refused)
    ignored = sorted(name for name in environ if name.startswith(SHARED_PREFIXES))
    if ignored:
        logger.warning(
            "ignoring %s: the store is configured by BOOKING_DATABASE_URL", ", ".join(ignored)
        )
