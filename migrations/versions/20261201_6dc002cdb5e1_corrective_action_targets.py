"""corrective action targets, who closed it, changing actions

Revision ID: 6dc002cdb5e1
Revises: a5ce3d7a36d7
Create Date: 2026-12-01 12:40:00

- finding_grade.corrective_action_days: days from raising to a corrective action's target date
  (major 30, minor 60, observation 90, none for the rest);
- corrective_action.target_on (filled in from the grade for the rows there are) and
  closed_by_id (filled in from the audit trail's closing event);
- ca_action: version (optimistic lock), cancelled_on, cancel_reason, and a status wide
  enough for "cancelled" (PostgreSQL; SQLite keeps no length).

Upgrading only adds columns and an index (plain ALTER TABLE on SQLite): batch mode's copy of
corrective_action or ca_action would fail under PRAGMA foreign_keys=ON once rows point at
them.
"""
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '6dc002cdb5e1'
down_revision = 'a5ce3d7a36d7'
branch_labels = None
depends_on = None

DEFAULT_DAYS = {"major": 30, "minor": 60, "observation": 90}


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column('finding_grade', sa.Column('corrective_action_days', sa.Integer(),
                                             nullable=True))
    op.add_column('corrective_action', sa.Column('target_on', sa.Date(), nullable=True))
    if sqlite:
        op.execute('ALTER TABLE corrective_action ADD COLUMN closed_by_id INTEGER '
                   'CONSTRAINT fk_corrective_action_closed_by_id_user REFERENCES "user" (id)')
    else:
        op.add_column('corrective_action', sa.Column('closed_by_id', sa.Integer(),
                                                     nullable=True))
        op.create_foreign_key(op.f('fk_corrective_action_closed_by_id_user'),
                              'corrective_action', 'user', ['closed_by_id'], ['id'])
    op.create_index('ix_corrective_action_status_target_on', 'corrective_action',
                    ['status', 'target_on'], unique=False)

    op.add_column('ca_action', sa.Column('cancelled_on', sa.Date(), nullable=True))
    op.add_column('ca_action', sa.Column('cancel_reason', sa.Text(), server_default='',
                                         nullable=False))
    op.add_column('ca_action', sa.Column('version', sa.Integer(), server_default='1',
                                         nullable=False))
    # A status wide enough for "cancelled". SQLite keeps no length (the model says 8 there);
    # widening it would copy ca_action, which ca_file points at.
    if not sqlite:
        op.alter_column('ca_action', 'status', existing_type=sa.String(length=8),
                        type_=sa.String(length=12), existing_nullable=False)

    _fill_in()


def _fill_in():
    bind = op.get_bind()
    grade = sa.table('finding_grade', sa.column('code', sa.String),
                     sa.column('corrective_action_days', sa.Integer))
    for code, days in DEFAULT_DAYS.items():
        bind.execute(grade.update().where(grade.c.code == code)
                     .values(corrective_action_days=days))
    # Existing corrective actions get the target their grade now gives, from when raised.
    rows = bind.execute(sa.text(
        "SELECT ca.id, ca.raised_on, g.corrective_action_days FROM corrective_action ca "
        "JOIN finding_grade g ON g.code = ca.grade "
        "WHERE g.corrective_action_days IS NOT NULL")).all()
    for ca_id, raised_on, days in rows:
        if isinstance(raised_on, str):  # SQLite hands dates back as text
            raised_on = date.fromisoformat(raised_on)
        bind.execute(sa.text("UPDATE corrective_action SET target_on = :target WHERE id = :id"),
                     {"target": raised_on + timedelta(days=days), "id": ca_id})
    # Who closed each closed one: the actor of its latest closing event in the trail.
    bind.execute(sa.text(
        "UPDATE corrective_action SET closed_by_id = ("
        "SELECT e.actor_id FROM audit_event e WHERE e.entity_type = 'corrective_action' "
        "AND e.entity_id = CAST(corrective_action.id AS VARCHAR(64)) "
        "AND e.action IN ('corrective.close', 'corrective.close_decision') "
        "ORDER BY e.seq DESC LIMIT 1) WHERE status = 'closed'"))


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column in ('version', 'cancel_reason', 'cancelled_on'):
        op.drop_column('ca_action', column)
    if not sqlite:
        op.alter_column('ca_action', 'status', existing_type=sa.String(length=12),
                        type_=sa.String(length=8), existing_nullable=False)
    op.drop_index('ix_corrective_action_status_target_on', table_name='corrective_action')
    op.drop_column('corrective_action', 'target_on')
    if sqlite:
        # SQLite drops no column that holds a foreign key: batch mode copies the table, which
        # fails once actions or files point at it. Restore a backup instead (docs/admin.md).
        with op.batch_alter_table('corrective_action', schema=None) as batch_op:
            batch_op.drop_column('closed_by_id')
    else:
        op.drop_constraint('fk_corrective_action_closed_by_id_user', 'corrective_action',
                           type_='foreignkey')
        op.drop_column('corrective_action', 'closed_by_id')
    op.drop_column('finding_grade', 'corrective_action_days')
