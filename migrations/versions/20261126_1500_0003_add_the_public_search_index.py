"""Add the public search index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 15:00:00

Also indexes for the public lists (decision + sort key) and the round headline.
An inverted index of unigrams and bigrams (see registry/public/search.py): the same
tables and the same tokens on SQLite and PostgreSQL. Existing items are indexed here.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('item_search_docs',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('name_norm', sa.String(length=400), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_search_docs_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_item_search_docs'))
    )
    op.create_table('item_search_tokens',
    sa.Column('token', sa.String(length=8), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_search_tokens_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token', 'item_id', name=op.f('pk_item_search_tokens'))
    )
    with op.batch_alter_table('item_search_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_search_tokens_item_id'), ['item_id'], unique=False)

    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index('ix_items_decision_code', ['decision', 'code'], unique=False)
        batch_op.create_index('ix_items_decision_name', ['decision', 'name'], unique=False)
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index('ix_reviews_round_state_decision', ['round_id', 'state', 'final_decision'],
                              unique=False)

    bind = op.get_bind()
    if bind.exec_driver_sql("SELECT 1 FROM items LIMIT 1").first() is not None:
        # an existing register: index it (a fresh database has nothing to index)
        from registry.public.indexer import rebuild

        rebuild(bind)


def downgrade() -> None:
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_round_state_decision')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_decision_name')
        batch_op.drop_index('ix_items_decision_code')
    with op.batch_alter_table('item_search_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_search_tokens_item_id'))
    op.drop_table('item_search_tokens')
    op.drop_table('item_search_docs')
