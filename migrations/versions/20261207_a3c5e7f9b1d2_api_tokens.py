"""personal access tokens for the JSON API (issue 15)

Revision ID: a3c5e7f9b1d2
Revises: 7d41c9e2a5b8
Create Date: 2026-12-07 09:00:00

- api_token: a person's token for /api/v1, kept as the SHA-256 of its secret.
"""
import sqlalchemy as sa
from alembic import op

import compliance.core.db

# revision identifiers, used by Alembic.
revision = 'a3c5e7f9b1d2'
down_revision = '7d41c9e2a5b8'
branch_labels = None
depends_on = None

MOMENT = compliance.core.db.UTCDateTime(timezone=True)


def upgrade():
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("expires_at", MOMENT, nullable=False),
        sa.Column("last_used_at", MOMENT, nullable=True),
        sa.Column("revoked_at", MOMENT, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE",
                                name=op.f("fk_api_token_user_id_user")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_api_token_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_user_id"), "api_token", ["user_id"])
    op.create_index(op.f("ix_api_token_organisation_id"), "api_token", ["organisation_id"])


def downgrade():
    op.drop_index(op.f("ix_api_token_organisation_id"), table_name="api_token")
    op.drop_index(op.f("ix_api_token_user_id"), table_name="api_token")
    op.drop_table("api_token")
