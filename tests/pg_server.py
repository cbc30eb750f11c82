"""A throwaway PostgreSQL server for the suite: ``initdb`` into a temporary folder, ``pg_ctl
start`` on a free loopback port with its socket in that folder, stopped and removed at the end.

PostgreSQL refuses to run as root, so as root (CI) the server runs as the ``postgres`` account
Debian's package creates (or, failing that, an account made here), through ``setpriv``.
TCP connections need the superuser's password (scram-sha-256, as a real server would ask);
the socket in the folder is trusted, for the set-up only.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import URL

#: The superuser the tests connect as (and its password).
ADMIN = "capex_admin"
ADMIN_PASSWORD = "throwaway-admin-secret"
#: The account the server runs as when the suite runs as root.
RUN_AS = ("postgres", "capex-test-pg")

#: Settings of a server that holds only test data: no fsync (nothing here must survive a
#: crash), small, quick to start and stop.
SERVER_OPTIONS = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
    "-c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=32MB "
    "-c timezone=Asia/Shanghai"  # not UTC: timestamps must survive a server in another zone
)


class ServerUnavailable(RuntimeError):
    """The throwaway server could not be started (the message says why and what to install)."""


def find_bindir() -> Path:
    """The folder of ``initdb`` and ``pg_ctl``: $CAPEX_PG_BINDIR, PATH, then Debian's folders."""
    configured = os.environ.get("CAPEX_PG_BINDIR")
    if configured:
        return Path(configured)
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).resolve().parent
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.parent.name)],
    )
    if debian:
        return debian[-1].parent
    raise ServerUnavailable(
        "PostgreSQL's server programs (initdb, pg_ctl) are not installed: "
        "`apt-get install postgresql` (Debian), or set CAPEX_PG_BINDIR"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_account() -> pwd.struct_passwd | None:
    """The unprivileged account to run the server as (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in RUN_AS:
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", RUN_AS[-1]],
        check=True,
        capture_output=True,
    )
    return pwd.getpwnam(RUN_AS[-1])


@dataclass
class ThrowawayServer:
    """A running PostgreSQL server on 127.0.0.1:port, data and socket in *folder*."""

    bindir: Path
    folder: Path
    port: int = 0
    account: pwd.struct_passwd | None = None
    _names: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def start(cls) -> ThrowawayServer:
        """initdb and start a server (ServerUnavailable with the reason when it cannot)."""
        bindir = find_bindir()
        account = _server_account()
        folder = Path(tempfile.mkdtemp(prefix="capex-pg-"))
        server = cls(bindir, folder, account=account)
        try:
            server._init()
            for _attempt in range(3):  # a free port may be taken before the server binds it
                server.port = _free_port()
                if server._start():
                    return server
            raise ServerUnavailable(f"the server did not start:\n{server.log_tail()}")
        except BaseException:
            server.stop()
            raise

    # -- running the server's programs ------------------------------------------------------
    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.account is not None:
            command = [
                "setpriv",
                f"--reuid={self.account.pw_uid}",
                f"--regid={self.account.pw_gid}",
                "--init-groups",
                "--",
                *command,
            ]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=120, check=False, cwd=self.folder
        )

    @property
    def data(self) -> Path:
        """The cluster's data folder."""
        return self.folder / "data"

    @property
    def log(self) -> Path:
        """The server's log file."""
        return self.folder / "server.log"

    def log_tail(self, lines: int = 20) -> str:
        """The end of the server's log (for failure messages)."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def _init(self) -> None:
        self.folder.chmod(0o700)
        pwfile = self.folder / "pw"
        pwfile.write_text(ADMIN_PASSWORD + "\n")
        if self.account is not None:
            os.chown(self.folder, self.account.pw_uid, self.account.pw_gid)
            os.chown(pwfile, self.account.pw_uid, self.account.pw_gid)
        done = self._run(
            "initdb",
            "-D",
            str(self.data),
            f"--username={ADMIN}",
            f"--pwfile={pwfile}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        pwfile.unlink()
        if done.returncode != 0:
            raise ServerUnavailable(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")

    def _start(self) -> bool:
        done = self._run(
            "pg_ctl",
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            f"-p {self.port} -k {self.folder} {SERVER_OPTIONS}",
        )
        return done.returncode == 0

    def stop(self) -> None:
        """Stop the server (if it runs) and remove its folder."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- databases --------------------------------------------------------------------------
    def url(
        self, database: str = "postgres", user: str = ADMIN, password: str | None = ADMIN_PASSWORD
    ) -> URL:
        """A SQLAlchemy URL for *database* over TCP on loopback."""
        return URL.create(
            "postgresql+psycopg",
            username=user,
            password=password,
            host="127.0.0.1",
            port=self.port,
            database=database,
        )

    def admin_sql(self, sql: str, database: str = "postgres") -> None:
        """Run statements as the superuser, outside a transaction (CREATE DATABASE...)."""
        import psycopg

        with psycopg.connect(
            host=str(self.folder), port=self.port, user=ADMIN, dbname=database, autocommit=True
        ) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def new_database(self, template: str | None = None) -> str:
        """A new database (empty, or a copy of *template*); returns its name."""
        name = f"t{os.getpid()}_{next(self._names)}"
        copy = f" TEMPLATE {template}" if template else ""
        self.admin_sql(f'CREATE DATABASE "{name}"{copy}')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, ending whatever connections are left on it."""
        self.admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
