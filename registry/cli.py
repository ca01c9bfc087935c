"""The ``registry`` command: one entry point for every operator task."""
from __future__ import annotations

import os
import sys

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from registry.config import ConfigError
from registry.errors_domain import DomainError
from registry.seeding import SeedError


class RegistryGroup(FlaskGroup):
    """A Flask CLI group that turns operator mistakes into one clear line, not a traceback."""

    def main(self, *args, **kwargs):
        kwargs.setdefault("standalone_mode", True)
        try:
            return super().main(*args, **kwargs)
        except ConfigError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
            raise
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from None
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        except SeedError as exc:
            raise click.ClickException(str(exc)) from None
        except sa.exc.OperationalError as exc:
            raise click.ClickException(_db_problem(exc)) from None
        except sa.exc.ProgrammingError as exc:
            raise click.ClickException(_db_problem(exc)) from None


def _db_problem(exc: Exception) -> str:
    text = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    if "no such table" in text or "does not exist" in text and "relation" in text:
        return "the database has no schema yet: run `registry db upgrade` (or `registry demo`)"
    return f"database error: {text}"


def _command_name() -> str:
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    return args[0] if args else ""


def _create_app(*_args, **_kwargs):
    """The app for a command: ``demo`` runs in development; only ``serve`` needs SECRET_KEY.

    Other commands sign no cookies, so without SECRET_KEY they get a throwaway key.
    """
    from registry import create_app

    name = _command_name()
    if name == "demo":
        os.environ.setdefault("REGISTRY_ENV", "development")
    overrides = {}
    if name not in ("serve", "demo") and not os.environ.get("SECRET_KEY"):
        import secrets

        overrides["SECRET_KEY"] = secrets.token_urlsafe(32)
    return create_app(overrides)


@click.group(cls=RegistryGroup, create_app=_create_app, add_default_commands=False, add_version_option=False,
             load_dotenv=False, set_debug_flag=False)
def cli():
    """Licensing Item Registry (行政许可事项清理登记系统) operator commands."""


def _cli_audit_context(command: str) -> None:
    from registry.audit.context import AuditContext, set_context

    set_context(AuditContext(ip="cli", request_id=f"cli:{command}"))


from registry.commands import register  # noqa: E402

register(cli)


def main() -> None:
    os.environ.setdefault("FLASK_RUN_FROM_CLI", "false")
    cli.main(prog_name="registry")


__all__ = ["cli", "main", "current_app", "with_appcontext", "_cli_audit_context"]
