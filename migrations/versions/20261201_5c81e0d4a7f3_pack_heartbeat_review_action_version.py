"""evidence pack heartbeat, version of management-review actions

Revision ID: 5c81e0d4a7f3
Revises: 7e1d3c5a9b42
Create Date: 2026-12-01 12:00:00

"""
from alembic import op
import sqlalchemy as sa

import compliance.core.db


# revision identifiers, used by Alembic.
revision = '5c81e0d4a7f3'
down_revision = '7e1d3c5a9b42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evidence_pack', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heartbeat_at', compliance.core.db.UTCDateTime(timezone=True),
                                      nullable=True))
    # Existing actions start at version 1, as new ones do.
    with op.batch_alter_table('management_review_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                      server_default='1'))
    with op.batch_alter_table('management_review_action', schema=None) as batch_op:
        batch_op.alter_column('version', server_default=None)


def downgrade():
    with op.batch_alter_table('management_review_action', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('evidence_pack', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
