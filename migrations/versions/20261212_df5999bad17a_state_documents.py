"""documents a Vietnamese agency issues (issue 17): external documents, annual reports

Revision ID: df5999bad17a
Revises: c9c8280de82c
Create Date: 2026-12-12 09:00:00

- document: the register of external documents' columns (legal_kind, legal_number,
  legal_issued_on, legal_status, replaced_by_id, external_checked_on); the issuing body is
  external_source, the next check external_check_date, as before.
- annual_report_template: an organisation's sections of the annual report (JSON).
- annual_report: one year's report, its paragraphs, its figures frozen and PDF once signed.
"""
import sqlalchemy as sa
from alembic import op

import compliance.core.db


# revision identifiers, used by Alembic.
revision = 'df5999bad17a'
down_revision = 'c9c8280de82c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('annual_report_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sections', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_annual_report_template_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_report_template')),
    sa.UniqueConstraint('organisation_id', name=op.f('uq_annual_report_template_organisation_id'))
    )
    with op.batch_alter_table('annual_report_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annual_report_template_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('annual_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('symbol', sa.String(length=32), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('superior', sa.String(length=200), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('sections', sa.Text(), nullable=False),
    sa.Column('paragraphs', sa.Text(), nullable=False),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('signer_id', sa.Integer(), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('signed_at', compliance.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signature_method', sa.String(length=32), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_annual_report_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['signer_id'], ['user.id'], name=op.f('fk_annual_report_signer_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_report')),
    sa.UniqueConstraint('organisation_id', 'year', name=op.f('uq_annual_report_organisation_id_year'))
    )
    with op.batch_alter_table('annual_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annual_report_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_annual_report_signer_id'), ['signer_id'], unique=False)

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_kind', sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column('legal_number', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('legal_issued_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('legal_status', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('replaced_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('external_checked_on', sa.Date(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_document_replaced_by_id_document'), 'document', ['replaced_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_document_replaced_by_id_document'), type_='foreignkey')
        batch_op.drop_column('external_checked_on')
        batch_op.drop_column('replaced_by_id')
        batch_op.drop_column('legal_status')
        batch_op.drop_column('legal_issued_on')
        batch_op.drop_column('legal_number')
        batch_op.drop_column('legal_kind')

    with op.batch_alter_table('annual_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annual_report_signer_id'))
        batch_op.drop_index(batch_op.f('ix_annual_report_organisation_id'))

    op.drop_table('annual_report')
    with op.batch_alter_table('annual_report_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annual_report_template_organisation_id'))

    op.drop_table('annual_report_template')
