"""Test fixtures: one migrated database per run, one rolled-back transaction per test.

Set TEST_DATABASE_URL (or DATABASE_URL) to run on PostgreSQL; the default is a fresh
SQLite file. The schema always comes from the migrations, never from ``create_all``.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from registry import create_app, migrate
from registry.audit import listeners as _audit_guard
from registry.extensions import db as _db

pytest_plugins = ["tests.factories"]


def _database_url(tmp_root: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    return url or f"sqlite:///{tmp_root / 'test.db'}"


@pytest.fixture(scope="session")
def tmp_root():
    with tempfile.TemporaryDirectory(prefix="registry-tests-") as d:
        yield Path(d)


@pytest.fixture(scope="session")
def database_url(tmp_root) -> str:
    from registry.config import normalise_database_url

    return normalise_database_url(_database_url(tmp_root))


@pytest.fixture(scope="session")
def app(database_url, tmp_root):
    app = create_app({
        "REGISTRY_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # cheap in tests; production keeps the default
    })
    app.instance_path = str(tmp_root / "instance")
    with app.app_context():
        engine = _db.engine
        if migrate.current_revision(engine) is not None:
            migrate.downgrade(database_url, "base")
        migrate.upgrade(database_url)
        engine.dispose()
    yield app


@pytest.fixture(autouse=True)
def db(request, app):
    """Each test runs inside one outer transaction that is rolled back afterwards.

    Application code still commits: those commits release a SAVEPOINT only.
    Flask-SQLAlchemy ignores a session-level bind (flask-sqlalchemy#1167), so the
    app's default engine is swapped for the test connection.
    """
    if "no_db" in request.keywords:
        yield None
        return
    ctx = app.app_context()
    ctx.push()
    engine = _db.engine
    conn = engine.connect()
    outer = conn.begin()
    if conn.dialect.name == "postgresql":
        # each app commit only releases a savepoint here: fire the deferred triggers (the public
        # version's) at once, as a real commit would
        conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
    if (public_cache := app.extensions.get("registry.public_cache")) is not None:
        public_cache.clear()  # the rolled-back tests before this one may have used the same versions
    engines = _db._app_engines[app]
    engines[None] = conn
    _db.session.remove()
    factory = _db.session.session_factory
    old_mode = factory.kw.get("join_transaction_mode")
    factory.kw["join_transaction_mode"] = "create_savepoint"
    try:
        yield _db
        _audit_guard.check(_db.session)  # every audited write of the test had its event
    finally:
        _db.session.remove()
        factory.kw["join_transaction_mode"] = old_mode
        engines[None] = engine
        outer.rollback()
        conn.close()
        ctx.pop()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(app):
    """Sign-in counters (rate limits, lockouts) start empty in every test."""
    app.extensions["registry.throttle"].limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login_as(client):
    """Log ``user`` in for the test client by writing Flask-Login's session keys."""

    def _login(user):
        with client.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
        return user

    return _login


@pytest.fixture
def count_queries(db):
    """Counts SQL statements run inside the ``with`` block: ``with count_queries() as n``."""
    from contextlib import contextmanager

    @contextmanager
    def _count():
        counter = {"n": 0}

        def _inc(*_a, **_k):
            counter["n"] += 1

        conn = db.session.connection()
        sa.event.listen(conn, "before_cursor_execute", _inc)
        try:
            yield counter
        finally:
            sa.event.remove(conn, "before_cursor_execute", _inc)

    return _count


def pytest_configure(config):
    config.addinivalue_line("markers", "no_db: the test needs no database transaction")
    config.addinivalue_line("markers", "postgres: runs only on PostgreSQL")


def pytest_collection_modifyitems(config, items):
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    if url.startswith("postgres"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set TEST_DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def cold_get(client, db, count_queries):
    """``cold_get(url)`` -> (SQL statements, page text): commits, forgets every loaded object and
    the signed-in user, then GETs ``url`` as a fresh request would, counting its statements."""
    from flask import g

    def _get(url: str):
        db.session.commit()
        db.session.expunge_all()  # nothing cached: the request loads all it shows
        g.pop("_login_user", None)
        with count_queries() as n:
            page = client.get(url).get_data(as_text=True)
        return n["n"], page

    return _get
