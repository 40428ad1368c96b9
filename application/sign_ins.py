"""What the console needs of the store to make a sign-in link work once."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class SpentTokens(Protocol):
    """Token ids used up, remembered until the token would have expired anyway.

    A sign-in link is spent by signing in; a session by signing out.
    """

    def spend(self, token_id: str, expires_at: datetime) -> bool:
        """Record the token as used: True the first time, False ever after.

        Also False once the token has expired: its id may have been forgotten.
        """
        ...

    def is_spent(self, token_id: str) -> bool:
        """Whether the token was used (a link) or given up (a session signed out)."""
        ...
