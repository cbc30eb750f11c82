"""Two users, two real connections, 2 × 200 edits to the same few rows at the same time.

Each user edits what is on their screen (a copy that is refreshed only now and then, so it is
often stale), one field per edit, with a moment's thought between looking and typing. With row
versions, no acknowledged value is ever replaced by a writer who had not seen it, every clash
reaches the user, who chooses (here: by a coin), and the rows end as the last choices made.
The control run writes whole rows from the same stale copies without versions, as the app did
before issue 10, and loses updates; the test prints how many.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import text

from capex_gui.domain.entities import Investment
from capex_gui.domain.merge import changed_fields
from capex_gui.domain.money import to_minor
from capex_gui.errors import ConflictError
from capex_gui.storage.database import open_database
from capex_gui.storage.repository import Repository
from capex_gui.store.conflicts import Resolution, resolve

if TYPE_CHECKING:
    from capex_gui.storage.database import Database

EDITS_PER_USER = 200
ROWS = 4
FIELDS = ("notes", "source", "amount")
#: Edits between two refreshes of a user's screen (other users' changes arrive late).
REFRESH_EVERY = 5


@dataclass
class Tally:
    """What one user did and saw."""

    acknowledged: int = 0
    #: (field, value the user saw, value stored just before the write, value written) of
    #: every field each write changed
    writes: list[tuple[str, object, object, object]] = field(default_factory=list)
    #: (field, value) each acknowledged edit set (every value is unique to its edit)
    typed: list[tuple[str, object]] = field(default_factory=list)
    conflicts_shown: int = 0
    #: Row id -> the stored row after this user's last acknowledged write to it.
    last: dict[int, Investment] = field(default_factory=dict)
    errors: list[BaseException] = field(default_factory=list)


def _new_value(name: str, seen: Investment, user: str, n: int) -> object:
    if name == "amount":
        return Decimal(1000 + n * 2 + (user == "B")) + Decimal("0.25")
    return f"{user}{n}"


def _edit_with_versions(repo: Repository, ids: list[int], user: str, seed: int, out: Tally) -> None:
    rng = random.Random(seed)
    screen = {i.id or 0: i for i in repo.investments(ids)}
    for n in range(EDITS_PER_USER):
        if n % REFRESH_EVERY == 0:
            screen = {i.id or 0: i for i in repo.investments(ids)}
        row = rng.choice(ids)
        seen = screen[row]
        name = rng.choice(FIELDS)
        wanted = seen.with_changes(**{name: _new_value(name, seen, user, n)})
        time.sleep(rng.uniform(0, 0.004))  # looking, then typing
        edits = [(seen, wanted)]
        for _round in range(10):
            try:
                done = repo.write_figures("investments", edits=edits)
                break
            except ConflictError as clash:
                out.conflicts_shown += 1
                (shown,) = clash.rows
                assert shown.theirs is not None and shown.fields  # both values are there
                mine = rng.random() < 0.5
                choice = Resolution.KEEP_MINE if mine else Resolution.KEEP_THEIRS
                edits = resolve(clash, {row: choice}, edits, [], []).edits
                if not edits:  # kept theirs and nothing else of the edit is left
                    done = None
                    screen[row] = shown.theirs
                    break
        else:
            raise AssertionError("an edit kept meeting conflicts")
        if done is None:
            continue
        out.acknowledged += 1
        ((before, after),) = done.updated or [(seen, seen)]
        ((base, _),) = edits
        for f in changed_fields(before, after):
            out.writes.append((f, getattr(base, f), getattr(before, f), getattr(after, f)))
        if getattr(after, name) == getattr(wanted, name):  # not "kept theirs"
            out.typed.append((name, getattr(wanted, name)))
        out.last[row] = after
        screen[row] = after


def _edit_without_versions(db: Database, ids: list[int], user: str, seed: int, out: Tally) -> None:
    """The control: whole rows written from the user's stale copy, no version check."""
    repo = Repository(db.engine)
    rng = random.Random(seed)
    screen = {i.id or 0: i for i in repo.investments(ids)}
    for n in range(EDITS_PER_USER):
        if n % REFRESH_EVERY == 0:
            screen = {i.id or 0: i for i in repo.investments(ids)}
        row = rng.choice(ids)
        seen = screen[row]
        name = rng.choice(FIELDS)
        wanted = seen.with_changes(**{name: _new_value(name, seen, user, n)})
        time.sleep(rng.uniform(0, 0.004))
        with db.engine.execution_options(capex_write_intent=True).begin() as conn:
            # read what is stored only to measure what the write replaces
            before = conn.execute(
                text("SELECT notes, source, amount_minor FROM investments WHERE id = :id"),
                {"id": row},
            ).one()
            conn.execute(
                text(
                    "UPDATE investments SET notes = :notes, source = :source, "
                    "amount_minor = :amount WHERE id = :id"
                ),
                {
                    "notes": wanted.notes,
                    "source": wanted.source,
                    "amount": to_minor(wanted.amount),
                    "id": row,
                },
            )
        stored = {"notes": before[0], "source": before[1], "amount": before[2]}
        typed = getattr(wanted, name)
        out.typed.append((name, to_minor(typed) if name == "amount" else typed))
        for f in FIELDS:
            mine = to_minor(getattr(wanted, f)) if f == "amount" else getattr(wanted, f)
            saw = to_minor(getattr(seen, f)) if f == "amount" else getattr(seen, f)
            if stored[f] != mine:
                out.writes.append((f, saw, stored[f], mine))
        out.acknowledged += 1
        screen[row] = wanted


