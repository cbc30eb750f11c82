"""One of two processes editing the same file at once (driven by test_two_writers.py).

It edits through the store, as the window does: read the row (what the user sees), a moment of
typing, then write the change. Every outcome is written to a JSON file: acknowledged edits with
the value they replaced, conflicts with both values, and refusals.

Usage: two_writers_worker.py DB NAME EDITS SEED ROWS_JSON GO_FILE OUT_FILE [--control]
With --control the version check is replaced by the old whole-row write (the lost-update bug).
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from typing import Any


def _blind_writes() -> None:
    """The control: write the whole row as read, whatever is stored now (what lost edits)."""
    from capex_gui.domain.merge import Merge
    from capex_gui.storage import repository

    def overwrite(_seen: Any, wanted: Any, current: Any) -> Merge:
        return Merge(wanted.with_changes(version=current.version))

    repository.merge_edit = overwrite  # type: ignore[assignment]


def main(argv: list[str]) -> int:
    """Run the edits; 0 when the run finished (whatever the outcomes)."""
    path, name, count, seed, rows_json, go_file, out_file = argv[:7]
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance() or QCoreApplication([])

    from capex_gui.errors import ConflictError, StorageError
    from capex_gui.storage.database import open_database
    from capex_gui.storage.repository import Repository
    from capex_gui.store.store import CapexStore, TableKind

    if "--control" in argv:
        _blind_writes()
    rows = json.loads(rows_json)
    own: list[int] = rows["own"][name]
    shared_row, same_field_row = rows["same_row"], rows["same_field"]
    db = open_database(path)
    store = CapexStore(Repository(db.engine), app)
    rng = random.Random(int(seed))
    log: list[dict[str, Any]] = []
    go = Path(go_file)
    while not go.exists():  # start together
        time.sleep(0.001)
    started = time.monotonic()
    for i in range(int(count)):
        scenario = ("different rows", "same row, different fields", "same field")[i % 3]
        if scenario == "different rows":
            row, field = rng.choice(own), "notes"
        elif scenario == "same row, different fields":
            row, field = shared_row, "notes" if name == "A" else "source"
        else:
            row, field = same_field_row, "notes"
        token = f"{name}{i}"
        seen = store.repo.get_investment(row)
        time.sleep(rng.random() * 0.003)  # the user types
        entry: dict[str, Any] = {
            "scenario": scenario,
            "row": row,
            "field": field,
            "seen": getattr(seen, field),
            "new": token,
        }
        try:
            store.change_rows(
                TableKind.INVESTMENTS, edits=[(seen, seen.with_changes(**{field: token}))]
            )
            entry["outcome"] = "ok"
        except ConflictError as exc:
            clash = exc.rows[0].fields[0]
            entry |= {"outcome": "conflict", "yours": clash.yours, "theirs": clash.theirs}
        except StorageError as exc:
            entry |= {"outcome": "refused", "message": str(exc)}
        log.append(entry)
    seconds = time.monotonic() - started
    db.close()
    Path(out_file).write_text(json.dumps({"edits": log, "seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
