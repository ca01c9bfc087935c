"""Throwaway databases for tests that need real commits or several connections."""
from __future__ import annotations

import contextlib
import uuid

import sqlalchemy as sa
from sqlalchemy.engine import make_url


@contextlib.contextmanager
def scratch_database(base_url: str, tmp_path):
    """Yield the URL of a new, empty database of the same kind as ``base_url``; drop it after."""
    url = make_url(base_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / ('scratch-' + uuid.uuid4().hex[:8] + '.db')}"
        return
    name = f"{url.database}_s{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
