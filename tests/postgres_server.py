"""A throw-away PostgreSQL server on loopback, started from a temporary folder for the tests."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def missing_reason() -> str | None:
    """Why a server cannot be started here, or None when it can."""
    if not (_binary("initdb") and _binary("pg_ctl")):
        return "PostgreSQL server programs (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            return "running as root and runuser is missing (initdb refuses to run as root)"
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server() -> Iterator[str]:
    """Start a server; yields the base URL (without database name) of a trust-auth superuser."""
    folder = Path(tempfile.mkdtemp(prefix="deployer-pg-"))
    folder.chmod(0o755)
    prefix: list[str] = []
    if os.geteuid() == 0:
        prefix = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    data, log = folder / "data", folder / "server.log"
    try:
        subprocess.run(
            [
                *prefix,
                _binary("initdb"),
                "-D",
                str(data),
                "-U",
                "deployer",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [
                *prefix,
                _binary("pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "start",
            ],
            check=True,
            capture_output=True,
        )
        yield f"postgresql+psycopg://deployer@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*prefix, _binary("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(folder, ignore_errors=True)
