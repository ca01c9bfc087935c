"""Fixtures for the hardening tests: apps on a scratch database, a Redis server."""
from __future__ import annotations

import os
import uuid

import pytest

from registry import create_app, migrate
from registry.extensions import db
from tests.factories import TEST_PASSWORD
from tests.scratch_db import scratch_database

REDIS_URI = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")


@pytest.fixture(scope="session")
def redis_uri():
    """The Redis server CI starts; a developer without one sees these tests skipped (never in CI)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URI, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis server at {REDIS_URI}")
    return REDIS_URI


@pytest.fixture
def scratch_url(database_url, tmp_path):
    with scratch_database(database_url, tmp_path) as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture
def make_app(scratch_url):
    """``make_app(**config)``: an app on the scratch database (real commits), its limiter fresh."""
    made = []
    prefix = "test-" + uuid.uuid4().hex[:8]

    def _make(**config):
        app = create_app({
            "REGISTRY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": scratch_url, "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1", "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": prefix},
            **config,
        })
        made.append(app)
        return app

    yield _make
    for app in made:
        with app.app_context():
            app.extensions["registry.throttle"].limiter.reset()
            db.engine.dispose()


def add_user(app, username="officer9", *roles):
    from registry.auth.models import Role
    from registry.auth.services import create_user

    with app.app_context():
        user = create_user(username, display_name=username, password=TEST_PASSWORD,
                           roles=roles or (Role.legal_officer,))
        db.session.commit()
        return user.id


def login(client, username="officer9", password=TEST_PASSWORD, addr="10.0.0.1"):
    return client.post("/auth/login", data={"username": username, "password": password},
                       environ_overrides={"REMOTE_ADDR": addr})
