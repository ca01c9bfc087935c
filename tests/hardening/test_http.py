"""HTTP hardening: security headers, HSTS only over HTTPS, no-store for signed-in pages,
error pages without internals, request size limits."""
import pytest

from registry import create_app
from registry.auth.models import Role


def test_security_headers_on_every_page(client):
    for url in ("/", "/auth/login", "/api/v1/stats", "/no-such-page"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in headers  # plain HTTP


def test_hsts_only_over_https(client):
    response = client.get("/", base_url="https://registry.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.no_db
@pytest.mark.parametrize("proxies,hsts", [(0, False), (1, True)])
def test_hsts_behind_a_trusted_proxy_only(tmp_path, proxies, hsts):
    app = create_app({"REGISTRY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db",
                      "TRUSTED_PROXIES": proxies})
    response = app.test_client().get("/healthz-missing", headers={"X-Forwarded-Proto": "https"})
    assert ("Strict-Transport-Security" in response.headers) is hsts


def test_anonymous_public_pages_may_be_cached_but_not_private_ones(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/api/v1/stats").headers.get("Cache-Control", "")
    assert client.get("/auth/login").headers["Cache-Control"] == "no-store"
    assert client.get("/workspace/items/").headers["Cache-Control"] == "no-store"  # a redirect to sign in
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")


def test_every_response_to_a_signed_in_user_is_no_store(client, login_as, create_user):
    login_as(create_user("officer1", Role.legal_officer))
    for url in ("/", "/items", "/api/v1/stats", "/workspace/items/", "/inbox/", "/no-such-page"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


@pytest.fixture
def failing_app(tmp_path):
    app = create_app({"REGISTRY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db",
                      "PROPAGATE_EXCEPTIONS": False})

    def boom():
        raise RuntimeError("SELECT password_hash FROM users WHERE id = 1 -- secret detail")

    app.add_url_rule("/boom", view_func=boom)
    app.add_url_rule("/api/v1/boom", view_func=boom, endpoint="api_boom")
    return app


@pytest.mark.no_db
def test_a_forced_500_shows_a_request_id_and_nothing_internal(failing_app):
    import flask
    import sqlalchemy
    import werkzeug  # noqa: F401

    client = failing_app.test_client()
    for url in ("/boom", "/api/v1/boom"):
        response = client.get(url, headers={"X-Request-ID": "req-500-test"})
        body = response.get_data(as_text=True)
        assert response.status_code == 500
        assert "req-500-test" in body and response.headers["X-Request-ID"] == "req-500-test"
        for secret in ("Traceback", "SELECT", "password_hash", "RuntimeError", "secret detail", "File \"",
                       sqlalchemy.__version__, "Werkzeug", "Python/"):
            assert secret not in body, (url, secret)
        assert "Server" not in response.headers or not any(ch.isdigit() for ch in response.headers["Server"])
    assert flask  # imported for its version checks above


def test_a_too_large_request_is_413(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 10_000)
    response = client.post("/auth/login", data={"username": "x", "password": "y" * 20_000})
    assert response.status_code == 413
    assert "过大" in response.get_data(as_text=True) or "too large" in response.get_data(as_text=True)


@pytest.mark.parametrize("field,value", [("username", "u" * 65), ("password", "p" * 1025), ("next", "/" * 2001)])
def test_login_fields_are_bounded(client, field, value):
    data = {"username": "officer1", "password": "some password", "next": "/"}
    data[field] = value
    response = client.post("/auth/login", data=data)
    assert response.status_code == 200
    with client.session_transaction() as sess:
        assert "_user_id" not in sess
