"""Progress bars on stderr for long passes over the log, measured in log positions."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, Protocol, TypeVar

from tqdm import tqdm


class Positioned(Protocol):
    @property
    def position(self) -> int: ...


P = TypeVar("P", bound=Positioned)


def position_bar(task: str, start: int, head: int) -> tqdm[Any]:
    """A bar from `start` to the log's `head` (PostgreSQL's positions have gaps)."""
    return tqdm(total=max(head, start), initial=start, unit="pos", desc=task, file=sys.stderr)


def advancing(bar: tqdm[Any], head: int, items: Iterable[P]) -> Iterator[P]:
    """The items, moving the bar to each one's position (items past `head` fill it)."""
    for item in items:
        bar.update(min(item.position, head) - bar.n)
        yield item
