"""Connections survive a PostgreSQL restart: dead pooled connections are replaced (pool_pre_ping)."""
import pytest
import sqlalchemy as sa

from registry import create_app, migrate
from tests.scratch_db import scratch_database

pytestmark = [pytest.mark.no_db, pytest.mark.postgres]


def test_requests_succeed_after_the_server_drops_every_connection(database_url, tmp_path):
    with scratch_database(database_url, tmp_path) as url:
        migrate.upgrade(url)
        app = create_app({"REGISTRY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
        client = app.test_client()
        assert client.get("/api/v1/stats").status_code == 200  # a pooled connection now exists
        dbname = sa.engine.make_url(url).database
        admin = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
        with admin.connect() as conn:
            killed = conn.execute(
                sa.text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = :d AND pid <> pg_backend_pid()"), {"d": dbname}).scalar()
        admin.dispose()
        assert killed >= 1, "the app's pooled connection should have been terminated"
        for _ in range(3):
            assert client.get("/api/v1/stats").status_code == 200
        from registry.extensions import db

        with app.app_context():
            db.engine.dispose()
