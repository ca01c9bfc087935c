"""All or nothing: a killed import leaves the database as it was; 10,000 rows with one bad row write nothing."""
import os
import signal
import subprocess
import sys

import pytest
import sqlalchemy as sa

from registry import migrate
from registry.audit.models import AuditEvent
from registry.errors_domain import ValidationFailed
from registry.imports.services import plan_import, run_import
from registry.items.models import Item
from tests.imports.helpers import csv_bytes, row
from tests.scratch_db import scratch_database

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _env(url, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "REGISTRY_ENV")}
    env.update({"DATABASE_URL": url, "REGISTRY_INSTANCE_PATH": str(tmp_path / "instance"),
                "PYTHONPATH": ROOT + os.pathsep + env.get("PYTHONPATH", ""), "PYTHONUNBUFFERED": "1"})
    return env


def _counts(url):
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return {t.__tablename__: conn.scalar(sa.select(sa.func.count()).select_from(t))
                    for t in (Item, AuditEvent)}
    finally:
        engine.dispose()


@pytest.mark.no_db
def test_a_process_killed_mid_import_leaves_the_database_as_before(database_url, tmp_path):
    with scratch_database(database_url, tmp_path) as url:
        migrate.upgrade(url)
        env = _env(url, tmp_path)
        seed = subprocess.run([sys.executable, "-m", "registry", "seed"], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
        assert seed.returncode == 0, seed.stderr
        before = _counts(url)
        path = tmp_path / "many.csv"
        path.write_bytes(csv_bytes([row(f"KILL{i:05d}", "D01") for i in range(20_000)]))
        proc = subprocess.Popen([sys.executable, "-m", "registry", "import", "items", str(path)], env=env, cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            seen = []
            for line in proc.stderr:
                seen.append(line)
                if "written 1000/20000" in line:
                    break
            assert any("written 1000/20000" in s for s in seen), seen  # killed in the middle, not before or after
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=60)
            proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL
        assert _counts(url) == before


def test_one_bad_row_among_ten_thousand_writes_nothing_and_the_fixed_file_writes_all(db, create_department):
    create_department("BULK1", "批量导入测试部门")
    rows = [row(f"BULK{i:05d}", "BULK1") for i in range(10_000)]
    rows[7345] = row("BULK07345", "BULK1", committed_days=25)  # spreadsheet row 7347
    audit_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    plan = plan_import(csv_bytes(rows), "bulk.csv", actor=None)
    assert [(e.row, e.column) for e in plan.errors] == [(7347, "M")]
    assert "超过法定办结时限" in str(plan.errors[0])
    with pytest.raises(ValidationFailed):
        run_import(plan, actor=None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Item).where(Item.code.like("BULK%"))) == 0
    rows[7345] = row("BULK07345", "BULK1")
    plan = plan_import(csv_bytes(rows), "bulk-fixed.csv", actor=None)
    assert plan.ok and len(plan.new) == 10_000
    run_import(plan, actor=None)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Item).where(Item.code.like("BULK%"))) == 10_000
    actions = dict(db.session.execute(sa.select(AuditEvent.action, sa.func.count())
                                      .where(AuditEvent.seq > audit_before).group_by(AuditEvent.action)).all())
    assert actions == {"item.create": 10_000, "import.run": 1}
