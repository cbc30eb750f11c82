"""Which column of a file fills which field, and fixed values for fields the file lacks.

``ColumnMapping.guess`` matches headers to fields (a header that is a field's own name beats a
synonym; two columns that mean the same field are left for the user to choose between).
Mappings serialise to JSON so the window can remember one per header signature.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from openpyxl.utils import column_index_from_string, get_column_letter

from capex_gui.dataio.fields import (
    FIELDS,
    ImportTable,
    field_by_key,
    match_field,
    normalise_header,
)
from capex_gui.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Sequence

_LETTERS = re.compile(r"^[A-Za-z]{1,3}$")


@dataclass(frozen=True)
class ColumnMapping:
    """Field key -> column index, field key -> fixed text, and fields left ambiguous."""

    table: ImportTable
    columns: dict[str, int] = field(default_factory=dict)
    fixed: dict[str, str] = field(default_factory=dict)
    #: Fields two or more columns could fill (the user must choose): key -> column indexes.
    ambiguous: dict[str, tuple[int, ...]] = field(default_factory=dict)

    # -- building ---------------------------------------------------------------------------
    @classmethod
    def guess(cls, table: ImportTable, headers: Sequence[str]) -> ColumnMapping:
        """Match each header to a field by name or synonym."""
        exact: dict[str, list[int]] = {}
        loose: dict[str, list[int]] = {}
        for index, header in enumerate(headers):
            found = match_field(table, header)
            if found is None:
                continue
            own = normalise_header(header) == normalise_header(found.label)
            (exact if own else loose).setdefault(found.key, []).append(index)
        columns: dict[str, int] = {}
        ambiguous: dict[str, tuple[int, ...]] = {}
        for f in FIELDS[table]:
            candidates = exact.get(f.key) or loose.get(f.key) or []
            if len(candidates) == 1:
                columns[f.key] = candidates[0]
            elif candidates:
                ambiguous[f.key] = tuple(candidates)
        return cls(table, columns, {}, ambiguous)

    def with_column(self, key: str, index: int | None) -> ColumnMapping:
        """Map *key* to column *index* (None: to no column); settles any ambiguity of *key*."""
        field_by_key(self.table, key)
        columns = {k: v for k, v in self.columns.items() if k != key}
        if index is not None:
            columns = {k: v for k, v in columns.items() if v != index}
            columns[key] = index
        ambiguous = {k: v for k, v in self.ambiguous.items() if k != key}
        return replace(self, columns=columns, ambiguous=ambiguous)

    def with_fixed(self, key: str, text: str | None) -> ColumnMapping:
        """Give *key* a fixed value for every row (None or blank: no fixed value)."""
        field_by_key(self.table, key)
        fixed = {k: v for k, v in self.fixed.items() if k != key}
        if text is not None and text.strip():
            fixed[key] = text.strip()
        ambiguous = {k: v for k, v in self.ambiguous.items() if k != key or key not in fixed}
        return replace(self, fixed=fixed, ambiguous=ambiguous)

    def with_option(self, spec: str, headers: Sequence[str], *, fixed: bool) -> ColumnMapping:
        """Apply a command-line ``FIELD=COLUMN`` (or ``FIELD=VALUE`` when *fixed*)."""
        key, sep, value = spec.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise ValidationError(f"{spec!r} is not FIELD={'VALUE' if fixed else 'COLUMN'}")
        try:
            field_by_key(self.table, key)
        except KeyError as exc:
            raise ValidationError(str(exc.args[0])) from None
        if fixed:
            return self.with_fixed(key, value)
        return self.with_column(key, find_column(value, headers))

    # -- checking ---------------------------------------------------------------------------
    def column_of(self, key: str) -> int | None:
        """The column filling *key*, if any."""
        return self.columns.get(key)

    def field_of(self, index: int) -> str | None:
        """The field column *index* fills, if any."""
        return next((k for k, v in self.columns.items() if v == index), None)

    def problems(self, headers: Sequence[str]) -> list[str]:
        """Sentences saying what keeps this mapping from being used (empty when it can be)."""
        out: list[str] = []
        for key, indexes in self.ambiguous.items():
            f = field_by_key(self.table, key)
            names = " and ".join(_column_name(i, headers) for i in indexes)
            out.append(f"columns {names} could both be {f.label}: choose one")
        for f in FIELDS[self.table]:
            if f.required and f.key not in self.columns and f.key not in self.fixed:
                if f.key in self.ambiguous:
                    continue
                out.append(f"no column is {f.label}: choose one, or give a fixed value")
        if (
            self.table is not ImportTable.FX_RATES
            and not {"year", "period"} & (set(self.columns) | set(self.fixed))
            and not {"year", "period"} & set(self.ambiguous)
        ):
            out.append("no column is Year or Period: choose one, or give a fixed value")
        for key, index in self.columns.items():
            if index >= len(headers):
                out.append(
                    f"{field_by_key(self.table, key).label} is mapped to column "
                    f"{get_column_letter(index + 1)}, which the file does not have"
                )
        return out

    # -- remembering ------------------------------------------------------------------------
    def to_json(self, headers: Sequence[str]) -> str:
        """The mapping by header names (so it still fits if columns move)."""
        by_name = {k: headers[i] for k, i in self.columns.items() if i < len(headers)}
        return json.dumps({"table": self.table.value, "columns": by_name, "fixed": self.fixed})

    @classmethod
    def from_json(cls, text: str, headers: Sequence[str]) -> ColumnMapping | None:
        """A remembered mapping applied to *headers* (None when it does not fit them)."""
        try:
            data: dict[str, Any] = json.loads(text)
            table = ImportTable(data["table"])
            columns = {str(k): headers.index(str(v)) for k, v in data["columns"].items()}
            fixed = {str(k): str(v) for k, v in data.get("fixed", {}).items()}
            for key in (*columns, *fixed):
                field_by_key(table, key)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        return cls(table, columns, fixed, {})


def find_column(spec: str, headers: Sequence[str]) -> int:
    """A column named by its header ("Units shipped") or letter ("C"); ValidationError if none."""
    wanted = normalise_header(spec)
    matches = [i for i, h in enumerate(headers) if normalise_header(h) == wanted]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ValidationError(
            f"more than one column is called {spec!r}: name it by letter "
            f"({', '.join(get_column_letter(i + 1) for i in matches)})"
        )
    if _LETTERS.match(spec.strip()):
        index = column_index_from_string(spec.strip().upper()) - 1
        if index < len(headers):
            return index
    shown = ", ".join(f"“{h}”" for h in headers if h)
    raise ValidationError(f"the file has no column {spec!r} (its columns: {shown})")


def header_signature(headers: Sequence[str]) -> str:
    """A short stable key for a file's header row (to remember its mapping)."""
    joined = "\x1f".join(normalise_header(h) for h in headers)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


def _column_name(index: int, headers: Sequence[str]) -> str:
    from capex_gui.dataio.tabular import column_label

    return column_label(index, headers)
