"""Add a display prefix to API tokens

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 15:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prefix', sa.String(length=16), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_api_tokens_prefix'), ['prefix'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_prefix'))
        batch_op.drop_column('prefix')
