"""``registry public reindex``: rebuild the public search index from the items."""
from __future__ import annotations

import click

from registry.extensions import db
from registry.public import indexer


def register(bp) -> None:
    @bp.cli.command("reindex")
    def reindex():
        """Rebuild the public search index (after bulk loads that bypass the ORM)."""
        n = indexer.rebuild(db.session.connection())
        db.session.commit()
        click.echo(f"indexed {n} items")
