"""Backup and restore round-trip the demo database: same counts, same audit head."""
import pytest
import sqlalchemy as sa

from registry.backup import BackupError, backup, restore
from tests.scratch_db import scratch_database
from tests.test_cli import run  # noqa: F401  (fixture)

pytestmark = pytest.mark.no_db
TABLES = ("departments", "items", "legal_bases", "review_rounds", "reviews", "users", "audit_events")


def snapshot(url):
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        counts = {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in TABLES}
        head = conn.exec_driver_sql("SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1").scalar()
    engine.dispose()
    return counts, head


def test_round_trip_of_the_demo_database(run, database_url, tmp_path):  # noqa: F811
    with scratch_database(database_url, tmp_path) as source, scratch_database(database_url, tmp_path) as target:
        assert run(source, "db", "upgrade").returncode == 0
        assert run(source, "seed", "--demo-users").returncode == 0
        before = snapshot(source)
        assert before[0]["items"] == 220 and before[1]
        file = tmp_path / "registry.backup"
        made = run(source, "backup", str(file))
        assert made.returncode == 0, made.stderr
        restored = run(target, "restore", "--yes", str(file))
        assert restored.returncode == 0, restored.stderr
        assert snapshot(target) == before
        verified = run(target, "audit", "verify")
        assert verified.returncode == 0 and before[1] in verified.stdout
        # the restored database is still append-only
        engine = sa.create_engine(target, poolclass=sa.pool.NullPool)
        with pytest.raises(sa.exc.DBAPIError), engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM audit_events")
        engine.dispose()


def test_restore_refuses_a_file_that_is_not_a_backup(database_url, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a backup at all")
    with scratch_database(database_url, tmp_path) as url, pytest.raises(BackupError, match="not a"):
        restore(url, junk)


def test_backup_of_an_unknown_kind_is_refused(tmp_path):
    with pytest.raises(BackupError):
        backup("mysql://u@h/db", tmp_path / "x")
