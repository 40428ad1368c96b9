"""LISTEN for the event table's NOTIFY, to wake the projection without polling delay."""

from __future__ import annotations

import logging
import threading
from typing import Any

import psycopg
from psycopg import sql

logger = logging.getLogger(__name__)


class PostgresListener:
    """Sets `news` on every NOTIFY; reconnects forever, since polling covers the gaps."""

    def __init__(
        self,
        connect_kwargs: dict[str, Any],
        channel: str,
        news: threading.Event,
        *,
        max_backoff: float = 5.0,
    ) -> None:
        self.connect_kwargs = connect_kwargs
        self.channel = channel
        self.news = news
        self.max_backoff = max_backoff
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="events-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            try:
                self._listen()
                backoff = 0.5
            except psycopg.Error as error:
                logger.warning(
                    "LISTEN %s failed (%s); retrying in %.1f s", self.channel, error, backoff
                )
                self._stop.wait(backoff)
                backoff = min(backoff * 2, self.max_backoff)

    def _listen(self) -> None:
        with psycopg.connect(**self.connect_kwargs, autocommit=True) as connection:
            connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
            # Whatever was committed while we were not listening.
            self.news.set()
            while not self._stop.is_set():
                for _ in connection.notifies(timeout=1.0, stop_after=1):
                    self.news.set()
