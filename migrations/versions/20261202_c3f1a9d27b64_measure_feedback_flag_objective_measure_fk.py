"""measures flagged as customer satisfaction or feedback (9.1.2, management-review input
c 1); quality_objective.measure_id becomes a foreign key to measure; an evidence pack may
include the quality system of its scope

Revision ID: c3f1a9d27b64
Revises: 5d65a73acb0a
Create Date: 2026-12-02 09:00:00

- measure.customer_feedback (boolean, false for every existing measure), added with a plain
  ALTER TABLE: batch mode's copy of measure would fail once values point at it;
- evidence_pack.include_quality (boolean, false for every pack built so far), plain ALTER
  TABLE too (share links point at packs);
- quality_objective.measure_id: an objective measured by a measure that no longer exists
  (the column had no foreign key, so nothing stopped it) is set back to a target checked by
  hand first, then the foreign key is added.

SQLite cannot add a constraint to a table: batch mode copies quality_objective and drops the
old copy. With foreign keys on (every connection, core.db) that DROP TABLE deletes every row
first, and the plan items, progress notes and copied objectives pointing at them would fail
it; PRAGMA foreign_keys cannot change inside the migration's transaction, and
defer_foreign_keys only moves the failure to the commit (SQLite counts the orphans made by the
drop and the renamed copy does not uncount them). So on SQLite the rows pointing at an
objective are set aside in temporary tables, the table is copied with nothing pointing at it,
and they are put back, ids unchanged, in the same transaction.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3f1a9d27b64'
down_revision = '5d65a73acb0a'
branch_labels = None
depends_on = None

FK = 'fk_quality_objective_measure_id_measure'


CHILDREN = ('objective_plan_item', 'objective_progress_note')


def _rebuild_objectives(change) -> None:
    """Run `change` in batch mode on quality_objective, with nothing pointing at its rows
    while SQLite copies it (see above)."""
    if op.get_bind().dialect.name != 'sqlite':
        with op.batch_alter_table('quality_objective', schema=None) as batch_op:
            change(batch_op)
        return
    for table in CHILDREN:
        op.execute(f'CREATE TEMP TABLE set_aside_{table} AS SELECT * FROM {table}')
        op.execute(f'DELETE FROM {table}')
    op.execute('CREATE TEMP TABLE set_aside_copied AS SELECT id, copied_from_id '
               'FROM quality_objective WHERE copied_from_id IS NOT NULL')
    op.execute('UPDATE quality_objective SET copied_from_id = NULL')
    with op.batch_alter_table('quality_objective', schema=None) as batch_op:
        change(batch_op)
    op.execute('UPDATE quality_objective SET copied_from_id = (SELECT copied_from_id FROM '
               'set_aside_copied WHERE set_aside_copied.id = quality_objective.id) '
               'WHERE id IN (SELECT id FROM set_aside_copied)')
    op.execute('DROP TABLE set_aside_copied')
    for table in CHILDREN:
        op.execute(f'INSERT INTO {table} SELECT * FROM set_aside_{table}')
        op.execute(f'DROP TABLE set_aside_{table}')


def upgrade():
    op.add_column('measure', sa.Column('customer_feedback', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    op.add_column('evidence_pack', sa.Column('include_quality', sa.Boolean(), nullable=False,
                                             server_default=sa.false()))
    op.execute('UPDATE quality_objective SET measure_id = NULL, measurement = \'manual\' '
               'WHERE measure_id IS NOT NULL '
               'AND measure_id NOT IN (SELECT id FROM measure)')
    _rebuild_objectives(lambda batch_op: batch_op.create_foreign_key(
        FK, 'measure', ['measure_id'], ['id']))


def downgrade():
    _rebuild_objectives(lambda batch_op: batch_op.drop_constraint(FK, type_='foreignkey'))
    # A plain DROP COLUMN (SQLite 3.35+): batch mode's copy of measure would fail once values
    # and objectives point at it.
    op.drop_column('measure', 'customer_feedback')
    op.drop_column('evidence_pack', 'include_quality')
