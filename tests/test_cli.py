"""The ``registry`` command: operator mistakes get one clear line, never a traceback."""
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from tests.scratch_db import scratch_database

pytestmark = pytest.mark.no_db
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def run(tmp_path):
    def _run(url, *args, stdin: str | None = None, extra_env: dict | None = None):
        env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "REGISTRY_ENV")}
        env.update({"DATABASE_URL": url, "REGISTRY_INSTANCE_PATH": str(tmp_path / "instance"),
                    "PYTHONPATH": ROOT + os.pathsep + env.get("PYTHONPATH", "")})
        env.update(extra_env or {})
        return subprocess.run([sys.executable, "-m", "registry", *args], input=stdin, capture_output=True,
                              text=True, env=env, cwd=ROOT, timeout=300)

    return _run


def assert_clean_failure(result):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if line.lower().startswith("error")]
    assert len(errors) == 1, result.stderr


def test_missing_schema_is_one_clear_line(run, database_url, tmp_path):
    with scratch_database(database_url, tmp_path) as url:
        result = run(url, "users", "list")
        assert_clean_failure(result)
        assert "registry db upgrade" in result.stderr


def test_wrong_argument_is_a_usage_error(run, database_url, tmp_path):
    with scratch_database(database_url, tmp_path) as url:
        result = run(url, "users", "create", "x", "--role", "emperor")
        assert_clean_failure(result)
        assert "emperor" in result.stderr


def test_unreachable_database_is_one_clear_line(run, tmp_path):
    result = run(f"sqlite:///{tmp_path}/no/such/dir/x.db", "db", "current")
    assert_clean_failure(result)


def test_serve_without_secret_key_in_production_is_refused(run, tmp_path):
    result = run(f"sqlite:///{tmp_path}/x.db", "serve", extra_env={"REGISTRY_ENV": "production"})
    assert_clean_failure(result)
    assert "SECRET_KEY" in result.stderr


def test_upgrade_seed_twice_users_and_audit(run, database_url, tmp_path):
    with scratch_database(database_url, tmp_path) as url:
        assert run(url, "db", "upgrade").returncode == 0
        current = run(url, "db", "current")
        assert "0001" in current.stdout or "head" in current.stdout
        first = run(url, "seed")
        assert first.returncode == 0, first.stderr
        assert "220 items" in first.stdout
        second = run(url, "seed")
        assert second.returncode == 0 and "nothing to do" in second.stdout
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM items").scalar() == 220
            assert conn.exec_driver_sql("SELECT count(*) FROM users").scalar() == 0
        engine.dispose()
        weak = run(url, "users", "create", "li", "--role", "legal_officer", stdin="short\n")
        assert_clean_failure(weak)
        made = run(url, "users", "create", "li", "--role", "legal_officer", "--role", "approver",
                   stdin="a long enough password\n")
        assert made.returncode == 0, made.stderr
        staff = run(url, "users", "create", "wang", "--role", "department_staff", stdin="a long enough password\n")
        assert_clean_failure(staff)
        assert "department" in staff.stderr.lower() or "部门" in staff.stderr
        listed = run(url, "users", "list")
        assert "li" in listed.stdout and "approver,legal_officer" in listed.stdout
        verified = run(url, "audit", "verify")
        assert verified.returncode == 0 and "intact" in verified.stdout
        assert run(url, "db", "check").returncode == 0
