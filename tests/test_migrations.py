"""Migrations are the only source of the schema: up, down, up again, and no drift."""
import pytest
import sqlalchemy as sa

from registry import migrate
from tests.scratch_db import scratch_database

pytestmark = pytest.mark.no_db


def test_upgrade_downgrade_upgrade_and_no_drift(database_url, tmp_path):
    with scratch_database(database_url, tmp_path) as url:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        try:
            migrate.upgrade(url)
            assert migrate.current_revision(engine) == migrate.head_revision(url)
            migrate.downgrade(url, "base")
            assert migrate.current_revision(engine) is None
            assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
            migrate.upgrade(url)
            assert migrate.schema_differences(engine) == []
        finally:
            engine.dispose()


def test_drift_is_detected(database_url, tmp_path):
    """The drift check can fail: a column the models lack is reported."""
    with scratch_database(database_url, tmp_path) as url:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        try:
            migrate.upgrade(url)
            with engine.begin() as conn:
                conn.exec_driver_sql("ALTER TABLE items ADD COLUMN stray_column INTEGER")
            diffs = migrate.schema_differences(engine)
            assert any("stray_column" in str(d) for d in diffs)
        finally:
            engine.dispose()


def test_revision_files_have_readable_names():
    names = [p.name for p in (migrate.MIGRATIONS_DIR / "versions").glob("*.py")]
    assert names
    for name in names:
        date, time, rev, slug = name[:-3].split("_", 3)
        assert len(date) == 8 and date.isdigit() and len(time) == 4 and time.isdigit() and slug
