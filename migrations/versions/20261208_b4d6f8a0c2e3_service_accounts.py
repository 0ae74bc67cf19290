"""service accounts for integrations (issue 15)

Revision ID: b4d6f8a0c2e3
Revises: a3c5e7f9b1d2
Create Date: 2026-12-08 09:00:00

- user.is_service: an account an integration acts as through API tokens; it never signs
  in to the pages.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b4d6f8a0c2e3'
down_revision = 'a3c5e7f9b1d2'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("user", sa.Column("is_service", sa.Boolean(), nullable=False,
                                    server_default=sa.false()))


def downgrade():
    # SQLite drops a plain column in place (3.35+): no table copy, so no foreign-key dance.
    op.execute('ALTER TABLE "user" DROP COLUMN is_service')
