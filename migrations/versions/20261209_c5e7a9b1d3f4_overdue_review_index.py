"""the review index carries the organisation (issue 14)

Revision ID: c5e7a9b1d3f4
Revises: b4d6f8a0c2e3
Create Date: 2026-12-09 09:00:00

- ix_document_status_next_review: (status, next_review_date) becomes (status,
  next_review_date, organisation_id), so the oversight overview counts each organisation's
  overdue documents from the index alone; the review alerts still read its first two columns.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c5e7a9b1d3f4'
down_revision = 'b4d6f8a0c2e3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index("ix_document_status_next_review")
        batch_op.create_index("ix_document_status_next_review",
                              ["status", "next_review_date", "organisation_id"], unique=False)


def downgrade():
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index("ix_document_status_next_review")
        batch_op.create_index("ix_document_status_next_review", ["status", "next_review_date"],
                              unique=False)
