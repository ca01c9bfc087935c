"""The application factory and its configuration rules."""
import pytest

from registry import create_app
from registry.config import ConfigError, build_config, normalise_database_url


@pytest.mark.no_db
def test_testing_app(app):
    assert app.config["TESTING"] is True


@pytest.mark.no_db
def test_secret_key_required_in_production(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        build_config(str(tmp_path), {"REGISTRY_ENV": "production"})


@pytest.mark.no_db
def test_development_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = build_config(str(tmp_path), {"REGISTRY_ENV": "development"})["SECRET_KEY"]
    second = build_config(str(tmp_path), {"REGISTRY_ENV": "development"})["SECRET_KEY"]
    assert first == second and len(first) > 30


@pytest.mark.no_db
def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="REGISTRY_ENV"):
        build_config(str(tmp_path), {"REGISTRY_ENV": "staging"})


@pytest.mark.no_db
def test_default_database_is_sqlite_under_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    cfg = build_config(str(tmp_path), {"REGISTRY_ENV": "testing"})
    assert cfg["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/registry.db"


@pytest.mark.no_db
@pytest.mark.parametrize("given", ["postgres://u@h/db", "postgresql://u@h/db", "postgresql+psycopg://u@h/db"])
def test_postgres_urls_use_psycopg3(given):
    assert normalise_database_url(given) == "postgresql+psycopg://u@h/db"


@pytest.mark.no_db
def test_production_cookies_are_secure(tmp_path, monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    cfg = build_config(str(tmp_path), {"REGISTRY_ENV": "production", "SECRET_KEY": "x" * 40})
    assert cfg["SESSION_COOKIE_SECURE"] and cfg["SESSION_COOKIE_HTTPONLY"] and cfg["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.no_db
def test_sqlite_connection_settings(tmp_path):
    app = create_app({"REGISTRY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    from registry.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        # real transactions: a rolled-back write is gone
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        conn.commit()
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        conn.rollback()
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0


@pytest.mark.no_db
@pytest.mark.parametrize("proxies,expected", [(0, "127.0.0.1"), (1, "203.0.113.9")])
def test_forwarded_address_is_trusted_only_behind_a_configured_proxy(tmp_path, proxies, expected):
    from flask import request

    app = create_app({"REGISTRY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db",
                      "TRUSTED_PROXIES": proxies})
    seen = {}

    @app.get("/_probe")
    def _probe():
        seen["ip"] = request.remote_addr
        return "ok"

    app.test_client().get("/_probe", headers={"X-Forwarded-For": "203.0.113.9"})
    assert seen["ip"] == expected
