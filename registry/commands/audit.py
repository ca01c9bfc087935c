"""``registry audit verify``."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


def register(cli: click.Group) -> None:
    @cli.group()
    def audit():
        """The audit trail."""

    @audit.command()
    @with_appcontext
    def verify():
        """Check the hash chain; exit 1 naming the first bad event."""
        from registry.audit.chain import verify as verify_chain
        from registry.extensions import db

        result = verify_chain(db.session)
        if result.ok:
            click.echo(f"audit chain intact: {result.count} events, head {result.head_hash}")
            return
        click.echo(f"audit chain BROKEN at event seq={result.bad_seq} id={result.bad_id}: {result.problem} "
                   f"({result.count} events verified before it)", err=True)
        raise SystemExit(1)
