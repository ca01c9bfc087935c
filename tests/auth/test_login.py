"""Sign in, sign out, CSRF, cookies and the audit of each."""
import re

import pytest
import sqlalchemy as sa

from registry.audit.models import AuditEvent
from registry.auth.login import load_user
from registry.auth.models import Role
from registry.auth.services import set_active
from registry.config import build_config
from tests.factories import TEST_PASSWORD


@pytest.fixture
def officer(create_user):
    return create_user("officer1", Role.legal_officer, Role.approver)


def _events(db, action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)).all()


def _login(client, username="officer1", password=TEST_PASSWORD, **extra):
    return client.post("/auth/login", data={"username": username, "password": password, **extra},
                       headers={"X-Request-ID": "req-login-1"})


def test_login_page_renders_a_labelled_form(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'name="username"' in page and 'type="password"' in page and "<label" in page


def test_login_signs_in_and_is_audited(client, db, officer):
    response = _login(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    with client.session_transaction() as sess:
        assert sess["_user_id"] == officer.get_id()
    page = client.get("/").get_data(as_text=True)
    assert officer.display_name in page and 'action="/auth/logout"' in page
    ev = _events(db, "auth.login")[-1]
    assert ev.actor_id == officer.id and ev.entity_id == str(officer.id)
    assert ev.request_id == "req-login-1" and ev.ip == "127.0.0.1"
    assert ev.actor_roles == "approver,legal_officer"


@pytest.mark.parametrize("username,password", [("officer1", "wrong password!"), ("nobody", TEST_PASSWORD),
                                               ("OFFICER1", TEST_PASSWORD)])
def test_failed_login_is_refused_and_audited(client, db, officer, username, password):
    response = _login(client, username, password)
    assert response.status_code == 200
    with client.session_transaction() as sess:
        assert "_user_id" not in sess
    ev = _events(db, "auth.login_failed")[-1]
    assert ev.actor_username == "anonymous" and ev.request_id == "req-login-1"
    assert username in ev.changes and password not in ev.changes
    assert ev.entity_id == (str(officer.id) if username == "officer1" else "")


def test_inactive_user_cannot_sign_in(client, db, officer):
    set_active(officer, False)
    _login(client)
    with client.session_transaction() as sess:
        assert "_user_id" not in sess


def test_login_gives_a_new_session(client, officer):
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
        sess["nonce"] = "fixed"
    _login(client)
    with client.session_transaction() as sess:
        assert "planted" not in sess and sess["nonce"] != "fixed"


@pytest.mark.parametrize("target,expected", [
    ("/some/page?x=1", "/some/page?x=1"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_only_goes_to_this_site(client, officer, target, expected):
    response = _login(client, next=target)
    assert response.headers["Location"] == expected


def test_logout_ends_the_session_even_for_a_captured_cookie(app, client, db, officer):
    _login(client)
    captured = client.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", captured)
    assert 'class="user-name"' in thief.get("/").get_data(as_text=True)  # the cookie works before logout
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert _events(db, "auth.logout")[-1].actor_id == officer.id
    assert load_user(f"{officer.id}:0") is None  # the old epoch no longer loads
    thief = app.test_client()
    thief.set_cookie("session", captured)
    page = thief.get("/").get_data(as_text=True)
    assert 'class="user-name"' not in page and 'action="/auth/logout"' not in page


def test_logout_needs_post(client, officer):
    _login(client)
    assert client.get("/auth/logout").status_code == 405


def test_anonymous_logout_goes_to_sign_in(client):
    response = client.post("/auth/logout")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_user_menu_shows_roles(client, officer):
    _login(client)
    page = client.get("/").get_data(as_text=True)
    assert "法制审查人员" in page and "审批人" in page


def test_post_without_csrf_token_is_refused(app, client, db, officer, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = _login(client)
    assert response.status_code == 400
    with client.session_transaction() as sess:
        assert "_user_id" not in sess
    assert not _events(db, "auth.login")
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert _login(client, csrf_token=token).status_code == 302
    # the session changed at login, so the logout form needs the new token
    assert client.post("/auth/logout").status_code == 400
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302


def test_session_cookie_flags(client, officer):
    response = _login(client)
    header = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in header and "SameSite=Lax" in header


@pytest.mark.no_db
@pytest.mark.parametrize("env,secure", [("production", True), ("development", False), ("testing", False)])
def test_session_cookie_secure_outside_development(tmp_path, env, secure):
    config = build_config(str(tmp_path), {"REGISTRY_ENV": env, "SECRET_KEY": "x" * 32})
    assert config["SESSION_COOKIE_SECURE"] is secure
    assert config["SESSION_COOKIE_HTTPONLY"] is True and config["SESSION_COOKIE_SAMESITE"] == "Lax"
