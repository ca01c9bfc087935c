"""``registry tokens create|list|revoke`` through the real command group."""
import pytest
import sqlalchemy as sa

from registry.audit.models import AuditEvent
from registry.auth.models import ApiToken, Role
from registry.auth.tokens import find_token, hash_token
from registry.cli import cli


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def _run(*args):
        return runner.invoke(cli, list(args))

    return _run


def test_create_prints_the_token_once_and_stores_its_hash(db, run, create_user):
    user = create_user("oa_bot", Role.legal_officer)
    result = run("tokens", "create", "oa_bot", "--name", "OA system")
    assert result.exit_code == 0, result.output
    plaintext = result.stdout.strip().splitlines()[0]
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.token_hash == hash_token(plaintext) and token.name == "OA system"
    assert find_token(plaintext) is token
    ev = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "token.create")).all()[-1]
    assert ev.request_id == "cli:tokens create" and plaintext not in ev.changes
    listing = run("tokens", "list").output
    assert token.prefix in listing and "oa_bot" in listing and plaintext not in listing


@pytest.mark.parametrize("by", ["id", "prefix"])
def test_revoke_by_id_or_prefix(db, run, create_user, by):
    create_user("oa_bot", Role.legal_officer)
    plaintext = run("tokens", "create", "oa_bot").stdout.strip().splitlines()[0]
    token = find_token(plaintext)
    key = str(token.id) if by == "id" else token.prefix
    result = run("tokens", "revoke", key)
    assert result.exit_code == 0, result.output
    assert find_token(plaintext) is None
    assert "revoked" in run("tokens", "list").output
    assert db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action == "token.revoke")).all()
    again = run("tokens", "revoke", key)
    assert again.exit_code != 0 and "Traceback" not in again.output


@pytest.mark.parametrize("args", [("tokens", "create", "nobody"), ("tokens", "revoke", "999999"),
                                  ("tokens", "revoke", "abc")])
def test_operator_mistakes_are_one_clear_line(run, args):
    result = run(*args)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1
