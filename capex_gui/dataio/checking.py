"""The first pass of every import: read the whole file, convert every row, write nothing.

It streams (one row in memory at a time) and reports every failing row with its line number,
column, the text found and the reason; the new names the file brings; and how many rows would
be imported. The CLI's ``--dry-run``, the dialog's check and the real import all start here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from capex_gui.dataio.convert import (
    Entity,
    NewName,
    ReferenceNames,
    RowConverter,
    RowError,
    RowFailure,
)
from capex_gui.errors import CapexError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from capex_gui.dataio.mapping import ColumnMapping
    from capex_gui.dataio.tabular import TableSource

#: Failing rows kept for display; beyond it they are only counted (memory stays bounded).
MAX_ERRORS = 10_000
#: Rows between two progress reports / cancel checks.
REPORT_EVERY = 500


class ImportCancelled(CapexError):
    """The user cancelled the import; nothing was written."""

    def __init__(self) -> None:
        super().__init__("the import was cancelled; nothing was written")


class MappingProblem(CapexError):
    """The mapping cannot be used as it is (a required field has no column, ...)."""


@dataclass
class CheckResult:
    """What an import would do."""

    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_rows: int = 0
    error_count: int = 0  # problems found (a failing row may have several)
    new_names: list[NewName] = field(default_factory=list)
    sample: list[Entity] = field(default_factory=list)

    def add_failed_row(self, errors: list[RowError]) -> None:
        """Count a row that cannot be imported, and list its problems up to MAX_ERRORS."""
        self.error_rows += 1
        self.error_count += len(errors)
        room = MAX_ERRORS - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])

    @property
    def ok(self) -> bool:
        """True when every row can be imported."""
        return self.error_rows == 0

    def summary(self) -> str:
        """One sentence for the user."""
        if self.ok:
            return f"{self.rows:,} row{'s' if self.rows != 1 else ''} can be imported"
        shown = (
            ""
            if len(self.errors) >= self.error_count
            else (f" (the first {len(self.errors):,} problems are listed)")
        )
        rows = "row fails" if self.error_rows == 1 else "rows fail"
        return f"{self.error_rows:,} {rows}; nothing will be imported{shown}"


def converted_rows(
    source: TableSource,
    mapping: ColumnMapping,
    names: ReferenceNames,
    *,
    progress: Callable[[float, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[tuple[int, Entity | list[RowError]]]:
    """(line, entity) for each good row and (line, errors) for each bad one, streamed."""
    problems = mapping.problems(source.headers)
    if problems:
        raise MappingProblem("; ".join(problems))
    converter = RowConverter(mapping, source.headers, names, decimal_comma=source.decimal_comma)
    for count, row in enumerate(source.rows(), start=1):
        if count % REPORT_EVERY == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled
            if progress is not None:
                progress(source.progress(), count)
        try:
            yield row.line, converter.convert(row)
        except RowFailure as failure:
            yield row.line, failure.errors


def check_file(
    source: TableSource,
    mapping: ColumnMapping,
    names: ReferenceNames,
    *,
    keep: int = 0,
    progress: Callable[[float, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CheckResult:
    """Convert every row of *source*, collecting problems and new names; writes nothing."""
    result = CheckResult()
    for _line, got in converted_rows(
        source, mapping, names, progress=progress, cancelled=cancelled
    ):
        if isinstance(got, list):
            result.add_failed_row(got)
        else:
            result.rows += 1
            if len(result.sample) < keep:
                result.sample.append(got)
    result.new_names = names.new_names()
    if progress is not None:
        progress(1.0, result.rows + result.error_rows)
    return result
