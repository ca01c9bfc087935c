"""``registry import items``, ``registry export items|registry`` and ``registry alignment import``."""
from __future__ import annotations

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from registry.alignment.models import HigherLevelItem, ListLevel


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

    @export_.command("registry")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), help="Date of the legal check (default today).")
    @with_appcontext
    def export_registry_cmd(file, as_of):
        """Write the whole registry with reviews and legal-check findings to FILE (.xlsx)."""
        from datetime import date

        from registry.reports.exports import write_registry

        if _format(file) != "xlsx":
            raise click.ClickException("the registry export is an .xlsx file")
        with file.open("wb") as fh:
            write_registry(fh, as_of.date() if as_of else date.today())
        click.echo(f"exported the registry to {file}")

    @cli.group("alignment")
    def alignment():
        """Higher-level lists and alignment of pending items."""

    @alignment.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--list", "source_list", required=True, help="The list's name, e.g. 江东省保留行政许可项目目录.")
    @click.option("--version", "list_version", required=True, help="The list's version label, e.g. 2004.")
    @click.option("--level", type=click.Choice([lv.value for lv in ListLevel]), default="province", show_default=True)
    @click.option("--propose-exact", is_flag=True,
                  help="Also confirm every pending item with the same code and propose the list's outcome.")
    @click.option("--as", "username", help="The legal officer who confirms (required with --propose-exact).")
    @with_appcontext
    def alignment_import(file, source_list, list_version, level, propose_exact, username):
        """Import a higher-level list FILE (code, name, department, basis, decision) as a new version."""
        from registry.alignment.matching import Matcher
        from registry.alignment.services import import_list, queue
        from registry.alignment.services import propose_exact as propose
        from registry.audit.context import AuditContext, set_context
        from registry.extensions import db
        from registry.imports.parsers import Limits

        set_context(AuditContext(ip="cli", request_id="cli:alignment import"))
        actor = find_user(username)
        if propose_exact and actor is None:
            raise click.ClickException("--propose-exact needs --as USERNAME (a legal officer)")
        result = import_list(file.read_bytes(), file.name, source_list=source_list, list_version=list_version,
                             level=ListLevel(level), actor=actor, limits=Limits.from_config(current_app.config))
        if result.errors:
            for err in result.errors:
                click.echo(f"  {err}", err=True)
            raise click.ClickException(f"{len(result.errors)} errors: nothing was imported")
        entries = queue(Matcher(db.session.scalars(sa.select(HigherLevelItem).where(
            HigherLevelItem.source_list == source_list, HigherLevelItem.list_version == list_version)).all()))
        by_code = sum(1 for e in entries if e.candidates and e.candidates[0].method.value == "code")
        by_name = sum(1 for e in entries if e.candidates and e.candidates[0].method.value == "name")
        click.echo(f"imported {result.rows} rows of {source_list} {list_version}; pending items with candidates: "
                   f"{by_code} by code, {by_name} by name")
        if propose_exact:
            n = propose(actor=actor, source_list=source_list, list_version=list_version)
            click.echo(f"proposed the higher level's outcome for {n} items (same code); an approver decides next")
        db.session.commit()


def _format(file: Path) -> str:
    ext = file.suffix.lower()
    if ext not in (".xlsx", ".csv"):
        raise click.ClickException("the file name must end in .xlsx or .csv")
    return ext[1:]
