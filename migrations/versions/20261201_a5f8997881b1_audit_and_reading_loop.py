"""audit and reading loop: versions on questions, grades and findings; a finding's response
due date and answer; cancelled audits; recalls of superseded controlled copies

Revision ID: a5f8997881b1
Revises: 5c81e0d4a7f3
Create Date: 2026-12-01 12:40:59.769473

"""
from alembic import op
import sqlalchemy as sa

import compliance.core.db


# revision identifiers, used by Alembic.
revision = 'a5f8997881b1'
down_revision = '5c81e0d4a7f3'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows start at version 1 and with empty texts (server defaults).
    op.create_table('copy_recall',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('replaced_by_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answer', sa.String(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('answered_at', compliance.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['revision.id'], name=op.f('fk_copy_recall_replaced_by_id_revision')),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], name=op.f('fk_copy_recall_revision_id_revision')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_copy_recall_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_copy_recall')),
    sa.UniqueConstraint('revision_id', 'user_id', name=op.f('uq_copy_recall_revision_id_user_id'))
    )
    with op.batch_alter_table('copy_recall', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_copy_recall_revision_id'), ['revision_id'], unique=False)
        batch_op.create_index('ix_copy_recall_user_open', ['user_id', 'answered_at'], unique=False)

    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', compliance.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancellation_reason', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('audit_question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))

    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('response', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('responded_at', compliance.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('responded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.create_index('ix_finding_open_response_due', ['responded_at', 'response_due_on'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_finding_responded_by_id_user'), 'user', ['responded_by_id'], ['id'])

    with op.batch_alter_table('finding_grade', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))



def downgrade():
    with op.batch_alter_table('finding_grade', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_finding_responded_by_id_user'), type_='foreignkey')
        batch_op.drop_index('ix_finding_open_response_due')
        batch_op.drop_column('version')
        batch_op.drop_column('responded_by_id')
        batch_op.drop_column('responded_at')
        batch_op.drop_column('response')
        batch_op.drop_column('response_due_on')

    with op.batch_alter_table('audit_question', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.drop_column('cancellation_reason')
        batch_op.drop_column('cancelled_at')

    with op.batch_alter_table('copy_recall', schema=None) as batch_op:
        batch_op.drop_index('ix_copy_recall_user_open')
        batch_op.drop_index(batch_op.f('ix_copy_recall_revision_id'))

    op.drop_table('copy_recall')
