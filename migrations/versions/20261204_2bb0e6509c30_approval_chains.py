"""approval chains: per document type (and overridable per document), the steps a revision
must pass before it comes into force, signed in order or in parallel

Revision ID: 2bb0e6509c30
Revises: f1d20c4a7b93
Create Date: 2026-12-04 09:00:00

- approval_chain: one row per document type, loaded here with the single step every type had
  until now ("approved for use" by an approver of the department), so nothing changes until
  a coordinator configures a chain; and one row per document given a chain of its own (with
  the reason);
- approval_step: the steps of a chain (position: steps of the same position are parallel);
- revision_step: the steps a revision was submitted under, copied at each submission (round);
- approval.step_id (nullable): the step a signature or a rejection answers; empty for the
  signatures made before this migration;
- revision.review_round (0): revisions submitted before this migration have none and are
  signed under the single default step (documents.chain).

The new columns are nullable or have a server default; the foreign key on approval makes
batch mode copy that table on SQLite.
"""
from alembic import op
import sqlalchemy as sa

import compliance.core.db


# The document types as of this migration (a copy: a migration never imports the app).
DOC_TYPES = ("manual", "policy", "procedure", "work_instruction", "form", "record", "external")

# revision identifiers, used by Alembic.
revision = '2bb0e6509c30'
down_revision = 'f1d20c4a7b93'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('approval_chain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('doc_type', sa.String(length=24), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_approval_chain_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_approval_chain_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_chain')),
    sa.UniqueConstraint('doc_type', name=op.f('uq_approval_chain_doc_type')),
    sa.UniqueConstraint('document_id', name=op.f('uq_approval_chain_document_id'))
    )
    op.create_table('approval_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chain_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('meaning', sa.String(length=16), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.ForeignKeyConstraint(['chain_id'], ['approval_chain.id'], name=op.f('fk_approval_step_chain_id_approval_chain'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_step'))
    )
    with op.batch_alter_table('approval_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approval_step_chain_id'), ['chain_id'], unique=False)

    op.create_table('revision_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('meaning', sa.String(length=16), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], name=op.f('fk_revision_step_revision_id_revision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revision_step'))
    )
    with op.batch_alter_table('revision_step', schema=None) as batch_op:
        batch_op.create_index('ix_revision_step_revision_round', ['revision_id', 'round'], unique=False)

    with op.batch_alter_table('approval', schema=None) as batch_op:
        batch_op.add_column(sa.Column('step_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_approval_step_id'), ['step_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_approval_step_id_revision_step'), 'revision_step', ['step_id'], ['id'])

    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_round', sa.Integer(), server_default='0', nullable=False))

    _load_default_chains()


def _load_default_chains():
    """Every type's chain: the single "approved for use" step by an approver."""
    chains = sa.table('approval_chain', sa.column('id', sa.Integer),
                      sa.column('doc_type', sa.String), sa.column('version', sa.Integer))
    steps = sa.table('approval_step', sa.column('chain_id', sa.Integer),
                     sa.column('position', sa.Integer), sa.column('meaning', sa.String),
                     sa.column('role', sa.String))
    op.bulk_insert(chains, [{'id': n, 'doc_type': doc_type, 'version': 1}
                            for n, doc_type in enumerate(DOC_TYPES, 1)])
    op.bulk_insert(steps, [{'chain_id': n, 'position': 1, 'meaning': 'approved',
                            'role': 'approver'} for n in range(1, len(DOC_TYPES) + 1)])
    if op.get_bind().dialect.name == 'postgresql':
        # Ids given by hand: the sequence must start after them.
        op.execute("SELECT setval('approval_chain_id_seq', (SELECT max(id) FROM approval_chain))")


def downgrade():
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_column('review_round')

    with op.batch_alter_table('approval', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_approval_step_id_revision_step'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_approval_step_id'))
        batch_op.drop_column('step_id')

    with op.batch_alter_table('revision_step', schema=None) as batch_op:
        batch_op.drop_index('ix_revision_step_revision_round')

    op.drop_table('revision_step')
    with op.batch_alter_table('approval_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approval_step_chain_id'))

    op.drop_table('approval_step')
    op.drop_table('approval_chain')
