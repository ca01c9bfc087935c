"""``registry backup FILE`` and ``registry restore FILE``."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @with_appcontext
    def backup(file):
        """Write a consistent backup of the database to FILE (the app may keep running)."""
        from registry.backup import BackupError
        from registry.backup import backup as do_backup

        try:
            do_backup(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"backup written to {file} ({file.stat().st_size:,} bytes)")

    @cli.command()
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    @with_appcontext
    def restore(file, yes):
        """Replace the database's contents with the backup in FILE (stop the app first)."""
        from registry.backup import BackupError
        from registry.backup import restore as do_restore
        from registry.extensions import db

        if not yes:
            click.confirm("This replaces every row of the database. Continue?", abort=True)
        db.engine.dispose()
        try:
            do_restore(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"restored from {file}; run `registry audit verify` to check the trail")
