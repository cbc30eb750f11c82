"""``capex-gui import DB FILE --table ...``: figures in from a CSV or XLSX file, all or nothing.

Errors go to stderr with the file's line numbers, the exit code is non-zero, and nothing is
written. ``--dry-run`` prints what would be imported and writes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from capex_gui.app.cli.base import command, parser_for
from capex_gui.errors import CapexError

if TYPE_CHECKING:
    import argparse

    from capex_gui.dataio.checking import CheckResult
    from capex_gui.dataio.convert import RowError
    from capex_gui.dataio.importer import ImportJob, ImportOutcome
    from capex_gui.storage.repository import Repository

#: Failing rows printed before "... and N more".
MAX_PRINTED_ERRORS = 200
#: Rows a dry run shows.
DRY_RUN_ROWS = 10


def _rows(n: int) -> str:
    return f"{n:,} row{'s' if n != 1 else ''}"


def _fail(message: str, code: int = 2) -> int:
    """One line on stderr; 2 for a bad command line or file, 1 for rows that fail."""
    print(f"capex-gui: error: {message}", file=sys.stderr)
    return code


def _error_line(path: Path, error: RowError) -> str:
    found = f" (found “{error.text}”)" if error.text and error.text not in error.reason else ""
    where = f", column {error.column}" if error.column else ""
    line = f"{path.name}:{error.line}{where}: {error.reason}{found}"
    return " ↵ ".join(line.splitlines())  # one problem, one line (a cell may hold newlines)


def _print_errors(path: Path, result: CheckResult) -> None:
    for error in result.errors[:MAX_PRINTED_ERRORS]:
        print(_error_line(path, error), file=sys.stderr)
    more = result.error_count - min(len(result.errors), MAX_PRINTED_ERRORS)
    if more > 0:
        print(f"... and {more:,} more problems", file=sys.stderr)
    print(f"capex-gui: error: {result.summary()}", file=sys.stderr)


def _countries(specs: list[str]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for spec in specs:
        name, sep, code = spec.rpartition("=")
        if not sep or not name.strip():
            raise CapexError(f"--country {spec!r} is not NAME=CC (e.g. Newco=DE)")
        for kind in ("company", "supplier"):
            out[(kind, " ".join(name.split()))] = code.strip().upper()
    return out


def _dry_run(job: ImportJob, result: CheckResult, describe: str) -> None:
    from capex_gui.dataio.fields import FIELDS
    from capex_gui.dataio.tabular import column_label

    source_headers = job.open().headers
    print(
        f"{job.path.name} ({describe}): {_rows(result.rows)} would be imported into "
        f"{job.table.label.lower()}"
    )
    print("Columns:")
    for f in FIELDS[job.table]:
        index = job.mapping.columns.get(f.key)
        if index is not None:
            print(f"  {f.label:<18} <- column {column_label(index, source_headers)}")
        elif f.key in job.mapping.fixed:
            print(f"  {f.label:<18} =  “{job.mapping.fixed[f.key]}” (fixed)")
    ignored = [
        column_label(i, source_headers)
        for i, h in enumerate(source_headers)
        if h and i not in job.mapping.columns.values()
    ]
    if ignored:
        print("Ignored columns: " + ", ".join(ignored))
    for name in result.new_names:
        country = f", country {name.country}" if name.country else ""
        print(f"New {name.kind}: {name.name} (first on line {name.first_line}{country})")
    print("First rows:")
    for item in result.sample[:DRY_RUN_ROWS]:
        print("  " + _describe(item))
    print("Nothing was written (--dry-run).")


def _describe(item: object) -> str:
    from capex_gui.domain.entities import ChipOrder, FxRate, Investment
    from capex_gui.domain.parsing import format_amount, format_units

    if isinstance(item, Investment):
        return (
            f"{item.company} | {item.period.label} | {item.category} | {item.region} | "
            f"{format_amount(item.amount, item.currency)} | {item.status.value}"
        )
    if isinstance(item, ChipOrder):
        units = "" if item.units is None else f"{format_units(item.units)} units"
        value = "" if item.value is None else format_amount(item.value, item.currency)
        return (
            f"{item.company} | {item.period.label} | {item.supplier} | "
            f"{item.chip_model or '-'} | {units or '-'} | {value or '-'}"
        )
    if isinstance(item, FxRate):
        return f"{item.currency} {item.year}: {item.units_per_usd} per USD"
    return str(item)


def _checked_import(
    job: ImportJob,
    repo: Repository,
    args: argparse.Namespace,
    countries: dict[tuple[str, str], str],
) -> ImportOutcome | int:
    """Check the whole file, then write it (new names to confirm, a dry run): an exit code
    when it stops here, else what the import wrote."""
    from capex_gui.dataio.importer import (
        check_import,
        missing_countries,
        new_references,
        run_import,
    )

    path = job.path
    result = check_import(job, repo, keep=DRY_RUN_ROWS)
    if not result.ok:
        _print_errors(path, result)
        return 1
    if result.new_names and not args.create_missing:
        for name in result.new_names:
            print(
                f"{path.name}:{name.first_line}: the database has no {name.kind} “{name.name}”",
                file=sys.stderr,
            )
        return _fail("add them first, or pass --create-missing; nothing was imported", 1)
    lacking = missing_countries(result.new_names, countries)
    if lacking and not args.dry_run:
        for name in lacking:
            print(
                f"{path.name}:{name.first_line}: the new {name.kind} “{name.name}” needs "
                "a country: add a Country column or pass --country "
                f'"{name.name}=CC"',
                file=sys.stderr,
            )
        return _fail("nothing was imported", 1)
    if args.dry_run:
        _dry_run(job, result, job.open().describe())
        return 0
    return run_import(job, repo, references=new_references(result.new_names, countries))


@command("import", "import investments, chip orders or FX rates from CSV or XLSX")
def cmd_import(argv: list[str]) -> int:
    """Import investments, chip orders or FX rates from a CSV or XLSX file."""
    parser = parser_for(
        "import",
        "Import rows from a CSV or XLSX file into DB, all or nothing. Columns are "
        "matched to fields by their headers (Buyer, Vendor, Units shipped... work too); "
        "--map and --set adjust that. Every failing row is reported with its line.",
    )
    parser.add_argument("db", help="a .capex file or an SQLAlchemy URL")
    parser.add_argument("file", type=Path, help="the CSV or XLSX file")
    parser.add_argument(
        "--table", required=True, choices=["investments", "chip-orders", "fx-rates"]
    )
    parser.add_argument("--sheet", help="the XLSX sheet (default: the first with data)")
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help='fill FIELD from COLUMN (its header or letter), e.g. units="Units shipped"',
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="give FIELD the same VALUE in every row, e.g. currency=USD",
    )
    parser.add_argument(
        "--country",
        action="append",
        default=[],
        metavar="NAME=CC",
        help="country of a new company or supplier the file names (with --create-missing)",
    )
    parser.add_argument(
        "--create-missing",
        action="store_true",
        help="create companies, suppliers, categories and regions the database lacks",
    )
    parser.add_argument("--dry-run", action="store_true", help="show what would be imported")
    args = parser.parse_args(argv)

    from capex_gui.dataio.checking import CheckResult, MappingProblem
    from capex_gui.dataio.convert import RowFailure
    from capex_gui.dataio.fields import ImportTable, header_score
    from capex_gui.dataio.importer import (
        ImportJob,
        write_in_one_pass,
    )
    from capex_gui.dataio.mapping import ColumnMapping
    from capex_gui.dataio.tabular import TableFileError, open_table
    from capex_gui.storage.database import open_database
    from capex_gui.storage.repository import Repository

    table = ImportTable(args.table)
    path: Path = args.file
    try:
        countries = _countries(args.country)
        source = open_table(path, sheet=args.sheet, score=header_score(table))
        mapping = ColumnMapping.guess(table, source.headers)
        for spec in args.map:
            mapping = mapping.with_option(spec, source.headers, fixed=False)
        for spec in args.set:
            mapping = mapping.with_option(spec, source.headers, fixed=True)
        problems = mapping.problems(source.headers)
        if problems:
            for problem in problems:
                print(f"{path.name}: {problem}", file=sys.stderr)
            return _fail("the columns do not fit (use --map or --set); nothing was imported")
        job = ImportJob(path, mapping, sheet=args.sheet)
        db = open_database(args.db)
    except CapexError as exc:
        return _fail(f"{exc}; nothing was imported" if path.exists() else str(exc))
    try:
        repo = Repository(db.engine)
        # One read when every name is known: convert and write together, or report and roll back.
        done = None if args.dry_run else write_in_one_pass(job, repo)
        if isinstance(done, CheckResult):
            _print_errors(path, done)
            return 1
        outcome = done if done is not None else _checked_import(job, repo, args, countries)
        if isinstance(outcome, int):
            return outcome
    except RowFailure as failure:
        for error in failure.errors:
            print(_error_line(path, error), file=sys.stderr)
        return _fail("nothing was imported", 1)
    except (MappingProblem, TableFileError) as exc:  # the file, not its rows
        return _fail(f"{exc}; nothing was imported")
    except CapexError as exc:
        return _fail(f"{exc}; nothing was imported", 1)
    finally:
        db.close()
    record = outcome.record
    created = sum(len(v) for v in record.created.values())
    extra = f", created {created} new name{'s' if created != 1 else ''}" if created else ""
    print(
        f"imported {_rows(record.row_count)} into {table.label.lower()} from {path.name} "
        f"(import #{record.id}{extra})"
    )
    return 0
