"""The production server (gunicorn) as users meet it: headers, errors, limits."""
import pytest
import requests

from registry import migrate
from tests.live_server import serve
from tests.scratch_db import scratch_database

pytestmark = pytest.mark.no_db


def test_gunicorn_answers_without_versions_and_with_limits(database_url, tmp_path):
    with scratch_database(database_url, tmp_path) as url:
        migrate.upgrade(url)
        with serve(url, tmp_path, env={"MAX_CONTENT_LENGTH": "20000"}) as base:
            home = requests.get(base + "/", timeout=30)
            assert home.status_code == 200
            server = home.headers.get("Server", "")
            assert not any(ch.isdigit() for ch in server), server  # no version of gunicorn or Python
            assert "frame-ancestors 'none'" in home.headers["Content-Security-Policy"]
            assert "Strict-Transport-Security" not in home.headers  # plain HTTP
            big = requests.post(base + "/auth/login", data={"username": "x", "password": "y" * 40000}, timeout=30)
            assert big.status_code == 413 and "Traceback" not in big.text
            missing = requests.get(base + "/no/such/page", timeout=30)
            assert missing.status_code == 404 and missing.headers["X-Request-ID"] in missing.text
            assert not any(ch.isdigit() for ch in missing.headers.get("Server", ""))
