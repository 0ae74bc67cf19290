"""processes as the hub (purpose, kind and time limit, before/after, documents) and process
measures (measures, their values, CSV imports; corrective actions linked to a value)

Revision ID: 5d65a73acb0a
Revises: 8960c55276f2
Create Date: 2026-12-01 16:12:20.653452

- process: purpose, kind (ordinary / administrative), time_limit_days;
- process_flow (which process comes before which), process_document (documents describing a
  process);
- measure, measure_value, measure_import;
- corrective_action.measure_value_id (unique: one corrective action per missed value).

Columns are added to process and corrective_action with plain ALTER TABLE on SQLite: batch
mode's copy of either would fail under PRAGMA foreign_keys=ON once rows point at them.
"""
from alembic import op
import sqlalchemy as sa

import compliance.core.db


# revision identifiers, used by Alembic.
revision = '5d65a73acb0a'
down_revision = "8960c55276f2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('measure_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('rows_written', sa.Integer(), nullable=True),
    sa.Column('rows_refused', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', compliance.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_measure_import_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_import'))
    )
    with op.batch_alter_table('measure_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_import_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('name_vi', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=32), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('frequency', sa.String(length=16), nullable=False),
    sa.Column('first_period', sa.String(length=8), nullable=False),
    sa.Column('recorder_id', sa.Integer(), nullable=True),
    sa.Column('ratio', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['process.id'], name=op.f('fk_measure_process_id_process')),
    sa.ForeignKeyConstraint(['recorder_id'], ['user.id'], name=op.f('fk_measure_recorder_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure')),
    sa.UniqueConstraint('code', name=op.f('uq_measure_code'))
    )
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_process_id'), ['process_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measure_recorder_id'), ['recorder_id'], unique=False)

    op.create_table('process_document',
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_process_document_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['process_id'], ['process.id'], name=op.f('fk_process_document_process_id_process'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('process_id', 'document_id', name=op.f('pk_process_document'))
    )
    with op.batch_alter_table('process_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_document_document_id'), ['document_id'], unique=False)

    op.create_table('process_flow',
    sa.Column('from_process_id', sa.Integer(), nullable=False),
    sa.Column('to_process_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['from_process_id'], ['process.id'], name=op.f('fk_process_flow_from_process_id_process'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_process_id'], ['process.id'], name=op.f('fk_process_flow_to_process_id_process'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('from_process_id', 'to_process_id', name=op.f('pk_process_flow'))
    )
    with op.batch_alter_table('process_flow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_flow_to_process_id'), ['to_process_id'], unique=False)

    op.create_table('measure_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('received', sa.Integer(), nullable=True),
    sa.Column('on_time', sa.Integer(), nullable=True),
    sa.Column('late', sa.Integer(), nullable=True),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('missed', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('file_kind', sa.String(length=8), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['measure_import.id'], name=op.f('fk_measure_value_import_id_measure_import')),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_measure_value_measure_id_measure')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_measure_value_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_value')),
    sa.UniqueConstraint('measure_id', 'period', name=op.f('uq_measure_value_measure_id_period'))
    )
    with op.batch_alter_table('measure_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_value_import_id'), ['import_id'], unique=False)
        batch_op.create_index('ix_measure_value_measure_start', ['measure_id', 'period_start'], unique=False)
        batch_op.create_index('ix_measure_value_missed_start', ['missed', 'period_start'], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        op.execute('ALTER TABLE corrective_action ADD COLUMN measure_value_id INTEGER '
                   'CONSTRAINT fk_corrective_action_measure_value_id_measure_value '
                   'REFERENCES measure_value (id)')
    else:
        op.add_column('corrective_action', sa.Column('measure_value_id', sa.Integer(),
                                                     nullable=True))
        op.create_foreign_key(op.f('fk_corrective_action_measure_value_id_measure_value'),
                              'corrective_action', 'measure_value', ['measure_value_id'], ['id'])
    op.create_index(op.f('ix_corrective_action_measure_value_id'), 'corrective_action',
                    ['measure_value_id'], unique=True)

    # Existing processes are ordinary ones with no purpose written yet.
    op.add_column('process', sa.Column('purpose', sa.Text(), nullable=False, server_default=''))
    op.add_column('process', sa.Column('kind', sa.String(length=16), nullable=False,
                                       server_default='ordinary'))
    op.add_column('process', sa.Column('time_limit_days', sa.Integer(), nullable=True))


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column in ('time_limit_days', 'kind', 'purpose'):
        # Plain columns: SQLite (3.35 on) drops them in place, without copying the table.
        if sqlite:
            op.execute(f'ALTER TABLE process DROP COLUMN {column}')
        else:
            op.drop_column('process', column)

    op.drop_index(op.f('ix_corrective_action_measure_value_id'), table_name='corrective_action')
    if sqlite:
        # SQLite drops no column that holds a foreign key: batch mode copies the table, which
        # fails once actions or files point at it. Restore a backup instead (docs/admin.md).
        with op.batch_alter_table('corrective_action', schema=None) as batch_op:
            batch_op.drop_column('measure_value_id')
    else:
        op.drop_constraint('fk_corrective_action_measure_value_id_measure_value',
                           'corrective_action', type_='foreignkey')
        op.drop_column('corrective_action', 'measure_value_id')

    with op.batch_alter_table('measure_value', schema=None) as batch_op:
        batch_op.drop_index('ix_measure_value_missed_start')
        batch_op.drop_index('ix_measure_value_measure_start')
        batch_op.drop_index(batch_op.f('ix_measure_value_import_id'))

    op.drop_table('measure_value')
    with op.batch_alter_table('process_flow', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_flow_to_process_id'))

    op.drop_table('process_flow')
    with op.batch_alter_table('process_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_document_document_id'))

    op.drop_table('process_document')
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_recorder_id'))
        batch_op.drop_index(batch_op.f('ix_measure_process_id'))

    op.drop_table('measure')
    with op.batch_alter_table('measure_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_import_uploaded_by_id'))

    op.drop_table('measure_import')
