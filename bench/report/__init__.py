"""The one table: every figure, the ratios, and the goals of issue 5 marked met or not."""

from __future__ import annotations

from collections.abc import Callable

from bench.model import RunResults
from bench.report.core_rows import app_layer_rows, audit_rows, projection_rows
from bench.report.growth_rows import growth_rows
from bench.report.http_rows import burst_rows, http_rows, sqlite_rows
from bench.report.notes import notes
from bench.report.table import Row, render

__all__ = ["Row", "notes", "render", "rows"]

BUILDERS: dict[str, Callable[[RunResults], list[Row]]] = {
    "a": http_rows,
    "b": burst_rows,
    "c": app_layer_rows,
    "d": projection_rows,
    "e": audit_rows,
    "f": sqlite_rows,
    "g": growth_rows,
}


def rows(results: RunResults) -> list[Row]:
    table: list[Row] = []
    for scenario, build in BUILDERS.items():
        if scenario in results.failures:
            failure = results.failures[scenario][:70]
            table.append(Row(scenario, f"failed: {failure}", status="error"))
        elif getattr(results, scenario) is not None:
            table.extend(build(results))
    return table
