"""``registry tokens create|revoke|list``: API tokens for other systems."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext


def register(cli: click.Group) -> None:
    @cli.group()
    def tokens():
        """API tokens (sent as ``Authorization: Bearer ...``)."""

    @tokens.command("create")
    @click.argument("username")
    @click.option("--name", default="", help="What the token is for, e.g. the calling system.")
    @with_appcontext
    def create(username, name):
        """Issue a token for USERNAME and print it once (only its SHA-256 is kept)."""
        from registry.auth.models import User
        from registry.auth.tokens import issue_token
        from registry.cli import _cli_audit_context
        from registry.extensions import db

        _cli_audit_context("tokens create")
        user = db.session.scalar(sa.select(User).where(User.username == username))
        if user is None:
            raise click.ClickException(f"no user named {username!r}")
        token, plaintext = issue_token(user, name=name)
        db.session.commit()
        click.echo(plaintext)
        click.echo(f"token {token.id} for {user.username} created; it is shown only this once.", err=True)

    @tokens.command("revoke")
    @click.argument("token_key", metavar="TOKEN_ID_OR_PREFIX")
    @with_appcontext
    def revoke(token_key):
        """Revoke a token by its id or the start of the token (as `tokens list` shows it)."""
        from registry.auth.tokens import lookup, revoke_token
        from registry.cli import _cli_audit_context
        from registry.extensions import db

        _cli_audit_context("tokens revoke")
        token = lookup(token_key)
        revoke_token(token)
        db.session.commit()
        click.echo(f"token {token.id} ({token.prefix}…) of {token.user.username} revoked")

    @tokens.command("list")
    @with_appcontext
    def list_():
        """Every token: id, prefix, user, name, created, last used, state."""
        from registry.auth.models import ApiToken
        from registry.extensions import db

        rows = db.session.scalars(sa.select(ApiToken).order_by(ApiToken.id)).all()
        if not rows:
            click.echo("no tokens")
        for t in rows:
            used = t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "never"
            state = "revoked " + t.revoked_at.strftime("%Y-%m-%d") if t.revoked_at else "active"
            click.echo(f"{t.id:>4}  {t.prefix}…  {t.user.username:<16} {t.created_at:%Y-%m-%d}  "
                       f"used {used:<16} {state:<18} {t.name}")
