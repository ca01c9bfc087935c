"""Password policy, session lifetimes, audited permission refusals, no default accounts."""
import pytest
import sqlalchemy as sa

from registry.audit.models import AuditEvent
from registry.auth import sessions
from registry.auth.models import Role, User
from registry.auth.services import check_password_policy, create_user
from registry.errors_domain import ValidationFailed
from tests.factories import TEST_PASSWORD


@pytest.mark.parametrize("password", [
    "short1!",                    # under 12 characters
    "password1234", "123456789012", "qwertyuiopas", "iloveyou1234", "Passw0rd!234", "aaaaaaaaaaaa",
    "abcdefghijkl", "zhangsan2004!",  # the username plus a year
])
def test_weak_and_common_passwords_are_refused(db, password):
    with pytest.raises(ValidationFailed) as exc:
        create_user("zhangsan", display_name="张三", password=password, roles=[Role.legal_officer])
    assert exc.value.field == "password"
    assert db.session.scalar(sa.select(User).where(User.username == "zhangsan")) is None


@pytest.mark.parametrize("password", [TEST_PASSWORD, "registry-demo-2004", "四月的风吹过 water tower 7"])
def test_long_uncommon_passwords_are_accepted(password):
    check_password_policy(password, ("zhangsan", "张三"))


def test_a_very_long_password_is_rated_quickly(db):
    check_password_policy("x7#Lq" * 200)  # zxcvbn rates the first 72 characters


@pytest.fixture
def officer(create_user):
    return create_user("officer1", Role.legal_officer)


def _sign_in(client):
    assert client.post("/auth/login", data={"username": "officer1", "password": TEST_PASSWORD}).status_code == 302


def _shift(client, **seconds_ago):
    now = int(sessions.clock())
    with client.session_transaction() as sess:
        for key, ago in seconds_ago.items():
            sess[key] = now - ago


def _signed_in(client) -> bool:
    response = client.get("/inbox/")
    return response.status_code == 200


def test_sign_in_stamps_the_session(client, officer):
    _sign_in(client)
    with client.session_transaction() as sess:
        assert abs(sess["auth_at"] - sessions.clock()) < 5 and sess["seen_at"] == sess["auth_at"]


def test_an_idle_session_ends(client, app, officer):
    _sign_in(client)
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    _shift(client, seen_at=idle - 120)
    assert _signed_in(client)
    with client.session_transaction() as sess:
        assert sessions.clock() - sess["seen_at"] < 5  # the request refreshed it
    _shift(client, seen_at=idle + 1)
    response = client.get("/inbox/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    with client.session_transaction() as sess:
        assert "_user_id" not in sess
    assert "会话已过期" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_session_ends_after_its_absolute_lifetime_even_when_busy(client, app, officer):
    _sign_in(client)
    lifetime = app.config["SESSION_MAX_HOURS"] * 3600
    _shift(client, auth_at=lifetime - 60, seen_at=10)
    assert _signed_in(client)
    _shift(client, auth_at=lifetime + 1, seen_at=10)
    assert not _signed_in(client)


def test_lifetimes_are_configurable(client, app, officer, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 1)
    _sign_in(client)
    _shift(client, seen_at=61)
    assert not _signed_in(client)


def _refusals(db):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "auth.refused")
                              .order_by(AuditEvent.seq)).all()


def test_another_departments_item_is_a_404_refusal_audited(client, db, login_as, create_user, create_item,
                                                           create_department):
    other = create_item(department=create_department())
    staff = login_as(create_user("staff1", Role.department_staff))
    response = client.get(f"/workspace/items/{other.id}", headers={"X-Request-ID": "req-refused-1"})
    assert response.status_code == 404
    ev = _refusals(db)[-1]
    assert (ev.actor_id, ev.actor_username, ev.entity_type, ev.entity_id) == (staff.id, "staff1", "items",
                                                                               str(other.id))
    assert ev.ip == "127.0.0.1" and ev.request_id == "req-refused-1" and ev.created_at is not None
    assert '"status":[null,404]' in ev.changes and f"/workspace/items/{other.id}" in ev.changes


def test_a_plain_404_is_not_a_refusal(client, db, login_as, create_user):
    login_as(create_user("staff1", Role.department_staff))
    assert client.get("/workspace/items/999999").status_code == 404
    assert _refusals(db) == []


def test_a_403_is_audited(client, db, login_as, create_user):
    staff = login_as(create_user("staff1", Role.department_staff))
    assert client.get("/admin/rounds").status_code == 403
    ev = _refusals(db)[-1]
    assert ev.actor_id == staff.id and '"status":[null,403]' in ev.changes


def test_a_refusal_commits_its_event_and_nothing_of_the_request(app, db, create_item):
    """Whatever the refused request had changed is rolled back; only the refusal is written."""
    from flask import Response

    from registry.auth.refusals import audit_refusal

    item = create_item()
    db.session.commit()
    old_name = item.name
    with app.test_request_context("/workspace/items/1/edit", method="POST"):
        item.name = "改了一半的名称"
        db.session.flush()
        audit_refusal(Response(status=403))
    db.session.expire_all()
    assert db.session.get(type(item), item.id).name == old_name
    assert len(_refusals(db)) == 1


def test_no_account_exists_until_someone_creates_one(db):
    """Migrations and seeds create no user; only ``registry demo`` / ``seed --demo-users`` do."""
    from registry import seeding

    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    seeding.seed()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
