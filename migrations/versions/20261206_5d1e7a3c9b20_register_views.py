"""register views: each person's last filters and sort on each register (issue 16)

Revision ID: 5d1e7a3c9b20
Revises: 039b2e49ffc8
Create Date: 2026-12-06 09:00:00

- register_view: (user_id, register) → the filters as JSON text; deleted with the user.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5d1e7a3c9b20'
down_revision = '039b2e49ffc8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'register_view',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('register', sa.String(length=40), nullable=False),
        sa.Column('params', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'],
                                name=op.f('fk_register_view_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'register', name=op.f('pk_register_view')),
    )


def downgrade():
    op.drop_table('register_view')
