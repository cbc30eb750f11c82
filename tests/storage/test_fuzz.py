"""Hundreds of damaged copies of a sample file: each is refused in one sentence or read whole.

Every copy goes through the real command line (``capex-gui summary --json``) in a worker
process, one copy at a time, each time-boxed: no traceback, no hang, the original untouched, a
file whose ``PRAGMA integrity_check`` fails is refused and left as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import random
import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from pathlib import Path

import pytest

from capex_gui.app.paths import create_sample_database

PAGE = 4096
#: Seconds one open may take before the test calls it a hang.
TIME_BOX = 20.0

WORKER = textwrap.dedent(
    """
    import contextlib, io, json, sys, traceback
    from capex_gui.app.cli import main

    for line in sys.stdin:
        path = line.rstrip("\\n")
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["summary", path, "--json"])
            result = {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue()}
        except BaseException:  # anything escaping the CLI is the failure we look for
            result = {"code": None, "stdout": out.getvalue(), "stderr": traceback.format_exc()}
        print(json.dumps(result), flush=True)
    """
)


def _flip_bits(data: bytearray, rng: random.Random, *, used_only: bool) -> None:
    positions = [i for i, b in enumerate(data) if b] if used_only else range(len(data))
    for _ in range(rng.randint(1, 4)):
        data[rng.choice(positions)] ^= 1 << rng.randrange(8)


def _page_slice(data: bytearray, rng: random.Random) -> slice:
    page = rng.randrange(len(data) // PAGE)
    return slice(page * PAGE, (page + 1) * PAGE)


def corrupt(original: bytes, kind: str, rng: random.Random) -> bytes:
    """One damaged variant of *original*."""
    data = bytearray(original)
    if kind == "bit flips":
        _flip_bits(data, rng, used_only=False)
    elif kind == "bit flips in used bytes":
        _flip_bits(data, rng, used_only=True)
    elif kind == "truncation":
        del data[rng.randrange(len(data)) :]
    elif kind == "zeroed page":
        part = _page_slice(data, rng)
        data[part] = bytes(PAGE)
    elif kind == "garbage page":
        part = _page_slice(data, rng)
        data[part] = rng.randbytes(PAGE)
    elif kind == "garbage header":
        data[: rng.randint(16, 100)] = rng.randbytes(rng.randint(16, 100))
    elif kind == "swapped pages":
        a, b = _page_slice(data, rng), _page_slice(data, rng)
        data[a], data[b] = data[b], data[a]
    elif kind == "scribbled run":
        start = rng.randrange(len(data))
        length = rng.randint(1, 64)
        data[start : start + length] = rng.randbytes(length)[: len(data) - start]
    else:  # pragma: no cover
        raise ValueError(kind)
    return bytes(data)


KINDS = [
    "bit flips",
    "bit flips in used bytes",
    "truncation",
    "zeroed page",
    "garbage page",
    "garbage header",
    "swapped pages",
    "scribbled run",
]


def integrity_ok(path: Path) -> bool:
    """SQLite's full integrity check, run on a private copy (reading can still fail)."""
    probe = path.with_name(path.name + ".probe")
    probe.write_bytes(path.read_bytes())
    try:
        con = sqlite3.connect(f"file:{probe}?mode=ro&immutable=1", uri=True)
        con.text_factory = bytes
        try:
            return con.execute("PRAGMA integrity_check").fetchall() == [(b"ok",)]
        finally:
            con.close()
    except (sqlite3.Error, UnicodeDecodeError):  # the error message may quote damaged bytes
        return False
    finally:
        probe.unlink()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_damaged_copies_are_refused_in_one_sentence(tmp_path: Path, _isolated_home: Path) -> None:
    original = tmp_path / "original.capex"
    create_sample_database(original).close()
    original_digest = _digest(original)
    source = original.read_bytes()
    rng = random.Random(20261129)
    copies: list[tuple[Path, str, bool, str]] = []
    for n in range(240):
        kind = KINDS[n % len(KINDS)]
        folder = tmp_path / f"c{n:03d}"
        folder.mkdir()
        path = folder / "damaged.capex"
        path.write_bytes(corrupt(source, kind, rng))
        copies.append((path, kind, integrity_ok(path), _digest(path)))

    lines: queue.Queue[str] = queue.Queue()
    env = {**os.environ, "CAPEX_GUI_HOME": str(_isolated_home)}
    with subprocess.Popen(
        [sys.executable, "-c", WORKER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as worker:
        assert worker.stdin is not None and worker.stdout is not None
        out = worker.stdout
        threading.Thread(target=lambda: [lines.put(x) for x in out], daemon=True).start()
        outcomes: Counter[str] = Counter()
        try:
            for path, kind, intact, before in copies:
                worker.stdin.write(f"{path}\n")
                worker.stdin.flush()
                try:
                    result = json.loads(lines.get(timeout=TIME_BOX))
                except queue.Empty:
                    raise AssertionError(f"{kind}: {path} hung for {TIME_BOX} s") from None
                stderr = result["stderr"]
                assert result["code"] is not None, f"{kind}: traceback\n{stderr}"
                assert "Traceback" not in stderr, f"{kind}: {stderr}"
                if result["code"] == 0:
                    assert intact, f"{kind}: a file that fails integrity_check was read"
                    json.loads(result["stdout"])
                    outcomes["read whole"] += 1
                    continue
                # refused: one line on stderr, the file as it was, nothing left beside it
                assert stderr.count("\n") == 1 and stderr.startswith("capex-gui: error: "), stderr
                assert _digest(path) == before, f"{kind}: a refused file was changed"
                assert [p.name for p in path.parent.iterdir()] == ["damaged.capex"]
                outcomes["refused" if not intact else "refused (integrity ok)"] += 1
        finally:
            worker.stdin.close()
            worker.wait(timeout=60)
    assert _digest(original) == original_digest
    assert sum(outcomes.values()) == len(copies)
    damaged = sum(1 for c in copies if not c[2])
    assert outcomes["refused"] == damaged >= 100, outcomes
    print(f"fuzz: {len(copies)} copies, {damaged} damaged, outcomes {dict(outcomes)}")
