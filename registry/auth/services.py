"""Writes on users: create, change roles, deactivate — each audited."""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from werkzeug.security import generate_password_hash

from registry.audit.services import record, snapshot
from registry.auth.models import Role, User, UserRole
from registry.errors_domain import ValidationFailed
from registry.extensions import db
from registry.items.models import Department

MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    """scrypt (Werkzeug's default parameters); tests may lower the cost via PASSWORD_HASH_METHOD."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(str(_l("The password must have at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)),
                               field="password")


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
    check_password_policy(password)
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
