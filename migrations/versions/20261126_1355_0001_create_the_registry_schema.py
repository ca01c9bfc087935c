"""Create the registry schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 13:55:42.707140
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_username', sa.String(length=64), nullable=False),
    sa.Column('actor_roles', sa.String(length=200), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=False),
    sa.Column('entity_type', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_events_hash')),
    sa.UniqueConstraint('prev_hash', name=op.f('uq_audit_events_prev_hash')),
    sa.UniqueConstraint('seq', name=op.f('uq_audit_events_seq'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_entity_type'), ['entity_type'], unique=False)

    op.create_table('departments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.Enum('department', 'township', 'street', name='department_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['departments.id'], name=op.f('fk_departments_parent_id_departments'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments')),
    sa.UniqueConstraint('code', name=op.f('uq_departments_code')),
    sa.UniqueConstraint('name', name=op.f('uq_departments_name'))
    )
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_departments_parent_id'), ['parent_id'], unique=False)

    op.create_table('higher_level_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_list', sa.String(length=200), nullable=False),
    sa.Column('list_version', sa.String(length=40), nullable=False),
    sa.Column('level', sa.Enum('state_council', 'ministry', 'province', 'city', name='list_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('decision', sa.Enum('keep', 'abolish', 'pending', name='higher_decision', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_higher_level_items')),
    sa.UniqueConstraint('source_list', 'list_version', 'code', name=op.f('uq_higher_level_items_source_list_list_version_code'))
    )
    with op.batch_alter_table('higher_level_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_higher_level_items_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_higher_level_items_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_higher_level_items_source_list'), ['source_list'], unique=False)

    op.create_table('review_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('open', 'closed', 'published', name='round_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('year BETWEEN 1949 AND 2200', name=op.f('ck_review_rounds_year_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_rounds')),
    sa.UniqueConstraint('name', name=op.f('uq_review_rounds_name'))
    )
    with op.batch_alter_table('review_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_rounds_published_at'), ['published_at'], unique=False)

    op.create_table('items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('competent_department_id', sa.Integer(), nullable=False),
    sa.Column('implementing_department_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('safety_health', 'public_resources', 'qualification', 'inspection', 'establishment', 'statutory_other', name='item_category', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('approval_level', sa.Enum('state', 'province', 'city', 'district', 'township', name='approval_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('applicant_type', sa.Enum('citizen', 'organisation', 'both', name='applicant_type', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('materials', sa.Text(), nullable=False),
    sa.Column('procedure', sa.Text(), nullable=False),
    sa.Column('statutory_days', sa.Integer(), nullable=False),
    sa.Column('committed_days', sa.Integer(), nullable=True),
    sa.Column('fee_charged', sa.Boolean(), nullable=False),
    sa.Column('fee_rate', sa.String(length=200), nullable=False),
    sa.Column('fee_basis', sa.String(length=300), nullable=False),
    sa.Column('licence_document', sa.String(length=200), nullable=False),
    sa.Column('validity', sa.String(length=100), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('decision', sa.Enum('keep', 'abolish', 'pending', name='item_decision', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('decision_published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('committed_days IS NULL OR (committed_days > 0 AND committed_days <= statutory_days)', name=op.f('ck_items_committed_within_statutory')),
    sa.CheckConstraint('parent_id IS NULL OR parent_id <> id', name=op.f('ck_items_not_own_parent')),
    sa.CheckConstraint('statutory_days > 0', name=op.f('ck_items_statutory_days_positive')),
    sa.CheckConstraint('version > 0', name=op.f('ck_items_version_positive')),
    sa.ForeignKeyConstraint(['competent_department_id'], ['departments.id'], name=op.f('fk_items_competent_department_id_departments'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['implementing_department_id'], ['departments.id'], name=op.f('fk_items_implementing_department_id_departments'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['parent_id'], ['items.id'], name=op.f('fk_items_parent_id_items'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_items')),
    sa.UniqueConstraint('code', name=op.f('uq_items_code'))
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_items_approval_level'), ['approval_level'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_competent_department_id'), ['competent_department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_decision'), ['decision'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_decision_published_at'), ['decision_published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_fee_charged'), ['fee_charged'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_implementing_department_id'), ['implementing_department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_parent_id'), ['parent_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_users_department_id_departments'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_department_id'), ['department_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('legal_bases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('setting', 'implementing', name='basis_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('instrument_type', sa.Enum('law', 'administrative_regulation', 'state_council_decision', 'local_regulation', 'provincial_rule', 'ministry_rule', 'city_rule', 'normative_document', 'none', name='instrument_type', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('issuer_level', sa.Enum('national', 'provincial', 'city', 'district', name='issuer_level', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('document_number', sa.String(length=100), nullable=False),
    sa.Column('article', sa.String(length=200), nullable=False),
    sa.Column('effective_date', sa.Date(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("(instrument_type = 'none') OR (issuer_level IS NOT NULL)", name=op.f('ck_legal_bases_issuer_level_given')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_legal_bases_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_bases'))
    )
    with op.batch_alter_table('legal_bases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_bases_instrument_type'), ['instrument_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_legal_bases_item_id'), ['item_id'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'submitted', 'under_review', 'proposed', 'decided', 'published', name='review_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('proposed_decision', sa.Enum('keep', 'abolish', 'pending', name='proposed_decision', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('final_decision', sa.Enum('keep', 'abolish', 'pending', name='final_decision', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('pending_on', sa.String(length=300), nullable=True),
    sa.Column('claimed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposer_id', sa.Integer(), nullable=True),
    sa.Column('approver_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("proposed_decision IS NULL OR proposed_decision <> 'pending' OR pending_on IS NOT NULL", name=op.f('ck_reviews_pending_names_what_it_waits_on')),
    sa.CheckConstraint("state NOT IN ('decided', 'published') OR final_decision IS NOT NULL", name=op.f('ck_reviews_decided_has_decision')),
    sa.CheckConstraint('approver_id IS NULL OR proposer_id IS NULL OR approver_id <> proposer_id', name=op.f('ck_reviews_four_eyes')),
    sa.CheckConstraint('version > 0', name=op.f('ck_reviews_version_positive')),
    sa.ForeignKeyConstraint(['approver_id'], ['users.id'], name=op.f('fk_reviews_approver_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['claimed_by_id'], ['users.id'], name=op.f('fk_reviews_claimed_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_reviews_item_id_items'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['proposer_id'], ['users.id'], name=op.f('fk_reviews_proposer_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['round_id'], ['review_rounds.id'], name=op.f('fk_reviews_round_id_review_rounds'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('item_id', 'round_id', name=op.f('uq_reviews_item_id_round_id'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_approver_id'), ['approver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_claimed_by_id'), ['claimed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_proposer_id'), ['proposer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_state'), ['state'], unique=False)

    op.create_table('user_roles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('department_staff', 'legal_officer', 'approver', 'admin', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_roles'))
    )
    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('note', 'question', 'return_reason', 'send_back_reason', 'answer', name='comment_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_comments_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_review_id'), ['review_id'], unique=False)

    op.create_table('justifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_justifications_author_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_justifications_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_justifications'))
    )
    with op.batch_alter_table('justifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_justifications_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_justifications_review_id'), ['review_id'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('justification_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size >= 0', name=op.f('ck_attachments_size_non_negative')),
    sa.ForeignKeyConstraint(['justification_id'], ['justifications.id'], name=op.f('fk_attachments_justification_id_justifications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_justification_id'), ['justification_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_uploaded_by_id'), ['uploaded_by_id'], unique=False)



    _create_audit_guards()


def downgrade() -> None:
    _drop_audit_guards()
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachments_justification_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('justifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_justifications_review_id'))
        batch_op.drop_index(batch_op.f('ix_justifications_author_id'))

    op.drop_table('justifications')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_review_id'))
        batch_op.drop_index(batch_op.f('ix_comments_author_id'))

    op.drop_table('comments')
    op.drop_table('user_roles')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_state'))
        batch_op.drop_index(batch_op.f('ix_reviews_round_id'))
        batch_op.drop_index(batch_op.f('ix_reviews_proposer_id'))
        batch_op.drop_index(batch_op.f('ix_reviews_item_id'))
        batch_op.drop_index(batch_op.f('ix_reviews_claimed_by_id'))
        batch_op.drop_index(batch_op.f('ix_reviews_approver_id'))

    op.drop_table('reviews')
    with op.batch_alter_table('legal_bases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_bases_item_id'))
        batch_op.drop_index(batch_op.f('ix_legal_bases_instrument_type'))

    op.drop_table('legal_bases')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_department_id'))

    op.drop_table('users')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_parent_id'))
        batch_op.drop_index(batch_op.f('ix_items_name'))
        batch_op.drop_index(batch_op.f('ix_items_implementing_department_id'))
        batch_op.drop_index(batch_op.f('ix_items_fee_charged'))
        batch_op.drop_index(batch_op.f('ix_items_decision_published_at'))
        batch_op.drop_index(batch_op.f('ix_items_decision'))
        batch_op.drop_index(batch_op.f('ix_items_competent_department_id'))
        batch_op.drop_index(batch_op.f('ix_items_category'))
        batch_op.drop_index(batch_op.f('ix_items_approval_level'))

    op.drop_table('items')
    with op.batch_alter_table('review_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_rounds_published_at'))

    op.drop_table('review_rounds')
    with op.batch_alter_table('higher_level_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_higher_level_items_source_list'))
        batch_op.drop_index(batch_op.f('ix_higher_level_items_name'))
        batch_op.drop_index(batch_op.f('ix_higher_level_items_code'))

    op.drop_table('higher_level_items')
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_departments_parent_id'))

    op.drop_table('departments')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_entity_type'))
        batch_op.drop_index(batch_op.f('ix_audit_events_entity_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))

    op.drop_table('audit_events')


# --- the audit trail is append-only: the database itself refuses UPDATE and DELETE ---

def _create_audit_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
            END $$
            """
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                f"BEGIN SELECT RAISE(ABORT, 'audit_events is append-only ({verb} refused)'); END"
            )


def _drop_audit_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update_delete ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
