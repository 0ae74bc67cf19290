"""PDF renditions of office files: the PDF LibreOffice made of a DOCX, XLSX, ODT or ODS
revision at upload, on which its copies are stamped

Revision ID: 9c2e5a7b1f40
Revises: e4b7c2a19d05
Create Date: 2026-12-04 09:00:00

- rendition: one row per original file (source_sha256, unique) and the stored PDF made of it
  (blob_sha256, found by the storage check and the backup like every stored file). A
  revision finds its rendition by its own file's SHA-256, so the table `revision`, which
  eight tables point at, is not altered (SQLite would have to copy it).

Office revisions uploaded before this migration have no rendition: their copies stay the
original files, with the warning the document page shows, until a new file is uploaded.
"""
from alembic import op
import sqlalchemy as sa

import compliance.core.db


# revision identifiers, used by Alembic.
revision = '9c2e5a7b1f40'
down_revision = 'e4b7c2a19d05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rendition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rendition')),
    sa.UniqueConstraint('source_sha256', name=op.f('uq_rendition_source_sha256'))
    )


def downgrade():
    op.drop_table('rendition')
