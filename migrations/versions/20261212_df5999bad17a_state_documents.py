"""documents a Vietnamese agency issues (issue 17): external documents, annual reports,
the steering committee and the yearly plan

Revision ID: df5999bad17a
Revises: c9c8280de82c
Create Date: 2026-12-12 09:00:00

- document: the register of external documents' columns (legal_kind, legal_number,
  legal_issued_on, legal_status, replaced_by_id, external_checked_on); the issuing body is
  external_source, the next check external_check_date, as before.
- annual_report_template: an organisation's sections of the annual report (JSON).
- annual_report: one year's report, its paragraphs, its figures frozen and PDF once signed.
- steering_member: a member of the ISO steering committee and the appointing decision.
- steering_plan_task: a task of the yearly plan for maintaining the quality system.
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

    op.create_table('steering_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('committee_role', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=200), nullable=False),
    sa.Column('appointed_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_steering_member_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_steering_member_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_steering_member'))
    )
    with op.batch_alter_table('steering_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_steering_member_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_steering_member_user_id'), ['user_id'], unique=False)

    op.create_table('steering_plan_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_steering_plan_task_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_steering_plan_task_owner_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_steering_plan_task'))
    )
    with op.batch_alter_table('steering_plan_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_steering_plan_task_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_steering_plan_task_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_steering_plan_task_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_steering_plan_task_year'), ['year'], unique=False)

    # Plain ALTERs: a batch rebuild of `document` would drop a table many others reference.
    # `replaced_by_id` has no foreign key in the database, so that SQLite can drop it again
    # (the service checks the document it names).
    for column in (sa.Column('legal_kind', sa.String(length=24), nullable=True),
                   sa.Column('legal_number', sa.String(length=64), nullable=True),
                   sa.Column('legal_issued_on', sa.Date(), nullable=True),
                   sa.Column('legal_status', sa.String(length=16), nullable=True),
                   sa.Column('replaced_by_id', sa.Integer(), nullable=True),
                   sa.Column('external_checked_on', sa.Date(), nullable=True)):
        op.add_column('document', column)


def downgrade():
    for column in ('external_checked_on', 'replaced_by_id', 'legal_status', 'legal_issued_on',
                   'legal_number', 'legal_kind'):
        op.drop_column('document', column)

    with op.batch_alter_table('steering_plan_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_steering_plan_task_year'))
        batch_op.drop_index(batch_op.f('ix_steering_plan_task_owner_id'))
        batch_op.drop_index(batch_op.f('ix_steering_plan_task_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_steering_plan_task_due_on'))

    op.drop_table('steering_plan_task')
    with op.batch_alter_table('steering_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_steering_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_steering_member_organisation_id'))

    op.drop_table('steering_member')
    with op.batch_alter_table('annual_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annual_report_signer_id'))
        batch_op.drop_index(batch_op.f('ix_annual_report_organisation_id'))

    op.drop_table('annual_report')
    with op.batch_alter_table('annual_report_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annual_report_template_organisation_id'))

    op.drop_table('annual_report_template')
