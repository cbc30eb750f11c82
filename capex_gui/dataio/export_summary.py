"""The summary (totals, spend, supplier shares, what was left out) as sheets for export.

XLSX gets one sheet per part. CSV holds one table, so the parts are stacked in one long table
whose first column says which part a row belongs to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from capex_gui.dataio.export import CellKind, ExportColumn, Sheet

if TYPE_CHECKING:
    from collections.abc import Iterator

    from capex_gui.domain.analytics import Summary


def _at(index: int) -> Any:
    return lambda row: row[index]


def _col(header: str, kind: CellKind, width: int, index: int) -> ExportColumn:
    return ExportColumn(header, kind, width, _at(index))


class _Line(NamedTuple):
    part: str
    company: str
    year: int | str | None
    category: str
    region: str
    supplier: str
    metric: str
    amount: Any
    share: Any
    domestic: str
    rows: int | None
    reason: str


def summary_sheets(summary: Summary) -> list[Sheet]:
    """One sheet per part of the summary (for XLSX)."""
    cur = summary.currency
    totals = [(t.company, t.year, t.amount) for t in summary.spend.totals]
    spend = [
        (r.company, r.year, r.category, r.region, r.amount, r.soft_amount, r.count)
        for r in summary.spend.rows
    ]
    shares = [
        (
            s.company,
            s.year,
            s.metric.value,
            s.supplier,
            s.amount,
            s.share,
            "domestic" if s.domestic else "imported",
        )
        for s in summary.shares.shares
    ]
    domestic = [(d.company, d.year, d.metric.value, d.share) for d in summary.shares.domestic]
    excluded = [(e.table.replace("_", " "), e.id, e.reason) for e in summary.excluded]
    periods = [
        (
            p.company,
            p.period.label,
            p.period.months_label,
            p.category,
            p.region,
            p.amount,
            "yes" if p.counted else "no",
        )
        for p in summary.spend.periods
    ]
    checks = [
        (
            r.company,
            r.year.label,
            r.category,
            r.annual,
            r.parts,
            r.parts_label,
            r.difference,
            r.relative,
            r.sentence(cur),
        )
        for r in summary.spend.reconciliation
    ]
    return [
        Sheet(
            "Totals",
            (
                _col("Company", CellKind.TEXT, 18, 0),
                _col("Year", CellKind.INTEGER, 6, 1),
                _col(f"Spend ({cur})", CellKind.MONEY, 20, 2),
            ),
            lambda: iter(totals),
        ),
        Sheet(
            "Spend",
            (
                _col("Company", CellKind.TEXT, 18, 0),
                _col("Year", CellKind.INTEGER, 6, 1),
                _col("Category", CellKind.TEXT, 22, 2),
                _col("Region", CellKind.TEXT, 14, 3),
                _col(f"Spend ({cur})", CellKind.MONEY, 20, 4),
                _col(f"Of which estimates and plans ({cur})", CellKind.MONEY, 20, 5),
                _col("Rows", CellKind.INTEGER, 6, 6),
            ),
            lambda: iter(spend),
        ),
        Sheet(
            "Supplier shares",
            (
                _col("Company", CellKind.TEXT, 18, 0),
                _col("Year", CellKind.INTEGER, 6, 1),
                _col("Metric", CellKind.TEXT, 8, 2),
                _col("Supplier", CellKind.TEXT, 14, 3),
                _col(f"Amount ({cur} or units)", CellKind.MONEY, 20, 4),
                _col("Share", CellKind.SHARE, 8, 5),
                _col("Origin", CellKind.TEXT, 10, 6),
            ),
            lambda: iter(shares),
        ),
        Sheet(
            "Domestic share",
            (
                _col("Company", CellKind.TEXT, 18, 0),
                _col("Year", CellKind.INTEGER, 6, 1),
                _col("Metric", CellKind.TEXT, 8, 2),
                _col("Domestic share", CellKind.SHARE, 14, 3),
            ),
            lambda: iter(domestic),
        ),
        Sheet(
            "Periods",
            (
                _col("Company", CellKind.TEXT, 18, 0),
                _col("Period", CellKind.TEXT, 14, 1),
                _col("Months", CellKind.TEXT, 18, 2),
                _col("Category", CellKind.TEXT, 22, 3),
                _col("Region", CellKind.TEXT, 14, 4),
                _col(f"Spend ({cur})", CellKind.MONEY, 20, 5),
                _col("Counted in totals", CellKind.TEXT, 10, 6),
            ),
            lambda: iter(periods),
        ),
        Sheet(
            "Reconciliation",
            (
                _col("Company", CellKind.TEXT, 18, 0),
                _col("Year", CellKind.TEXT, 10, 1),
                _col("Category", CellKind.TEXT, 22, 2),
                _col(f"Full-year figure ({cur})", CellKind.MONEY, 20, 3),
                _col(f"Parts ({cur})", CellKind.MONEY, 20, 4),
                _col("Parts present", CellKind.TEXT, 16, 5),
                _col(f"Difference ({cur})", CellKind.MONEY, 18, 6),
                _col("Difference", CellKind.SHARE, 10, 7),
                _col("Note", CellKind.TEXT, 60, 8),
            ),
            lambda: iter(checks),
        ),
        Sheet(
            "Left out",
            (
                _col("Table", CellKind.TEXT, 14, 0),
                _col("Row", CellKind.INTEGER, 8, 1),
                _col("Reason", CellKind.TEXT, 30, 2),
            ),
            lambda: iter(excluded),
        ),
    ]


def summary_csv_sheet(summary: Summary) -> Sheet:
    """The whole summary as one long table (for CSV): a Part column says which part."""
    cur = summary.currency

    def lines() -> Iterator[_Line]:
        for t in summary.spend.totals:
            yield _Line("total", t.company, t.year, "", "", "", "", t.amount, None, "", None, "")
        for r in summary.spend.rows:
            yield _Line(
                "spend",
                r.company,
                r.year,
                r.category,
                r.region,
                "",
                "",
                r.amount,
                None,
                "",
                r.count,
                "",
            )
        for s in summary.shares.shares:
            yield _Line(
                "supplier share",
                s.company,
                s.year,
                "",
                "",
                s.supplier,
                s.metric.value,
                s.amount,
                s.share,
                "domestic" if s.domestic else "imported",
                None,
                "",
            )
        for d in summary.shares.domestic:
            yield _Line(
                "domestic share",
                d.company,
                d.year,
                "",
                "",
                "",
                d.metric.value,
                None,
                d.share,
                "",
                None,
                "",
            )
        for p in summary.spend.periods:
            yield _Line(
                "period" if p.counted else "period (not counted)",
                p.company,
                p.period.label,
                p.category,
                p.region,
                "",
                "",
                p.amount,
                None,
                "",
                None,
                p.period.months_label,
            )
        for rec in summary.spend.reconciliation:
            yield _Line(
                "reconciliation",
                rec.company,
                rec.year.label,
                rec.category,
                "",
                "",
                "",
                rec.difference,
                rec.relative,
                "",
                None,
                rec.sentence(cur),
            )
        for e in summary.excluded:
            yield _Line(
                "left out",
                "",
                None,
                "",
                "",
                "",
                "",
                None,
                None,
                "",
                e.id,
                f"{e.table.replace('_', ' ')}: {e.reason}",
            )

    columns = (
        ExportColumn("Part", CellKind.TEXT, 14, _at(0)),
        ExportColumn("Company", CellKind.TEXT, 18, _at(1)),
        ExportColumn("Year", CellKind.TEXT, 10, _at(2)),
        ExportColumn("Category", CellKind.TEXT, 22, _at(3)),
        ExportColumn("Region", CellKind.TEXT, 14, _at(4)),
        ExportColumn("Supplier", CellKind.TEXT, 14, _at(5)),
        ExportColumn("Metric", CellKind.TEXT, 8, _at(6)),
        ExportColumn(f"Amount ({cur} or units)", CellKind.MONEY, 20, _at(7)),
        ExportColumn("Share", CellKind.SHARE, 8, _at(8)),
        ExportColumn("Origin", CellKind.TEXT, 10, _at(9)),
        ExportColumn("Rows", CellKind.INTEGER, 6, _at(10)),
        ExportColumn("Reason", CellKind.TEXT, 30, _at(11)),
    )
    return Sheet("Summary", columns, lines)
