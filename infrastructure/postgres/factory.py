"""The infrastructure factory that PERSISTENCE_MODULE names (interface/store.py).

The library's PostgreSQL factory with our datastore and application recorder;
it refuses, by name and before connecting, the library settings they cannot
honour. Tracking, process and snapshot recorders are the library's own.
"""

from __future__ import annotations

from eventsourcing.postgres import PostgresFactory
from eventsourcing.utils import Environment, EnvType, get_topic, resolve_topic

from infrastructure.postgres.datastore import SweepingPostgresDatastore
from infrastructure.postgres.recorder import FailFastPostgresApplicationRecorder

FALSE = ("n", "no", "f", "false", "off", "0")  # The library's strtobool's false values.


class UnsupportedSettingError(OSError):
    """A library setting this store cannot honour (an OSError, as the library's own are)."""


class PetBookingsPostgresFactory(PostgresFactory):
    application_recorder_class = FailFastPostgresApplicationRecorder

    def __init__(self, env: Environment | EnvType | None) -> None:
        env = env if isinstance(env, Environment) else Environment(env=env)
        refuse_unsupported(env)
        super().__init__(env)
        # The library builds its datastore here with no hook to choose the
        # class; ours is built with the settings the library parsed into it.
        parsed = self.datastore
        self.datastore = SweepingPostgresDatastore.configured_as(parsed)
        parsed.close()


def refuse_unsupported(env: Environment) -> None:
    factory = PetBookingsPostgresFactory
    problems = []
    id_type = env.get(factory.ORIGINATOR_ID_TYPE)
    if id_type is not None and id_type.lower() != "uuid":
        problems.append(
            f"{_named(env, factory.ORIGINATOR_ID_TYPE)}={id_type!r}: "
            "pet ids are UUIDs, and the append function and its checks are written for uuid"
        )
    functions = env.get(factory.POSTGRES_ENABLE_DB_FUNCTIONS)
    if functions and functions.lower() not in FALSE:
        problems.append(
            f"{_named(env, factory.POSTGRES_ENABLE_DB_FUNCTIONS)}={functions!r}: "
            "the library's insert function takes no table lock, so log readers could skip events"
        )
    topic = env.get(factory.APPLICATION_RECORDER_TOPIC)
    ours = factory.application_recorder_class
    if topic and not issubclass(resolve_topic(topic), ours):
        problems.append(
            f"{_named(env, factory.APPLICATION_RECORDER_TOPIC)}={topic!r}: "
            f"the recorder must be {get_topic(ours)} or a subclass"
        )
    if problems:
        raise UnsupportedSettingError("unsupported by pet-booking's store: " + "; ".join(problems))


def _named(env: Environment, setting: str) -> str:
    """The variable that holds `setting`: the one prefixed with the application's name wins."""
    return next(name for name in env.create_keys(setting) if name in env)
