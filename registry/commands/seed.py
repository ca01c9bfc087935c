"""``registry seed`` and ``registry demo``."""
from __future__ import annotations

import os

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from registry import migrate


def _seed(demo_users: bool) -> None:
    from registry import seeding
    from registry.extensions import db

    report = seeding.seed()
    click.echo(f"seed: {report}")
    if demo_users:
        users = seeding.seed_demo_users()
        _print_logins(users)
        n = seeding.seed_demo_round()
        if n:
            click.echo(f"demo round: {seeding.DEMO_ROUND_NAME} with {n} reviews in every state")
    db.session.commit()


def _print_logins(users) -> None:
    from registry.seeding import DEMO_PASSWORD

    click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
    for user, created in users:
        roles = ", ".join(sorted(r.value for r in user.roles))
        dept = f" · {user.department.name}" if user.department else ""
        click.echo(f"  {user.username:<10} {roles}{dept}{'' if created else ' (existing)'}")


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--demo-users", is_flag=True, help="Also create the demo users (known passwords: demo only).")
    @with_appcontext
    def seed(demo_users):
        """Load the reference data in seeds/ (safe to run again)."""
        from registry.cli import _cli_audit_context

        _cli_audit_context("seed")
        _require_schema()
        _seed(demo_users)

    @cli.command()
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
    @click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32))
    @with_appcontext
    def demo(host, port, workers):
        """Upgrade the database, load the demo data and users, and serve the demo."""
        from registry.cli import _cli_audit_context
        from registry.commands.serve import run_server

        _cli_audit_context("demo")
        migrate.upgrade(current_app.config["SQLALCHEMY_DATABASE_URI"])
        _seed(demo_users=True)
        click.echo(f"\nServing the demo on http://{host}:{port}/  (Ctrl+C stops it)")
        run_server(host=host, port=port, workers=workers)


def _require_schema() -> None:
    from registry.extensions import db

    cur = migrate.current_revision(db.engine)
    if cur != migrate.head_revision(current_app.config["SQLALCHEMY_DATABASE_URI"]):
        raise click.ClickException("the database schema is not up to date: run `registry db upgrade` first")


__all__ = ["register", "os", "sa"]