def _lost(tallies: list[Tally]) -> int:
    """Acknowledged edits whose value a later write replaced though its writer had not seen it
    (lost updates: the value is gone and nobody was told)."""
    replaced_unseen = {
        (f, before) for t in tallies for f, saw, before, _after in t.writes if saw != before
    }
    return sum(1 for t in tallies for typed in t.typed if typed in replaced_unseen)


def _run_two(target: object, args: list[tuple[object, ...]]) -> list[Tally]:
    tallies = [Tally(), Tally()]

    def run(i: int) -> None:
        try:
            target(*args[i], tallies[i])  # type: ignore[operator]
        except BaseException as exc:
            tallies[i].errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    for t in tallies:
        if t.errors:
            raise t.errors[0]
    return tallies


def test_two_users_editing_the_same_rows_lose_nothing_and_decide_every_clash(
    sample_repo: Repository, db: Database, backend: str
) -> None:
    ids = [i.id or 0 for i in sample_repo.investments()][:ROWS]
    users = [open_database(db.url), open_database(db.url)]
    try:
        a, b = (Repository(u.engine) for u in users)
        tallies = _run_two(_edit_with_versions, [(a, ids, "A", 1), (b, ids, "B", 2)])
    finally:
        for u in users:
            u.close()
    acknowledged = sum(t.acknowledged for t in tallies)
    conflicts = sum(t.conflicts_shown for t in tallies)
    lost = _lost(tallies)
    print(
        f"\n[{backend}] with versions: {acknowledged} of {2 * EDITS_PER_USER} edits written "
        f"(the rest: the user kept the other value), {conflicts} conflicts shown, "
        f"{lost} lost updates"
    )
    assert lost == 0
    assert conflicts > 0  # the runs did clash (else this proved nothing)
    final = {i.id: i for i in sample_repo.investments(ids)}
    for row in ids:  # each row ends as the last acknowledged write left it
        lasts = [t.last[row] for t in tallies if row in t.last]
        newest = max(lasts, key=lambda inv: inv.version or 0)
        assert final[row] == newest

    # the control: the same two users and edits, whole rows, no versions
    users = [open_database(db.url), open_database(db.url)]
    try:
        control = _run_two(
            _edit_without_versions, [(users[0], ids, "A", 1), (users[1], ids, "B", 2)]
        )
    finally:
        for u in users:
            u.close()
    done = sum(t.acknowledged for t in control)
    lost_control = _lost(control)
    print(
        f"[{backend}] control without versions: {done} edits written, {lost_control} lost "
        f"updates ({lost_control / done:.0%})"
    )
    assert lost_control > 0
