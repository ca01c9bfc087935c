"""Sign-in rate limits per address and per account, and the lockout, on memory:// and on Redis."""
import pytest
import sqlalchemy as sa

from registry.audit.models import AuditEvent
from registry.extensions import db
from tests.factories import TEST_PASSWORD
from tests.hardening.conftest import add_user, login

pytestmark = pytest.mark.no_db

STORAGES = ["memory://", "redis"]


@pytest.fixture(params=STORAGES)
def storage(request):
    return request.getfixturevalue("redis_uri") if request.param == "redis" else request.param


def _events(app, action):
    with app.app_context():
        return [(e.actor_username, e.entity_id, e.ip, e.changes, e.reason) for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def _signed_in(client) -> bool:
    with client.session_transaction() as sess:
        return "_user_id" in sess


def test_repeated_failures_lock_the_account_even_for_the_right_password(make_app, storage):
    app = make_app(RATELIMIT_STORAGE_URI=storage, LOGIN_LOCKOUT_FAILURES=3)
    user_id = add_user(app)
    client = app.test_client()
    for _ in range(2):
        assert login(client, password="wrong password 1").status_code == 200
    third = login(client, password="wrong password 1")
    assert third.status_code == 429 and "锁定" in third.get_data(as_text=True)
    refused = login(client)  # the right password, but locked
    assert refused.status_code == 429 and not _signed_in(client)
    failed = _events(app, "auth.login_failed")
    assert len(failed) == 4 and all(e[0] == "anonymous" and e[1] == str(user_id) and e[2] == "10.0.0.1"
                                    for e in failed)
    assert [e[4] for e in failed] == ["", "", "", "locked"]
    lockouts = _events(app, "auth.lockout")
    assert len(lockouts) == 1 and lockouts[0][1] == str(user_id) and '"seconds":[null,900]' in lockouts[0][3]


def test_a_lockout_ends_and_unknown_names_lock_alike(make_app, storage):
    app = make_app(RATELIMIT_STORAGE_URI=storage, LOGIN_LOCKOUT_FAILURES=2, LOGIN_LOCKOUT_SECONDS=1)
    add_user(app)
    client = app.test_client()
    for _ in range(2):
        login(client, "nobody-here", "wrong password 1")
    assert login(client, "nobody-here", "wrong password 1").status_code == 429  # no hint the name is unknown
    for _ in range(2):
        login(client, password="wrong password 1")
    assert login(client).status_code == 429
    throttle = app.extensions["registry.throttle"]
    with app.test_request_context():
        throttle.unlock("officer9")  # as the lock's own expiry would
    assert login(client).status_code == 302 and _signed_in(client)


def test_success_forgets_earlier_failures(make_app, storage):
    app = make_app(RATELIMIT_STORAGE_URI=storage, LOGIN_LOCKOUT_FAILURES=3)
    add_user(app)
    client = app.test_client()
    for _ in range(2):
        login(client, password="wrong password 1")
    assert login(client).status_code == 302
    for _ in range(2):
        login(app.test_client(), password="wrong password 1")
    assert login(app.test_client()).status_code == 302


def test_attempts_per_address_are_rate_limited(make_app, storage):
    app = make_app(RATELIMIT_STORAGE_URI=storage, LOGIN_RATE_LIMIT_ADDRESS="3 per minute")
    add_user(app)
    client = app.test_client()
    for name in ("a1", "a2", "a3"):
        assert login(client, name, "wrong password 1").status_code == 200
    assert login(client).status_code == 429  # even the right password, from this address
    assert login(client, addr="10.0.0.2").status_code == 302  # another address is not affected


def test_attempts_per_account_are_rate_limited_across_addresses(make_app, storage):
    app = make_app(RATELIMIT_STORAGE_URI=storage, LOGIN_RATE_LIMIT_ACCOUNT="2 per minute",
                   LOGIN_LOCKOUT_FAILURES=10)
    add_user(app)
    client = app.test_client()
    for n in range(2):
        assert login(client, password="wrong password 1", addr=f"10.0.1.{n}").status_code == 200
    assert login(client, addr="10.0.1.9").status_code == 429


def test_redis_lockout_holds_in_every_app_process(make_app, redis_uri):
    """Two apps stand for two processes: a lockout taken through one refuses the other."""
    first = make_app(RATELIMIT_STORAGE_URI=redis_uri, LOGIN_LOCKOUT_FAILURES=3)
    second = make_app(RATELIMIT_STORAGE_URI=redis_uri, LOGIN_LOCKOUT_FAILURES=3)
    add_user(first)
    for _ in range(3):
        login(first.test_client(), password="wrong password 1")
    client = second.test_client()
    assert login(client, addr="10.9.9.9").status_code == 429 and not _signed_in(client)


def test_memory_storage_is_per_process(make_app):
    """memory:// is for one process only (documented): another process knows nothing of the lock."""
    first, second = make_app(LOGIN_LOCKOUT_FAILURES=3), make_app(LOGIN_LOCKOUT_FAILURES=3)
    add_user(first)
    for _ in range(3):
        login(first.test_client(), password="wrong password 1")
    assert login(first.test_client()).status_code == 429
    assert login(second.test_client()).status_code == 302


def test_password_is_never_in_the_trail(make_app):
    app = make_app()
    add_user(app)
    login(app.test_client(), password="secret guess 123")
    assert all("secret guess" not in e[3] for e in _events(app, "auth.login_failed"))
    assert TEST_PASSWORD


def test_operators_unlock_an_account_from_the_command_line(make_app, redis_uri, scratch_url):
    from registry.cli import cli

    app = make_app(RATELIMIT_STORAGE_URI=redis_uri, LOGIN_LOCKOUT_FAILURES=2)
    add_user(app)
    for _ in range(2):
        login(app.test_client(), password="wrong password 1")
    assert login(app.test_client()).status_code == 429
    result = app.test_cli_runner().invoke(cli, ["users", "unlock", "officer9"])
    assert result.exit_code == 0, result.output
    assert login(app.test_client()).status_code == 302
    assert [e[0] for e in _events(app, "auth.unlock")] == ["system"]
