"""scope register and announcements of conformity (issue 17, items 1 and 2)

Revision ID: fd25de4e5037
Revises: c5e7a9b1d3f4
Create Date: 2026-12-10 09:00:00

- scope_entry: an administrative procedure or internal process in the quality system's scope.
- scope_entry_document: the controlled documents implementing an entry.
- scope_announcement: a decision announcing conformity to TCVN ISO 9001:2015.
"""
import sqlalchemy as sa
from alembic import op

import compliance.core.db

# revision identifiers, used by Alembic.
revision = 'fd25de4e5037'
down_revision = 'c5e7a9b1d3f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scope_announcement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('symbol', sa.String(length=32), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('superior', sa.String(length=200), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('legal_bases', sa.Text(), nullable=False),
    sa.Column('articles', sa.Text(), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('signer_id', sa.Integer(), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('signed_at', compliance.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signature_method', sa.String(length=32), nullable=False),
    sa.Column('annex', sa.Text(), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_scope_announcement_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['signer_id'], ['user.id'], name=op.f('fk_scope_announcement_signer_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scope_announcement'))
    )
    with op.batch_alter_table('scope_announcement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scope_announcement_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scope_announcement_signer_id'), ['signer_id'], unique=False)

    op.create_table('scope_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('national_code', sa.String(length=32), nullable=False),
    sa.Column('field', sa.String(length=200), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('time_limit_days', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('process_id', sa.Integer(), nullable=True),
    sa.Column('in_scope', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_scope_entry_department_id_department')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_scope_entry_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['process_id'], ['process.id'], name=op.f('fk_scope_entry_process_id_process')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scope_entry'))
    )
    with op.batch_alter_table('scope_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scope_entry_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scope_entry_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scope_entry_process_id'), ['process_id'], unique=False)

    op.create_table('scope_entry_document',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_scope_entry_document_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entry_id'], ['scope_entry.id'], name=op.f('fk_scope_entry_document_entry_id_scope_entry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entry_id', 'document_id', name=op.f('pk_scope_entry_document'))
    )
    with op.batch_alter_table('scope_entry_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scope_entry_document_document_id'), ['document_id'], unique=False)



def downgrade():
    with op.batch_alter_table('scope_entry_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scope_entry_document_document_id'))

    op.drop_table('scope_entry_document')
    with op.batch_alter_table('scope_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scope_entry_process_id'))
        batch_op.drop_index(batch_op.f('ix_scope_entry_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_scope_entry_department_id'))

    op.drop_table('scope_entry')
    with op.batch_alter_table('scope_announcement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scope_announcement_signer_id'))
        batch_op.drop_index(batch_op.f('ix_scope_announcement_organisation_id'))

    op.drop_table('scope_announcement')
