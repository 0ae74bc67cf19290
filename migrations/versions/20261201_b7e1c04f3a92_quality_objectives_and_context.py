"""quality objectives and context

Revision ID: b7e1c04f3a92
Revises: 6dc002cdb5e1
Create Date: 2026-12-01 16:10:06

New tables only (issue 13, quality policy and objectives, context and interested parties):
- quality_objective: one department's (or the organisation's) objective for a year, how it
  is measured (measure_id has no foreign key yet: the measures sub-domain is built beside
  this one and its constraint comes with the merge), the value checked by hand, the
  year-end evaluation;
- objective_plan_item (the plan of 6.2.2), objective_progress_note (dated entries);
- context_issue (4.1) and interested_party (4.2), each with its review date.
The quality policy is a controlled document of type "policy", which already exists.
"""
from alembic import op
import sqlalchemy as sa

import compliance.core.db


# revision identifiers, used by Alembic.
revision = 'b7e1c04f3a92'
down_revision = '6dc002cdb5e1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('context_issue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('effect', sa.Text(), nullable=False),
    sa.Column('review_on', sa.Date(), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_context_issue'))
    )
    with op.batch_alter_table('context_issue', schema=None) as batch_op:
        batch_op.create_index('ix_context_issue_status_review_on', ['status', 'review_on'], unique=False)

    op.create_table('interested_party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_vi', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('requirements', sa.Text(), nullable=False),
    sa.Column('review_on', sa.Date(), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interested_party'))
    )
    with op.batch_alter_table('interested_party', schema=None) as batch_op:
        batch_op.create_index('ix_interested_party_status_review_on', ['status', 'review_on'], unique=False)

    op.create_table('quality_objective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('statement_vi', sa.Text(), nullable=False),
    sa.Column('statement_en', sa.Text(), nullable=False),
    sa.Column('measurement', sa.String(length=8), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('current_value', sa.Float(), nullable=True),
    sa.Column('current_on', sa.Date(), nullable=True),
    sa.Column('result', sa.String(length=16), nullable=True),
    sa.Column('evaluation_comment', sa.Text(), nullable=False),
    sa.Column('evaluated_by_id', sa.Integer(), nullable=True),
    sa.Column('evaluated_on', sa.Date(), nullable=True),
    sa.Column('copied_from_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['copied_from_id'], ['quality_objective.id'], name=op.f('fk_quality_objective_copied_from_id_quality_objective')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_quality_objective_created_by_id_user')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_quality_objective_department_id_department')),
    sa.ForeignKeyConstraint(['evaluated_by_id'], ['user.id'], name=op.f('fk_quality_objective_evaluated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_objective'))
    )
    with op.batch_alter_table('quality_objective', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quality_objective_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quality_objective_result'), ['result'], unique=False)
        batch_op.create_index('ix_quality_objective_year_department', ['year', 'department_id'], unique=False)

    op.create_table('objective_plan_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('resources', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('evaluation_method', sa.Text(), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['done_by_id'], ['user.id'], name=op.f('fk_objective_plan_item_done_by_id_user')),
    sa.ForeignKeyConstraint(['objective_id'], ['quality_objective.id'], name=op.f('fk_objective_plan_item_objective_id_quality_objective')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_objective_plan_item_owner_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective_plan_item'))
    )
    with op.batch_alter_table('objective_plan_item', schema=None) as batch_op:
        batch_op.create_index('ix_objective_plan_item_done_due_on', ['done', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_objective_plan_item_objective_id'), ['objective_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objective_plan_item_owner_id'), ['owner_id'], unique=False)

    op.create_table('objective_progress_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('noted_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_objective_progress_note_author_id_user')),
    sa.ForeignKeyConstraint(['objective_id'], ['quality_objective.id'], name=op.f('fk_objective_progress_note_objective_id_quality_objective')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective_progress_note'))
    )
    with op.batch_alter_table('objective_progress_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_progress_note_objective_id'), ['objective_id'], unique=False)



def downgrade():
    with op.batch_alter_table('objective_progress_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_progress_note_objective_id'))

    op.drop_table('objective_progress_note')
    with op.batch_alter_table('objective_plan_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_plan_item_owner_id'))
        batch_op.drop_index(batch_op.f('ix_objective_plan_item_objective_id'))
        batch_op.drop_index('ix_objective_plan_item_done_due_on')

    op.drop_table('objective_plan_item')
    with op.batch_alter_table('quality_objective', schema=None) as batch_op:
        batch_op.drop_index('ix_quality_objective_year_department')
        batch_op.drop_index(batch_op.f('ix_quality_objective_result'))
        batch_op.drop_index(batch_op.f('ix_quality_objective_measure_id'))

    op.drop_table('quality_objective')
    with op.batch_alter_table('interested_party', schema=None) as batch_op:
        batch_op.drop_index('ix_interested_party_status_review_on')

    op.drop_table('interested_party')
    with op.batch_alter_table('context_issue', schema=None) as batch_op:
        batch_op.drop_index('ix_context_issue_status_review_on')

    op.drop_table('context_issue')
