"""Rows of the table, how figures are written, and the table as text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

from bench.model import RunResults
from bench.report.notes import notes

MET, NOT_MET = "met", "NOT MET"


@dataclass(frozen=True)
class Row:
    scenario: str
    measure: str
    ours: str = ""
    reference: str = ""
    ratio: str = ""
    goal: str = ""
    status: str = ""  # MET, NOT_MET, "" (no goal), "error" or "n/a: why"


def rate(value: float) -> str:
    return f"{value:,.0f}"


def ms(value: float) -> str:
    return f"{value:,.1f}"


def compared(
    scenario: str,
    measure: str,
    ours: float,
    reference: float | None,
    shown: Callable[[float], str],
    goal: str = "",
    ok: bool | None = None,
) -> Row:
    """A figure of ours beside its reference (if any), their ratio, and a goal (if any)."""
    return Row(
        scenario,
        measure,
        shown(ours),
        "" if reference is None else shown(reference),
        f"{ours / reference:.2f}x" if reference else "",
        goal,
        "" if ok is None else MET if ok else NOT_MET,
    )


def render(results: RunResults, table: list[Row]) -> str:
    header = Row("", "measure", "ours", "reference", "ratio", "goal", "status")
    names = [f.name for f in fields(Row)]
    widths = {n: max(len(getattr(r, n)) for r in [header, *table]) for n in names}
    right = {"ours", "reference", "ratio"}

    def line(row: Row) -> str:
        cells = [
            getattr(row, n).rjust(widths[n]) if n in right else getattr(row, n).ljust(widths[n])
            for n in names
        ]
        return "  ".join(cells).rstrip()

    rule = "-" * len(line(header))
    goals = [r.status for r in table if r.status in (MET, NOT_MET)]
    return "\n".join(
        [
            f"pet-booking benchmark ({results.profile}), {results.started_at}, PostgreSQL"
            f" {results.postgres_version}, {results.seconds:.0f} s",
            rule,
            line(header),
            rule,
            *(line(r) for r in table),
            rule,
            f"goals met: {goals.count(MET)} of {len(goals)}",
            *(f"note: {text}" for text in notes(results)),
        ]
    )
