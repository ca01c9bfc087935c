"""``registry users create|list|unlock``."""
from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from registry.auth.models import Role

ROLE_CHOICES = [r.value for r in Role]


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def register(cli: click.Group) -> None:
    @cli.group()
    def users():
        """User accounts."""

    @users.command("create")
    @click.argument("username")
    @click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLE_CHOICES))
    @click.option("--department", "department_code", help="Department code (required for department staff).")
    @click.option("--name", "display_name", default="", help="Display name (default: the username).")
    @with_appcontext
    def create(username, roles, department_code, display_name):
        """Create USERNAME; the password is read from a prompt or standard input, never argv."""
        from registry.auth.services import create_user
        from registry.cli import _cli_audit_context
        from registry.errors_domain import DomainError
        from registry.extensions import db
        from registry.items.models import Department

        _cli_audit_context("users create")
        department = None
        if department_code:
            department = db.session.scalar(sa.select(Department).where(Department.code == department_code))
            if department is None:
                raise click.ClickException(f"no department with code {department_code!r}")
        password = _read_password()
        try:
            user = create_user(username, display_name=display_name, password=password,
                               roles=[Role(r) for r in roles], department=department)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        db.session.commit()
        click.echo(f"created {user.username} ({', '.join(sorted(roles))})")

    @users.command("list")
    @with_appcontext
    def list_():
        """List users with their roles and department."""
        from registry.auth.models import User
        from registry.extensions import db

        for u in db.session.scalars(sa.select(User).order_by(User.username)):
            roles = ",".join(sorted(r.value for r in u.roles))
            dept = u.department.code if u.department else "-"
            state = "active" if u.is_active else "inactive"
            click.echo(f"{u.username:<16} {roles:<32} {dept:<6} {state}  {u.display_name}")

    @users.command("unlock")
    @click.argument("username")
    @with_appcontext
    def unlock(username):
        """End the sign-in lockout of USERNAME (in the shared RATELIMIT_STORAGE_URI). Audits ``auth.unlock``."""
        from flask import current_app

        from registry.audit.services import record
        from registry.auth import throttle
        from registry.auth.models import User
        from registry.cli import _cli_audit_context
        from registry.extensions import db

        if current_app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
            raise click.ClickException("RATELIMIT_STORAGE_URI is memory://: a lockout lives in the server process"
                                       " and ends with it or after LOGIN_LOCKOUT_SECONDS")
        _cli_audit_context("users unlock")
        throttle.current().unlock(username)
        user = db.session.scalar(sa.select(User).where(User.username == username))
        record("auth.unlock", entity=user, entity_type="users", changes={"username": [None, username]})
        db.session.commit()
        click.echo(f"unlocked {username}")
