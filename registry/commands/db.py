"""``registry db upgrade|downgrade|current|check``."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from registry import migrate


def _url() -> str:
    return current_app.config["SQLALCHEMY_DATABASE_URI"]


def register(cli: click.Group) -> None:
    @cli.group()
    def db():
        """Database schema (Alembic migrations)."""

    @db.command()
    @click.argument("revision", default="head")
    @with_appcontext
    def upgrade(revision):
        """Upgrade the schema to REVISION (default: head)."""
        migrate.upgrade(_url(), revision)
        click.echo(f"database at {migrate.current_revision(_engine())}")

    @db.command()
    @click.argument("revision", default="-1")
    @with_appcontext
    def downgrade(revision):
        """Downgrade the schema to REVISION (default: one step; 'base' empties it)."""
        migrate.downgrade(_url(), revision)
        click.echo(f"database at {migrate.current_revision(_engine()) or 'base'}")

    @db.command()
    @with_appcontext
    def current():
        """Show the database's revision and the newest one available."""
        cur, head = migrate.current_revision(_engine()), migrate.head_revision(_url())
        click.echo(f"current: {cur or 'base (empty)'}\nhead:    {head}")
        if cur != head:
            click.echo("the database is not up to date: run `registry db upgrade`")

    @db.command()
    @with_appcontext
    def check():
        """Fail if the models differ from what the migrations create."""
        diffs = migrate.schema_differences(_engine())
        if diffs:
            for d in diffs:
                click.echo(f"  {d}")
            raise click.ClickException("models and migrations differ")
        click.echo("models and migrations agree")


def _engine():
    from registry.extensions import db as _db

    return _db.engine
