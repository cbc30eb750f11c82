"""Two processes edit one file at once (issue 10, finding 2, "Done when").

2 x 500 edits through the store: different rows, the same row's different fields, the same
field. With row versions: no edit refused for a lock, no acknowledged edit lost, every
same-field clash surfaced as a conflict. The control run replaces the version check with the
old whole-row write, and loses acknowledged edits: the test can fail.

An acknowledged edit replaced the value its writer had read ("seen") with a unique token. If no
acknowledged edit was lost, the edits of each field form one chain from the first value to the
stored one, each replacing the one before; two acknowledged edits that replaced the same value
mean one overwrote the other unseen.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository

if TYPE_CHECKING:
    from capex_gui.storage.database import Database

WORKER = Path(__file__).with_name("two_writers_worker.py")
EDITS = 500
CONTROL_EDITS = 200


@pytest.fixture
def backend() -> str:
    """SQLite only: two processes on one file (tests/postgres runs two users on a server)."""
    return "sqlite"

Key = tuple[int, str]


def _run_two_writers(
    db: Database, tmp_path: Path, edits: int, *, control: bool
) -> tuple[dict[Key, str], list[dict[str, Any]]]:
    """Every field's value before the run, and both writers' logs (A's entries, then B's)."""
    repo = Repository(db.engine)
    base = repo.investments()
    repo.add_investments([i.with_changes(id=None, version=None) for i in base[:3]])
    ids = [i.id or 0 for i in repo.investments()]
    rows = {"own": {"A": ids[0:2], "B": ids[2:4]}, "same_row": ids[4], "same_field": ids[5]}
    keys = {(r, "notes") for r in ids[0:6]} | {(ids[4], "source")}
    first = _values(db, keys)
    go = tmp_path / ("go-control" if control else "go")
    processes = []
    outs = []
    for name, seed in (("A", 1), ("B", 2)):
        out = tmp_path / f"{name}{'-control' if control else ''}.json"
        outs.append(out)
        args = [str(db.path), name, str(edits), str(seed), json.dumps(rows), str(go), str(out)]
        processes.append(
            subprocess.Popen(  # our own interpreter and script
                [sys.executable, str(WORKER), *args, *(["--control"] if control else [])],
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    time.sleep(0.3)  # both have imported and opened the file (they wait for "go")
    go.touch()
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    logs: list[dict[str, Any]] = []
    for out in outs:
        logs.extend(json.loads(out.read_text())["edits"])
    assert _keys(logs) <= set(first)
    return first, logs


def _lost_updates(
    edits: list[dict[str, Any]], first: dict[Key, str], stored: dict[Key, str]
) -> list[str]:
    """Every way an acknowledged edit went missing (empty: none did)."""
    problems: list[str] = []
    chains: dict[Key, list[dict[str, Any]]] = defaultdict(list)
    for e in edits:
        if e["outcome"] == "ok":
            chains[(e["row"], e["field"])].append(e)
    for key, acked in chains.items():
        after: dict[str, str] = {}
        for e in acked:
            if e["seen"] in after:
                problems.append(
                    f"{key}: {after[e['seen']]} and {e['new']} both replaced {e['seen']!r}"
                )
            after[e["seen"]] = e["new"]
        value, walked = first[key], 0
        while value in after:
            value = after.pop(value)
            walked += 1
        if walked != len(acked):
            problems.append(f"{key}: {len(acked) - walked} acknowledged edits overwritten unseen")
        if value != stored[key]:
            problems.append(f"{key}: stored {stored[key]!r}, last acknowledged {value!r}")
    return problems


def _values(db: Database, keys: set[Key]) -> dict[Key, str]:
    """What a fresh connection reads from the file."""
    other = open_database(db.path)  # type: ignore[arg-type]
    try:
        repo = Repository(other.engine)
        return {(row, field): getattr(repo.get_investment(row), field) for row, field in keys}
    finally:
        other.close()


def _keys(edits: list[dict[str, Any]]) -> set[Key]:
    return {(e["row"], e["field"]) for e in edits}


@pytest.mark.slow
def test_two_writers_lose_nothing_and_every_same_field_clash_is_surfaced(
    db: Database, sample_repo: Repository, tmp_path: Path
) -> None:
    first, edits = _run_two_writers(db, tmp_path, EDITS, control=False)
    assert len(edits) == 2 * EDITS
    stored = _values(db, set(first))
    refused = [e["message"] for e in edits if e["outcome"] == "refused"]
    assert refused == []  # no edit refused for a lock (each is held for milliseconds)
    assert _lost_updates(edits, first, stored) == []
    conflicts = [e for e in edits if e["outcome"] == "conflict"]
    by_scenario = defaultdict(int)
    for e in conflicts:
        by_scenario[e["scenario"]] += 1
    # only the same field clashes; different rows and fields merge silently and correctly
    assert set(by_scenario) == {"same field"}
    assert by_scenario["same field"] >= 5, "the writers never raced: the test proved nothing"
    acked = {e["new"] for e in edits if e["outcome"] == "ok"}
    for e in conflicts:  # each shows the user's value and one really committed by the other
        assert e["yours"] == e["new"]
        assert e["theirs"] in acked and e["theirs"][0] != e["new"][0]


@pytest.mark.slow
def test_control_without_versions_loses_acknowledged_edits(
    db: Database, sample_repo: Repository, tmp_path: Path
) -> None:
    first, edits = _run_two_writers(db, tmp_path, CONTROL_EDITS, control=True)
    stored = _values(db, set(first))
    assert all(e["outcome"] == "ok" for e in edits)  # nobody was told anything...
    assert _lost_updates(edits, first, stored) != []  # ...and acknowledged edits were lost
