"""``capex-gui extract`` (a report's text to proposed rows) and ``capex-gui check`` (checks)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from capex_gui.app.cli.base import command, fail, parser_for
from capex_gui.errors import CapexError

if TYPE_CHECKING:
    from capex_gui.domain.analytics import Summary
    from capex_gui.domain.checks import Finding
    from capex_gui.domain.extraction import Proposal
    from capex_gui.storage.repository import Repository

#: Longest text `extract` reads (a report's article, not a book).
MAX_TEXT_CHARS = 1_000_000


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _date(text: str) -> date:
    import argparse

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-02-24") from None


@command("extract", "propose rows from a report's text (with the spans they came from)")
def cmd_extract(argv: list[str]) -> int:
    """Print the rows a report's text proposes."""
    parser = parser_for(
        "extract",
        "Read a report's text (a file, or - for standard input) and print the rows "
        "it proposes: investments, headline totals, chip orders, FX rates implied by paired "
        "currencies and stated shares, each with the character span it came from. Every number "
        "proposed is written in the text; what the text does not say is left empty.",
    )
    parser.add_argument("file", help="a UTF-8 text file, or - to read standard input")
    parser.add_argument("--source", default="", help="where the text comes from (printed back)")
    parser.add_argument(
        "--date", type=_date, help="the report's date (YYYY-MM-DD); dates 'this year' and the like"
    )
    parser.add_argument("--db", help="also recognise the companies and suppliers of this database")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    try:
        text = _read_text(args.file)
        names = _names(args.db)
    except CapexError as exc:
        return fail(str(exc))
    from capex_gui.domain.extraction import extract

    proposals = extract(text, names, anchor=args.date)
    if args.json:
        _out(json.dumps([p.as_json() for p in proposals], indent=2, ensure_ascii=False))
    else:
        _out(proposals_text(proposals, text, source=args.source))
    return 0


def _read_text(name: str) -> str:
    from capex_gui.errors import ValidationError

    if name == "-":
        raw = sys.stdin.buffer.read(MAX_TEXT_CHARS * 4 + 1)
    else:
        path = Path(name)
        if not path.is_file():
            raise ValidationError(f"{name} is not a file")
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ValidationError(f"{name} could not be read: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(f"{name} is not UTF-8 text") from None
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(f"{name} is longer than {MAX_TEXT_CHARS:,} characters")
    return text


def _names(db: str | None) -> Any:
    from capex_gui.domain.extraction import KnownNames

    if db is None:
        return KnownNames.build()
    from capex_gui.storage.aliases import company_aliases
    from capex_gui.storage.database import open_database
    from capex_gui.storage.repository import Repository

    database = open_database(db)
    try:
        repo = Repository(database.engine)
        return KnownNames.build(
            {c.name: c.country for c in repo.companies()},
            {s.name: s.country for s in repo.suppliers()},
            {a.alias: a.company for a in company_aliases(database.engine)},
        )
    finally:
        database.close()


def proposals_text(proposals: list[Proposal], text: str, *, source: str = "") -> str:
    """A readable list of the proposals."""
    from capex_gui.domain.parsing import format_amount

    if not proposals:
        return "No figures proposed: the text names no investment, chip order or share."
    lines = [f"{len(proposals)} proposals" + (f" from {source}" if source else "")]
    for number, p in enumerate(proposals, start=1):
        if p.amount is not None and p.kind.value == "fx":
            figure = f"{p.amount} {p.currency}/USD"
        elif p.amount is not None:
            figure = format_amount(p.amount, p.currency or None, compact=True)
        elif p.units is not None:
            figure = f"{p.units:,} units"
        else:
            figure = f"{(p.share or 0) * 100:g}%"
        where = ", ".join(
            x for x in (p.company, p.period, p.category, p.region, p.supplier, p.chip_model) if x
        )
        written = text[p.span.start : p.span.end]
        lines.append(
            f"{number:>3}. {p.kind.label:<14} {figure:<16} {where}  "
            f"[{p.status.value}, {p.qualifier.value}]  “{written}” @{p.span.start}-{p.span.end}"
        )
    return "\n".join(lines)


@command("check", "reconcile a database's figures; exit 1 on a hard inconsistency")
def cmd_check(argv: list[str]) -> int:
    """Reconcile a database's figures; exit 1 on any hard inconsistency."""
    parser = parser_for(
        "check",
        "Check a database's figures against each other: parts vs headline totals, "
        "implied vs table FX rates, units × unit price vs value, stated vs computed shares, "
        "figures without a source, duplicates and estimates a report replaced. Exits 1 when any "
        "check finds a hard inconsistency.",
    )
    parser.add_argument("db", help="a .capex file or an SQLAlchemy URL")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)
    from capex_gui.domain.checks import Severity, run_checks
    from capex_gui.storage.database import open_database
    from capex_gui.storage.facts import read_facts

    try:
        db = open_database(args.db)
        try:
            findings = run_checks(read_facts(db.engine))
        finally:
            db.close()
    except CapexError as exc:
        return fail(str(exc))
    if args.json:
        _out(json.dumps([finding_json(f) for f in findings], indent=2, ensure_ascii=False))
    else:
        _out(findings_text(findings))
    return 1 if any(f.severity is Severity.HARD for f in findings) else 0


def finding_json(finding: Finding) -> dict[str, Any]:
    """One finding as ``check --json`` prints it."""
    return {
        "check": finding.check.value,
        "severity": finding.severity.value,
        "message": finding.message,
        "rows": [{"table": r.table, "id": r.id} for r in finding.rows],
    }


def findings_text(findings: list[Finding]) -> str:
    """A readable report of the findings."""
    if not findings:
        return "Nothing to check yet."
    marks = {"hard": "INCONSISTENT", "note": "note", "ok": "ok"}
    lines = []
    for f in findings:
        rows = ", ".join(f"{r.table} #{r.id}" for r in f.rows)
        lines.append(f"{marks[f.severity.value]:<12} {f.check.value}: {f.message}  [{rows}]")
    hard = sum(1 for f in findings if f.severity.value == "hard")
    notes = sum(1 for f in findings if f.severity.value == "note")
    lines.append(f"{hard} hard inconsistencies, {notes} notes, {len(findings) - hard - notes} ok")
    return "\n".join(lines)


def add_stated_domestic_shares(summary: Summary, repo: Repository) -> None:
    """Put the domestic shares reports state into *summary* where chip orders give none."""
    from capex_gui.domain.statements import stated_domestic_shares
    from capex_gui.storage.statements import StatementRepository

    domestic = summary.shares.domestic
    domestic.extend(stated_domestic_shares(StatementRepository(repo).shares(), domestic))
    domestic.sort(key=lambda d: (d.company, d.year, d.metric.value))
