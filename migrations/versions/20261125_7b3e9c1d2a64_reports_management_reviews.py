"""six-monthly report notes, management reviews and their actions

Revision ID: 7b3e9c1d2a64
Revises: d36ff612977a
Create Date: 2026-11-25 13:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

import compliance.core.db


# revision identifiers, used by Alembic.
revision = '7b3e9c1d2a64'
down_revision = 'd36ff612977a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('half', sa.Integer(), nullable=False),
    sa.Column('shortcomings', sa.Text(), nullable=False),
    sa.Column('planned_actions', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_report_note_department_id_department')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_report_note_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_note')),
    sa.UniqueConstraint('scope', 'year', 'half', name=op.f('uq_report_note_scope_year_half'))
    )
    with op.batch_alter_table('report_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_note_department_id'), ['department_id'], unique=False)

    op.create_table('management_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('chair', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_management_review_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_management_review'))
    )
    with op.batch_alter_table('management_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_management_review_held_on'), ['held_on'], unique=False)

    op.create_table('management_review_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('outcome_note', sa.Text(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_management_review_action_owner_id_user')),
    sa.ForeignKeyConstraint(['review_id'], ['management_review.id'], name=op.f('fk_management_review_action_review_id_management_review')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_management_review_action'))
    )
    with op.batch_alter_table('management_review_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_management_review_action_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_management_review_action_review_id'), ['review_id'], unique=False)
        batch_op.create_index('ix_management_review_action_status_due_on', ['status', 'due_on'], unique=False)


def downgrade():
    with op.batch_alter_table('management_review_action', schema=None) as batch_op:
        batch_op.drop_index('ix_management_review_action_status_due_on')
        batch_op.drop_index(batch_op.f('ix_management_review_action_review_id'))
        batch_op.drop_index(batch_op.f('ix_management_review_action_owner_id'))

    op.drop_table('management_review_action')
    with op.batch_alter_table('management_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_management_review_held_on'))

    op.drop_table('management_review')
    with op.batch_alter_table('report_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_note_department_id'))

    op.drop_table('report_note')
