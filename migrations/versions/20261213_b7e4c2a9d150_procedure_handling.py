"""on-time handling of administrative procedures (issue 17, item 5)

Revision ID: b7e4c2a9d150
Revises: a19e55c0d7b1
Create Date: 2026-12-13 09:00:00

- scope_entry.measure_id: the ratio measure a procedure's monthly on-time handling feeds.
- scope_handling_month: one procedure's month as the one-stop-shop software exported it
  (received, settled on time, settled late, apology letters).
"""
import sqlalchemy as sa
from alembic import op

import compliance.core.db


# revision identifiers, used by Alembic.
revision = 'b7e4c2a9d150'
down_revision = "a19e55c0d7b1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('scope_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('measure_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_scope_entry_measure_id'), ['measure_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_scope_entry_measure_id_measure'), 'measure', ['measure_id'], ['id'])

    op.create_table('scope_handling_month',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=False),
    sa.Column('late', sa.Integer(), nullable=False),
    sa.Column('apologies', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['scope_entry.id'], name=op.f('fk_scope_handling_month_entry_id_scope_entry')),
    sa.ForeignKeyConstraint(['imported_by_id'], ['user.id'], name=op.f('fk_scope_handling_month_imported_by_id_user')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_scope_handling_month_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scope_handling_month')),
    sa.UniqueConstraint('entry_id', 'month', name=op.f('uq_scope_handling_month_entry_id_month'))
    )
    with op.batch_alter_table('scope_handling_month', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scope_handling_month_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index('ix_scope_handling_month_org_month', ['organisation_id', 'month'], unique=False)
        batch_op.create_index(batch_op.f('ix_scope_handling_month_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('scope_handling_month', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scope_handling_month_organisation_id'))
        batch_op.drop_index('ix_scope_handling_month_org_month')
        batch_op.drop_index(batch_op.f('ix_scope_handling_month_entry_id'))

    op.drop_table('scope_handling_month')
    with op.batch_alter_table('scope_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_scope_entry_measure_id_measure'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_scope_entry_measure_id'))
        batch_op.drop_column('measure_id')
