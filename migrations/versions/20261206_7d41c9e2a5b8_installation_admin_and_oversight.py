"""installation administrator and oversight grants (issue 14)

Revision ID: 7d41c9e2a5b8
Revises: 852e6c90d02f
Create Date: 2026-12-06 09:00:00

- user.is_installation_admin: a person who creates organisations and their first
  administrators, above every organisation (false for everyone already there);
- oversight_grant: a person may read (never write) an organisation and all those below it.
"""
import sqlalchemy as sa
from alembic import op

import compliance.core.db

# revision identifiers, used by Alembic.
revision = '7d41c9e2a5b8'
down_revision = '852e6c90d02f'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("user", sa.Column("is_installation_admin", sa.Boolean(), nullable=False,
                                    server_default=sa.false()))
    op.create_table(
        "oversight_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("granted_at", compliance.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE",
                                name=op.f("fk_oversight_grant_user_id_user")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_oversight_grant_organisation_id_organisation")),
        sa.ForeignKeyConstraint(["granted_by_id"], ["user.id"],
                                name=op.f("fk_oversight_grant_granted_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oversight_grant")),
        sa.UniqueConstraint("user_id", "organisation_id",
                            name=op.f("uq_oversight_grant_user_id_organisation_id")),
    )
    op.create_index(op.f("ix_oversight_grant_organisation_id"), "oversight_grant",
                    ["organisation_id"])


def downgrade():
    op.drop_index(op.f("ix_oversight_grant_organisation_id"), table_name="oversight_grant")
    op.drop_table("oversight_grant")
    # SQLite drops a plain column in place (3.35+): no table copy, so no foreign-key dance.
    op.execute('ALTER TABLE "user" DROP COLUMN is_installation_admin')
