"""Order search postings by relevance: each token row copies the code, decision and name rank

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 17:00:00

Each row of the search index now also holds the token's rank in the item's normalised name
(0 the whole name, 1 its start, 2 inside it, 3 elsewhere), the item's code and its published
decision, and the key is (token, name rank, code, item id): the postings of a token come in
the order a relevance-sorted public list shows them, so a one-word search reads its page and
counts its matches from the index alone (PostgreSQL: the decision is an included column;
SQLite: a WITHOUT ROWID table, the key is the table). The table is recreated and every item
re-indexed.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def _token_type() -> sa.types.TypeEngine:
    return sa.String(16).with_variant(sa.String(16, collation="C"), "postgresql")


def _reindex() -> None:
    bind = op.get_bind()
    if bind.exec_driver_sql("SELECT 1 FROM items LIMIT 1").first() is not None:
        from registry.public.indexer import rebuild

        rebuild(bind)


def upgrade() -> None:
    # PostgreSQL: the key is built once the rows are in: a compact index, and a quicker load.
    # SQLite: a WITHOUT ROWID table needs its key from the start (the key is the table).
    later = op.get_bind().dialect.name == "postgresql"
    key = ['token', 'name_rank', 'code', 'item_id']
    op.drop_table('item_search_tokens')  # and its indexes
    op.create_table('item_search_tokens',
    sa.Column('token', _token_type(), nullable=False),
    sa.Column('name_rank', sa.SmallInteger(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('decision', sa.Enum('keep', 'abolish', 'pending', name='item_decision', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_search_tokens_item_id_items'), ondelete='CASCADE'),
    *([] if later else [sa.PrimaryKeyConstraint(*key, name=op.f('pk_item_search_tokens'))]),
    sqlite_with_rowid=False,
    )
    _reindex()
    if later:
        op.execute(f"ALTER TABLE item_search_tokens ADD CONSTRAINT pk_item_search_tokens "
                   f"PRIMARY KEY ({', '.join(key)}) INCLUDE (decision)")
    with op.batch_alter_table('item_search_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_search_tokens_item_id'), ['item_id'], unique=False)


def downgrade() -> None:
    op.drop_table('item_search_tokens')  # and its indexes
    op.create_table('item_search_tokens',
    sa.Column('token', _token_type(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_search_tokens_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token', 'item_id', name=op.f('pk_item_search_tokens'))
    )
    with op.batch_alter_table('item_search_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_search_tokens_item_id'), ['item_id'], unique=False)
    _reindex()
