"""Add import uploads and alignment matches

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 14:05:33.958336
"""
from alembic import op
import sqlalchemy as sa



revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size >= 0', name=op.f('ck_import_uploads_size_non_negative')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_import_uploads_uploaded_by_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_uploads'))
    )
    with op.batch_alter_table('import_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_uploads_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_uploads_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_uploads_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('alignment_matches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('higher_level_item_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.Enum('code', 'name', name='match_method', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_alignment_matches_confirmed_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['higher_level_item_id'], ['higher_level_items.id'], name=op.f('fk_alignment_matches_higher_level_item_id_higher_level_items'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_alignment_matches_item_id_items'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_alignment_matches_review_id_reviews'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alignment_matches')),
    sa.UniqueConstraint('item_id', 'higher_level_item_id', name=op.f('uq_alignment_matches_item_id_higher_level_item_id'))
    )
    with op.batch_alter_table('alignment_matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alignment_matches_confirmed_by_id'), ['confirmed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alignment_matches_higher_level_item_id'), ['higher_level_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alignment_matches_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alignment_matches_review_id'), ['review_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('alignment_matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alignment_matches_review_id'))
        batch_op.drop_index(batch_op.f('ix_alignment_matches_item_id'))
        batch_op.drop_index(batch_op.f('ix_alignment_matches_higher_level_item_id'))
        batch_op.drop_index(batch_op.f('ix_alignment_matches_confirmed_by_id'))

    op.drop_table('alignment_matches')
    with op.batch_alter_table('import_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_uploads_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_import_uploads_sha256'))
        batch_op.drop_index(batch_op.f('ix_import_uploads_created_at'))

    op.drop_table('import_uploads')
