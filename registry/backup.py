"""Backup and restore: SQLite through its online backup API, PostgreSQL through pg_dump."""
# subprocess runs only pg_dump / pg_restore (bandit B404 reviewed)
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # nosec B404
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    pass


def _sqlite_path(url) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return url.database


def _pg_env(url) -> tuple[list[str], dict]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    args = ["-h", url.host or "localhost", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools")
    return path


def backup(database_url: str, target: Path) -> Path:
    """Write a consistent copy of the database to ``target`` while the app keeps running."""
    url = make_url(database_url)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        src = sqlite3.connect(f"file:{_sqlite_path(url)}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return target
    if url.get_backend_name() == "postgresql":
        args, env = _pg_env(url)
        cmd = [_tool("pg_dump"), *args, "-Fc", "--no-owner", "-f", str(target), url.database]
        _run(cmd, env)
        return target
    raise BackupError(f"unsupported database: {url.get_backend_name()}")


def restore(database_url: str, source: Path) -> None:
    """Replace the database's contents with the backup in ``source``."""
    url = make_url(database_url)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no such backup file: {source}")
    if url.get_backend_name() == "sqlite":
        with source.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"{source} is not a SQLite backup")
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(_sqlite_path(url))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return
    if url.get_backend_name() == "postgresql":
        with source.open("rb") as fh:
            if fh.read(5) != b"PGDMP":
                raise BackupError(f"{source} is not a pg_dump custom-format backup")
        args, env = _pg_env(url)
        cmd = [_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
               "-d", url.database, str(source)]
        _run(cmd, env)
        return
    raise BackupError(f"unsupported database: {url.get_backend_name()}")


def _run(cmd: list[str], env: dict) -> None:
    # a fixed tool, no shell
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603  # nosec B603
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise BackupError(f"{Path(cmd[0]).name} failed: {detail[-1] if detail else proc.returncode}")
