"""Index Latin and digit runs by suffix tokens; fold Traditional to Simplified; cover list sorts

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-26 15:00:00

The search tokens change (see registry/public/search.py): Latin/digit runs such as item
codes are indexed by their suffixes (up to 16 characters, looked up as a prefix range)
instead of bigrams, and Traditional characters are folded to Simplified. The token column
widens to 16 characters (byte-ordered "C" collation on PostgreSQL, so that a prefix is one
key range whatever the database's locale) and every existing item is re-indexed.
The list indexes (decision + sort key) also hold the item id, so that PostgreSQL finds a
page's ids by an index-only scan.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def _token_type(length: int) -> sa.types.TypeEngine:
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def _reindex() -> None:
    bind = op.get_bind()
    if bind.exec_driver_sql("SELECT 1 FROM items LIMIT 1").first() is not None:
        from registry.public.indexer import rebuild

        rebuild(bind)


def upgrade() -> None:
    with op.batch_alter_table('item_search_tokens', schema=None) as batch_op:
        batch_op.alter_column('token', existing_type=sa.String(length=8), type_=_token_type(16),
                              existing_nullable=False)
    _list_indexes(["decision", "code", "id"], ["decision", "name", "code", "id"])
    _reindex()


def _list_indexes(by_code: list[str], by_name: list[str]) -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_decision_code')
        batch_op.drop_index('ix_items_decision_name')
        batch_op.create_index('ix_items_decision_code', by_code, unique=False)
        batch_op.create_index('ix_items_decision_name', by_name, unique=False)


def _old_tokens(body: str) -> set[str]:
    """The tokens of revision 0003: every unigram and bigram of each word."""
    out: set[str] = set()
    for word in body.split():
        out.update(word)
        out.update(word[i:i + 2] for i in range(len(word) - 1))
    return out


def downgrade() -> None:
    bind = op.get_bind()
    _list_indexes(["decision", "code"], ["decision", "name"])
    op.execute("DELETE FROM item_search_tokens")
    with op.batch_alter_table('item_search_tokens', schema=None) as batch_op:
        batch_op.alter_column('token', existing_type=_token_type(16), type_=sa.String(length=8),
                              existing_nullable=False)
    tokens = sa.table("item_search_tokens", sa.column("token"), sa.column("item_id"))
    last = 0
    while True:
        docs = bind.execute(sa.text("SELECT item_id, body FROM item_search_docs WHERE item_id > :last "
                                    "ORDER BY item_id LIMIT 1000"), {"last": last}).all()
        if not docs:
            return
        bind.execute(tokens.insert(), [{"token": t, "item_id": i} for i, b in docs for t in _old_tokens(b)])
        last = docs[-1][0]
