"""corrective action targets, who closed it, changing actions

Revision ID: 6dc002cdb5e1
Revises: 7e1d3c5a9b42
Create Date: 2026-12-01 12:40:00

- finding_grade.corrective_action_days: days from raising to a corrective action's target date
  (major 30, minor 60, observation 90, none for the rest);
- corrective_action.target_on (filled in from the grade for the rows there are) and
  closed_by_id (filled in from the audit trail's closing event);
- ca_action: version (optimistic lock), cancelled_on, cancel_reason, and a status wide
  enough for "cancelled".
"""
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '6dc002cdb5e1'
down_revision = '7e1d3c5a9b42'
branch_labels = None
depends_on = None

DEFAULT_DAYS = {"major": 30, "minor": 60, "observation": 90}


def upgrade():
    with op.batch_alter_table('finding_grade', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrective_action_days', sa.Integer(), nullable=True))

    with op.batch_alter_table('corrective_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_corrective_action_closed_by_id_user'),
                                    'user', ['closed_by_id'], ['id'])
        batch_op.create_index('ix_corrective_action_status_target_on', ['status', 'target_on'],
                              unique=False)

    with op.batch_alter_table('ca_action', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sa.String(length=8),
                              type_=sa.String(length=12), existing_nullable=False)
        batch_op.add_column(sa.Column('cancelled_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                      nullable=False))

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
    with op.batch_alter_table('ca_action', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_on')
        batch_op.alter_column('status', existing_type=sa.String(length=12),
                              type_=sa.String(length=8), existing_nullable=False)

    with op.batch_alter_table('corrective_action', schema=None) as batch_op:
        batch_op.drop_index('ix_corrective_action_status_target_on')
        batch_op.drop_constraint(batch_op.f('fk_corrective_action_closed_by_id_user'),
                                 type_='foreignkey')
        batch_op.drop_column('closed_by_id')
        batch_op.drop_column('target_on')

    with op.batch_alter_table('finding_grade', schema=None) as batch_op:
        batch_op.drop_column('corrective_action_days')
