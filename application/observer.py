"""What the application tells whoever watches it (metrics), without knowing who."""

from __future__ import annotations

from typing import Protocol


class CommandObserver(Protocol):
    def command_finished(self, command: str, outcome: str) -> None:
        """`outcome` is "ok", or the class name of the error that ended the command."""

    def version_conflict(self, command: str) -> None:
        """A command lost a race on the pet's version and is retried."""


class NoObserver:
    def command_finished(self, command: str, outcome: str) -> None:
        pass

    def version_conflict(self, command: str) -> None:
        pass
