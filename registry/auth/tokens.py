"""API tokens: issue, find and revoke — only a token's SHA-256 is stored."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from registry.audit.services import diff, record, snapshot
from registry.auth.models import ApiToken, User
from registry.db import utcnow
from registry.errors_domain import InvalidTransition, ValidationFailed
from registry.extensions import db

# a public marker, not a secret
TOKEN_PREFIX = "reg_"  # noqa: S105  # nosec B105
#: characters of the token kept in clear to tell tokens apart
SHOWN = 12
#: ``last_used_at`` is refreshed at most this often (a timestamp, not an audit trail)
TOUCH_EVERY = timedelta(minutes=5)


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def issue_token(user: User, *, name: str = "", actor: User | None = None) -> tuple[ApiToken, str]:
    """A new random token for ``user``; the plaintext is returned once and never stored.

    Audits ``token.create`` (name and prefix; never the token or its hash).
    """
    name = (name or "").strip()
    if len(name) > 100:
        raise ValidationFailed(str(_l("At most %(n)s characters.", n=100)), field="name")
    if not user.is_active:
        raise ValidationFailed(str(_l("This account is deactivated.")), field="user")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=plaintext[:SHOWN], token_hash=hash_token(plaintext),
                     created_at=utcnow())
    db.session.add(token)
    db.session.flush()
    record("token.create", actor=actor, entity=token, changes=snapshot(token))
    return token, plaintext


#: the token with its user and the user's roles (built once: every API request runs it)
_BY_HASH = (sa.select(ApiToken).where(ApiToken.token_hash == sa.bindparam("token_hash"))
            .options(joinedload(ApiToken.user).joinedload(User.role_rows)))


def find_token(plaintext: str) -> ApiToken | None:
    """The live (not revoked, active user) token with this plaintext, or None.

    One statement loads the token, its user and the user's roles (every API request needs all three).
    """
    if not plaintext or len(plaintext) > 200:
        return None
    token = db.session.scalars(_BY_HASH, {"token_hash": hash_token(plaintext)}).unique().first()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    return token


def touch_due(token: ApiToken) -> bool:
    """Whether ``touch`` would write: the last use noted is missing or older than ``TOUCH_EVERY``."""
    return token.last_used_at is None or utcnow() - token.last_used_at > TOUCH_EVERY


def touch(token: ApiToken) -> None:
    """Note when the token was last used (bookkeeping; not audited, at most every few minutes)."""
    if touch_due(token):
        token.last_used_at = utcnow()


def revoke_token(token: ApiToken, *, actor: User | None = None) -> ApiToken:
    """Revoke a live token. Audits ``token.revoke``."""
    if token.revoked_at is not None:
        raise InvalidTransition(str(_l("This token is already revoked.")))
    token.revoked_at = utcnow()
    changes = diff(token)
    db.session.flush()
    record("token.revoke", actor=actor, entity=token, changes=changes)
    return token


def lookup(key: str) -> ApiToken:
    """A token by id or by the start of its plaintext (at least 8 characters, unique)."""
    key = (key or "").strip()
    if key.isdigit():
        token = db.session.get(ApiToken, int(key))
    elif len(key) >= 8:
        found = db.session.scalars(sa.select(ApiToken).where(ApiToken.prefix.startswith(key[:SHOWN]))).all()
        found = [t for t in found if key.startswith(t.prefix) or t.prefix.startswith(key)]
        if len(found) > 1:
            raise ValidationFailed(str(_l("Several tokens start like this; give the id.")), field="token")
        token = found[0] if found else None
    else:
        token = None
    if token is None:
        raise ValidationFailed(str(_l("No such token.")), field="token")
    return token
