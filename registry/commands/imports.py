"""``registry import items`` and ``registry export items``: spreadsheets in and out."""
from __future__ import annotations

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext


def find_user(username: str | None):
    """The user named by ``--as`` (None without it: the import runs as the system)."""
    from registry.auth.models import User
    from registry.extensions import db

    if not username:
        return None
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None or not user.is_active:
        raise click.ClickException(f"no active user {username!r}")
    return user


def register(cli: click.Group) -> None:
    @cli.group("import")
    def import_():
        """Import spreadsheets (XLSX or CSV)."""

    @import_.command("items")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Check and compare only; write nothing.")
    @click.option("--as", "username", help="Import as this user (their department scope applies; audited).")
    @with_appcontext
    def import_items(file, dry_run, username):
        """Import licensing items from FILE: all rows or none (exit 1 listing every row error)."""
        from registry.audit.context import AuditContext, set_context
        from registry.extensions import db
        from registry.imports.parsers import Limits
        from registry.imports.services import plan_import, run_import, sha256_of

        data = file.read_bytes()
        set_context(AuditContext(ip="cli", request_id=f"cli:import:{sha256_of(data)[:40]}"))
        actor = find_user(username)
        plan = plan_import(data, file.name, actor=actor, limits=Limits.from_config(current_app.config))
        click.echo(f"{file.name}: {plan.rows} rows — {len(plan.new)} new, {len(plan.changed)} changed, "
                   f"{plan.unchanged} unchanged; sha256 {plan.sha256}")
        if not plan.ok:
            for err in plan.errors:
                click.echo(f"  {err}", err=True)
            raise click.ClickException(f"{len(plan.errors)} errors: nothing was imported")
        if dry_run:
            click.echo("dry run: nothing was written")
            return

        def progress(done, total):
            click.echo(f"  written {done}/{total}", err=True)
            sys.stderr.flush()

        counts = run_import(plan, actor=actor, progress=progress)
        db.session.commit()
        click.echo(f"imported: {counts['new']} new, {counts['changed']} changed")

    @cli.group("export")
    def export_():
        """Export spreadsheets (XLSX or CSV, by the file's extension)."""

    @export_.command("items")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @with_appcontext
    def export_items_cmd(file):
        """Write every item to FILE in the import format (.xlsx or .csv)."""
        from registry.imports.export import export_items

        fmt = _format(file)
        with file.open("wb") as fh:
            n = export_items(fh, fmt, release=True)
        click.echo(f"exported {n} items to {file}")


def _format(file: Path) -> str:
    ext = file.suffix.lower()
    if ext not in (".xlsx", ".csv"):
        raise click.ClickException("the file name must end in .xlsx or .csv")
    return ext[1:]
