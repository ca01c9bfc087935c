"""``registry audit verify`` on a scratch database: intact, then tampered with."""
import pytest
import sqlalchemy as sa

from registry import create_app, migrate
from registry.audit.services import record
from registry.cli import cli
from registry.extensions import db
from tests.scratch_db import scratch_database


@pytest.fixture
def scratch_app(database_url, tmp_path):
    with scratch_database(database_url, tmp_path) as url:
        migrate.upgrade(url)
        app = create_app({"REGISTRY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _tamper(app, statement):
    with app.app_context():
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete")
            else:
                conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
                conn.exec_driver_sql("DROP TRIGGER audit_events_no_delete")
            conn.exec_driver_sql(statement)


@pytest.mark.no_db
@pytest.mark.parametrize("statement,bad_seq,problem", [
    ("UPDATE audit_events SET reason = 'rewritten' WHERE seq = 3", 3, "altered"),
    ("DELETE FROM audit_events WHERE seq = 3", 4, "missing"),
    ("UPDATE audit_events SET seq = seq + 100 WHERE seq = 3", 4, "missing"),
])
def test_verify_cli_intact_then_tampered(scratch_app, statement, bad_seq, problem):
    runner = scratch_app.test_cli_runner()
    empty = runner.invoke(cli, ["audit", "verify"])
    assert empty.exit_code == 0 and "0 events" in empty.output
    with scratch_app.app_context():
        for i in range(5):
            record("test.event", entity_type="test", entity_id=i, reason=f"event {i}")
        db.session.commit()
        head = db.session.execute(sa.text("SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1")).scalar()
        db.session.remove()
    ok = runner.invoke(cli, ["audit", "verify"])
    assert ok.exit_code == 0 and "5 events" in ok.output and head in ok.output
    _tamper(scratch_app, statement)
    bad = runner.invoke(cli, ["audit", "verify"])
    assert bad.exit_code == 1
    assert f"seq={bad_seq} " in bad.stderr
    assert problem in bad.stderr and "Traceback" not in bad.output
