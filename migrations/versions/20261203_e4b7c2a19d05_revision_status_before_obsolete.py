"""the state a revision was in when its document was made obsolete, so that reinstating the
document puts each revision back where it was

Revision ID: e4b7c2a19d05
Revises: c3f1a9d27b64
Create Date: 2026-12-03 09:00:00

- revision.status_before_obsolete (nullable string): empty for every revision that is not
  obsolete; revisions made obsolete before this migration have none either, and a
  reinstatement then brings back only the last revision that was approved and never
  superseded (see documents.services.obsolescence).

A nullable column without constraints: batch mode adds it with ALTER TABLE on SQLite, no
copy of the table.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4b7c2a19d05'
down_revision = 'c3f1a9d27b64'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_before_obsolete', sa.String(length=16),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_column('status_before_obsolete')
