"""PDF active content recorded on revisions; stamped copies kept for reuse

Revision ID: a5ce3d7a36d7
Revises: a5f8997881b1
Create Date: 2026-12-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import compliance.core.db


# revision identifiers, used by Alembic.
revision = 'a5ce3d7a36d7'
down_revision = 'a5f8997881b1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active_content', sa.String(length=200), server_default='',
                                      nullable=False))

    op.create_table('revision_copy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('stamp_sha256', sa.String(length=64), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], name=op.f('fk_revision_copy_revision_id_revision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revision_copy')),
    sa.UniqueConstraint('revision_id', 'stamp_sha256', name=op.f('uq_revision_copy_revision_id_stamp_sha256'))
    )


def downgrade():
    op.drop_table('revision_copy')
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_column('active_content')
