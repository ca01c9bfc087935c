"""Writes on users: create, change roles, deactivate — each audited."""
from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from registry.audit.services import diff, record, snapshot
from registry.auth.models import Role, User, UserRole
from registry.errors_domain import ValidationFailed
from registry.extensions import db
from registry.items.models import Department

MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    """scrypt (Werkzeug's default parameters); tests may lower the cost via PASSWORD_HASH_METHOD."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


#: zxcvbn score (0–4) a password needs: 3 is "safely unguessable" for a slow hash offline
MIN_PASSWORD_SCORE = 3
#: zxcvbn rates at most this many characters (the rest only adds strength)
_RATED_CHARS = 72


def check_password_policy(password: str, user_inputs: Iterable[str] = ()) -> None:
    """At least 12 characters, and not a common or easily guessed password.

    zxcvbn matches the password against its lists of 30,000 common passwords, words and
    names, keyboard patterns, repeats, sequences and dates, and against ``user_inputs``
    (the username and display name).
    """
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(str(_l("The password must have at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)),
                               field="password")
    from zxcvbn import zxcvbn

    inputs = [u for u in user_inputs if u] + ["registry", "licensing", "password"]
    if zxcvbn(password[:_RATED_CHARS], user_inputs=inputs)["score"] < MIN_PASSWORD_SCORE:
        raise ValidationFailed(str(_l("This password is too common or too easy to guess: choose a longer phrase"
                                      " of unrelated words.")), field="password")


def create_user(
    username: str,
    *,
    display_name: str,
    password: str,
    roles: Iterable[Role],
    department: Department | None = None,
    actor: User | None = None,
) -> User:
    """Create an active user. Department staff need a department. Audits ``user.create``."""
    username = (username or "").strip()
    roles = set(roles)
    if not username or len(username) > 64:
        raise ValidationFailed(str(_l("A username of 1 to 64 characters is required.")), field="username")
    if not roles:
        raise ValidationFailed(str(_l("A user needs at least one role.")), field="roles")
    if Role.department_staff in roles and department is None:
        raise ValidationFailed(str(_l("Department staff need a department.")), field="department")
    check_password_policy(password, (username, display_name))
    if db.session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise ValidationFailed(str(_l("The username %(u)s is taken.", u=username)), field="username")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        department=department,
        role_rows=[UserRole(role=r) for r in sorted(roles, key=lambda r: r.value)],
    )
    db.session.add(user)
    db.session.flush()
    changes = snapshot(user)
    changes["roles"] = [None, sorted(r.value for r in roles)]
    record("user.create", actor=actor, entity=user, changes=changes)
    return user


#: the actor of events nobody signed in caused (failed logins)
ANONYMOUS = SimpleNamespace(id=None, username="anonymous", roles=())

#: checked when the username is unknown, so a miss costs as much time as a wrong password
_DUMMY_HASH: dict[str, str] = {}


def _dummy_hash() -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = generate_password_hash("not a password of anyone", method=method)
    return _DUMMY_HASH[method]


def authenticate(username: str, password: str) -> User | None:
    """The active user with this username and password, or None. Writes nothing."""
    username = (username or "").strip()
    user = db.session.scalar(sa.select(User).where(User.username == username)) if username else None
    if user is None or not user.is_active:
        check_password_hash(_dummy_hash(), password or "")
        return None
    return user if check_password_hash(user.password_hash, password or "") else None


def record_login(user: User) -> None:
    """Audits ``auth.login`` for a user who has just proved their password."""
    record("auth.login", actor=user, entity=user)


def _account(username: str) -> tuple[str, User | None]:
    username = (username or "").strip()[:64]
    return username, db.session.scalar(sa.select(User).where(User.username == username)) if username else None


def record_failed_login(username: str, *, reason: str = "") -> None:
    """Audits ``auth.login_failed``; names the account when it exists (never the password).

    ``reason`` is ``locked`` when the password was not even checked because of a lockout.
    """
    username, user = _account(username)
    record("auth.login_failed", actor=ANONYMOUS, entity=user, entity_type="users",
           changes={"username": [None, username]}, reason=reason)


def record_lockout(username: str, *, seconds: int) -> None:
    """Audits ``auth.lockout``: repeated failures locked the account name for ``seconds``."""
    username, user = _account(username)
    record("auth.lockout", actor=ANONYMOUS, entity=user, entity_type="users",
           changes={"username": [None, username], "seconds": [None, seconds]})


def end_sessions(user: User, *, action: str = "auth.logout") -> User:
    """Invalidate every session cookie of ``user`` by bumping its epoch. Audits ``action``."""
    user.session_epoch = (user.session_epoch or 0) + 1
    changes = diff(user)
    db.session.flush()
    record(action, actor=user, entity=user, changes=changes)
    return user


def set_active(user: User, active: bool, *, actor: User | None = None) -> User:
    """Activate or deactivate an account; deactivation also ends its sessions.

    Audits ``user.activate`` or ``user.deactivate`` (nothing when already so).
    """
    if user.is_active == active:
        return user
    user.is_active = active
    if not active:
        user.session_epoch = (user.session_epoch or 0) + 1
    changes = diff(user)
    db.session.flush()
    record("user.activate" if active else "user.deactivate", actor=actor, entity=user, changes=changes)
    return user
