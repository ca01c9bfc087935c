"""``registry public reindex`` rebuilds the search index."""
import sqlalchemy as sa

from registry.public.models import ItemSearchToken


def test_reindex_rebuilds_the_index(app, db, portal):
    db.session.execute(sa.delete(ItemSearchToken))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["public", "reindex"])
    assert result.exit_code == 0 and "indexed 7 items" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ItemSearchToken)) > 0
