"""``capex-gui summary DB``: the analytics as text or as the documented JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from capex_gui.app.cli.base import command, currency_code, fail, parser_for
from capex_gui.domain.currencies import DEFAULT_DISPLAY_CURRENCY
from capex_gui.domain.money import CENT
from capex_gui.domain.parsing import format_amount
from capex_gui.errors import CapexError

if TYPE_CHECKING:
    from capex_gui.domain.analytics import Summary
    from capex_gui.domain.periods import Month


@command("summary", "print spend, supplier shares and what was left out")
def cmd_summary(argv: list[str]) -> int:
    """Print the analytics of a database."""
    parser = parser_for(
        "summary",
        "Print spend per company, year, category and region, supplier shares, and each row "
        "left out of a figure (and of which one).",
    )
    parser.add_argument("db", help="a .capex file or an SQLAlchemy URL")
    parser.add_argument(
        "--currency",
        type=currency_code,
        default=DEFAULT_DISPLAY_CURRENCY,
        help="display currency (default: USD)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--spread-spans",
        action="store_true",
        help="add an even share of each multi-year figure to each of its years (as an estimate)",
    )
    args = parser.parse_args(argv)
    from capex_gui.app.cli.reports import add_stated_domestic_shares
    from capex_gui.storage.database import open_database
    from capex_gui.storage.repository import Repository

    try:
        db = open_database(args.db)
        try:
            repo = Repository(db.engine)
            summary = repo.summary(args.currency, spread_spans=args.spread_spans)
            add_stated_domestic_shares(summary, repo)
        finally:
            db.close()
    except CapexError as exc:
        return fail(str(exc))
    if args.json:
        print(json_lines(summary_json(summary)))
    else:
        print(summary_text(summary))
    return 0


def json_lines(document: dict[str, Any]) -> str:
    """The JSON of *document* (an object of scalars and lists of flat objects), one list entry
    per line: as readable as indented JSON, and written by the C encoder (a million-row file
    leaves out a hundred thousand rows, which indent=2 would format in pure Python)."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    parts = []
    for key, value in document.items():
        head = f"  {encode(key)}: "
        if isinstance(value, list) and value:
            rows = ",\n".join("    " + encode(v) for v in value)
            parts.append(f"{head}[\n{rows}\n  ]")
        else:
            parts.append(head + encode(value))
    return "{\n" + ",\n".join(parts) + "\n}"


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT))


def _share(value: Decimal) -> float:
    # JSON numbers are the contract for shares; six places is far below any chart's resolution.
    return float(value.quantize(Decimal("0.000001")))


def summary_json(summary: Summary) -> dict[str, Any]:
    """The documented ``summary --json`` structure."""
    return {
        "currency": summary.currency,
        "spend": [
            {
                "company": r.company,
                "year": r.year,
                "category": r.category,
                "region": r.region,
                "amount": _money(r.amount),
            }
            for r in summary.spend.rows
        ],
        "totals": [
            {"company": t.company, "year": t.year, "amount": _money(t.amount)}
            for t in summary.spend.totals
        ],
        "supplier_shares": [
            {
                "company": s.company,
                "year": s.year,
                "metric": s.metric.value,
                "supplier": s.supplier,
                "share": _share(s.share),
                "domestic": s.domestic,
            }
            for s in summary.shares.shares
        ],
        "domestic_share": [
            {
                "company": d.company,
                "year": d.year,
                "metric": d.metric.value,
                "share": _share(d.share),
            }
            for d in summary.shares.domestic
        ],
        "excluded": [
            {"table": e.table, "id": e.id, "reason": e.reason, "left_out_of": e.left_out_of}
            for e in summary.excluded
        ],
        "periods": [
            {
                "company": p.company,
                "period": p.period.label,
                "start": _month(p.period.first_month),
                "end": _month(p.period.last_month),
                "category": p.category,
                "region": p.region,
                "amount": _money(p.amount),
            }
            for p in summary.spend.periods
        ],
        "reconciliation": [
            {
                "company": r.company,
                "year": r.year.year,
                "category": r.category,
                "annual": None if r.annual is None else _money(r.annual),
                "parts": _money(r.parts),
                "difference": None if r.difference is None else _money(r.difference),
                "note": r.sentence(summary.currency),
            }
            for r in summary.spend.reconciliation
        ],
    }


def _month(month: Month) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def summary_text(summary: Summary) -> str:
    """A readable report of the same figures."""
    cur = summary.currency
    lines = [f"Spend ({cur})"]
    for r in summary.spend.rows:
        lines.append(
            f"  {r.company:<14} {r.year}  {r.category:<26} {r.region:<14} "
            f"{format_amount(r.amount, cur, compact=True):>14}"
        )
    lines.append(f"Totals ({cur})")
    for t in summary.spend.totals:
        lines.append(
            f"  {t.company:<14} {t.year}  {format_amount(t.amount, cur, compact=True):>14}"
        )
    lines.append("Supplier shares")
    for s in summary.shares.shares:
        origin = "domestic" if s.domestic else "imported"
        lines.append(
            f"  {s.company:<14} {s.year}  by {s.metric.value:<5}  {s.supplier:<14} "
            f"{s.share * 100:6.1f}%  {origin}"
        )
    for d in summary.shares.domestic:
        lines.append(
            f"  {d.company:<14} {d.year}  by {d.metric.value:<5}  domestic share "
            f"{d.share * 100:6.1f}%"
        )
    lines.append(f"Periods ({cur})")
    for p in summary.spend.periods:
        mark = "" if p.counted else "  (not in totals)"
        lines.append(
            f"  {p.company:<14} {p.period.long_label:<30} {p.category:<26} {p.region:<14} "
            f"{format_amount(p.amount, cur, compact=True):>14}{mark}"
        )
    if summary.spend.reconciliation:
        lines.append("Reconciliation")
        for rec in summary.spend.reconciliation:
            lines.append(f"  {rec.company:<14} {rec.category:<26} {rec.sentence(cur)}")
    if summary.excluded:
        lines.append("Left out")
        for e in summary.excluded:
            lines.append(f"  {e.table} #{e.id}: {e.describe()}")
    return "\n".join(lines)
