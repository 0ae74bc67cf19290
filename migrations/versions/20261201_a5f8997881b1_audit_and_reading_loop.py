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

    # Columns only, no table copy: on SQLite a batch copy of `finding` fails under foreign
    # keys once corrective actions point at findings.
    op.add_column('finding', sa.Column('response_due_on', sa.Date(), nullable=True))
    op.add_column('finding', sa.Column('response', sa.Text(), nullable=False, server_default=''))
    op.add_column('finding', sa.Column('responded_at', compliance.core.db.UTCDateTime(timezone=True), nullable=True))
    op.add_column('finding', sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    if op.get_bind().dialect.name == "sqlite":
        op.execute('ALTER TABLE finding ADD COLUMN responded_by_id INTEGER '
                   'CONSTRAINT fk_finding_responded_by_id_user REFERENCES "user" (id)')
    else:
        op.add_column('finding', sa.Column('responded_by_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_finding_responded_by_id_user'), 'finding', 'user',
                              ['responded_by_id'], ['id'])
    op.create_index('ix_finding_open_response_due', 'finding', ['responded_at', 'response_due_on'], unique=False)

    with op.batch_alter_table('finding_grade', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))



def downgrade():
    with op.batch_alter_table('finding_grade', schema=None) as batch_op:
        batch_op.drop_column('version')

    op.drop_index('ix_finding_open_response_due', table_name='finding')
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint('fk_finding_responded_by_id_user', 'finding', type_='foreignkey')
    # On SQLite the batch copy drops the column with its inline foreign key (and fails once
    # corrective actions point at findings: restore a backup instead, docs/admin.md).
    with op.batch_alter_table('finding', schema=None) as batch_op:
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
