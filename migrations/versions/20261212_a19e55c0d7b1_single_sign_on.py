"""single sign-on: identity links, mapping rules, TOTP second factor (issue 19)

Revision ID: a19e55c0d7b1
Revises: df5999bad17a
Create Date: 2026-12-12 09:00:00

- identity_link: an account known to a provider (oidc, ldap) by a stable subject id.
- sso_mapping_rule: a directory group or claim value -> a role (and department).
- user.totp_box, user.totp_enabled_at, user.totp_last_step: the sealed TOTP secret, when
  enrolment finished, and the last time step whose code was used (each code once).
- recovery_code: one-time codes standing in for the TOTP code, hashed.
"""
import sqlalchemy as sa
from alembic import op

import compliance.core.db


# revision identifiers, used by Alembic.
revision = 'a19e55c0d7b1'
down_revision = "df5999bad17a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('identity_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_sign_in_at', compliance.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_identity_link_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_link')),
    sa.UniqueConstraint('provider', 'subject', name=op.f('uq_identity_link_provider_subject'))
    )
    with op.batch_alter_table('identity_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_identity_link_user_id'), ['user_id'], unique=False)

    op.create_table('sso_mapping_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group', sa.String(length=500), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_sso_mapping_rule_department_id_department'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_sso_mapping_rule_organisation_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_mapping_rule'))
    )
    with op.batch_alter_table('sso_mapping_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sso_mapping_rule_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sso_mapping_rule_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', compliance.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_recovery_code_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code'))
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_user_id'), ['user_id'], unique=False)

    # Plain ALTER TABLE ADD COLUMN: a batch copy of "user" would trip SQLite's foreign keys.
    op.add_column('user', sa.Column('totp_box', sa.Text(), nullable=True))
    op.add_column('user', sa.Column('totp_enabled_at',
                                    compliance.core.db.UTCDateTime(timezone=True), nullable=True))
    op.add_column('user', sa.Column('totp_last_step', sa.Integer(), nullable=True))


def downgrade():
    # SQLite drops a plain column in place (3.35+): no table copy, so no foreign-key dance.
    op.execute('ALTER TABLE "user" DROP COLUMN totp_last_step')
    op.execute('ALTER TABLE "user" DROP COLUMN totp_enabled_at')
    op.execute('ALTER TABLE "user" DROP COLUMN totp_box')
    op.drop_table('recovery_code')
    op.drop_table('sso_mapping_rule')
    op.drop_table('identity_link')
