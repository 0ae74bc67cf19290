"""organisations: one installation, several quality systems (issue 14)

Revision ID: 039b2e49ffc8
Revises: 2bb0e6509c30
Create Date: 2026-12-05 09:00:00

- organisation: code (unique), names, parent (the tree), time zone, document code pattern,
  logo (blob SHA-256). The first row is made from the settings the installation ran with
  (COMPLIANCE_ORG_CODE, _ORG_NAME, _ORG_NAME_VI, _ORG_TIMEZONE): the default organisation;
- organisation_id (NOT NULL, indexed, foreign key) on every table that needs its own scope
  (SCOPED below), every existing row placed in the default organisation;
- the codes and references that were unique in the installation become unique within an
  organisation (PER_ORGANISATION);
- the counters behind the references (audit, corrective action, risk) become the default
  organisation's ("<id>/<name>"); document code counters are per department already.

The column is added nullable, filled, then made NOT NULL in the same batch that adds its
foreign key. On SQLite that batch copies the table and drops the old copy; with foreign keys
on (every connection, core.db) the drop would first delete every row, failing on (or, with ON
DELETE CASCADE, deleting) the rows that point at them, and PRAGMA foreign_keys cannot change
inside a transaction. So on SQLite the work so far is committed, foreign keys are turned off
for the copies, checked with PRAGMA foreign_key_check (nothing may dangle), committed, and
turned on again: the SQLite procedure for changing a table's schema.
"""
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import compliance.core.db

# revision identifiers, used by Alembic.
revision = '039b2e49ffc8'
down_revision = '2bb0e6509c30'
branch_labels = None
depends_on = None

# A copy as of this migration (a migration never imports the app's models).
SCOPED = ("user", "department", "process", "document", "approval_chain", "legal_hold",
          "audit_programme", "audit", "audit_question", "corrective_action",
          "quality_objective", "context_issue", "interested_party", "measure", "risk",
          "report_note", "management_review", "evidence_pack", "evidence_verification",
          "audit_event")
# table -> (the old unique constraint's columns, made unique within an organisation)
PER_ORGANISATION = {
    "department": ("code",), "process": ("code",), "document": ("code",),
    "approval_chain": ("doc_type",), "audit": ("reference",),
    "corrective_action": ("reference",), "measure": ("code",), "risk": ("reference",),
    "report_note": ("scope", "year", "half"),
}
# Counters whose references are unique within an organisation: "<name>" -> "<id>/<name>".
ORGANISATION_COUNTERS = ("audit:%", "corrective_action:%", "risk")
# What config.DEFAULTS says, for a migration run outside the app.
DEFAULTS = {"ORG_CODE": "TB", "ORG_NAME": "Thanh Bình District People's Committee",
            "ORG_NAME_VI": "Ủy ban nhân dân huyện Thanh Bình",
            "ORG_TIMEZONE": "Asia/Ho_Chi_Minh"}


def _settings() -> dict:
    try:
        from flask import current_app
        config = current_app.config
        return {key: config.get(key) or DEFAULTS[key] for key in DEFAULTS}
    except RuntimeError:  # outside an application context
        import os
        return {key: os.environ.get(f"COMPLIANCE_{key}") or value
                for key, value in DEFAULTS.items()}


def _uq(table: str, columns) -> str:
    return f"uq_{table}_{'_'.join(columns)}"


def upgrade():
    organisation = op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_vi', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('document_code_pattern', sa.String(length=64), nullable=False),
    sa.Column('logo_sha256', sa.String(length=64), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['organisation.id'], name=op.f('fk_organisation_parent_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('code', name=op.f('uq_organisation_code'))
    )
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_parent_id'), ['parent_id'], unique=False)

    settings, now = _settings(), datetime.now(UTC)
    op.bulk_insert(organisation, [{
        "id": 1, "code": settings["ORG_CODE"][:32], "name_en": settings["ORG_NAME"][:200],
        "name_vi": (settings["ORG_NAME_VI"] or settings["ORG_NAME"])[:200],
        "time_zone": settings["ORG_TIMEZONE"], "document_code_pattern": "", "logo_sha256": None,
        "version": 1, "created_at": now, "updated_at": now}])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval('organisation_id_seq', 1)")

    with _foreign_keys_off():
        _scope_tables()
    for pattern in ORGANISATION_COUNTERS:
        op.execute(sa.text("UPDATE counter SET name = '1/' || name WHERE name LIKE :pattern")
                   .bindparams(pattern=pattern))


@contextmanager
def _foreign_keys_off():
    """On SQLite, the block runs with foreign keys off, in a transaction of its own, and
    nothing may dangle at its end (see above)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    bind.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        yield
        dangling = bind.exec_driver_sql("PRAGMA foreign_key_check").all()
        if dangling:
            raise RuntimeError(f"rows point at nothing after the copy: {dangling[:5]}")
        bind.exec_driver_sql("COMMIT")
    except BaseException:
        bind.exec_driver_sql("ROLLBACK")
        raise
    finally:
        bind.exec_driver_sql("PRAGMA foreign_keys=ON")
        # Alembic and SQLAlchemy still hold their transaction open: one is there to end.
        bind.exec_driver_sql("BEGIN IMMEDIATE")


def _scope_tables():
    for table in SCOPED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        op.execute(f'UPDATE "{table}" SET organisation_id = 1')  # noqa: S608 - names above
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(f'ix_{table}_organisation_id', ['organisation_id'], unique=False)
            batch_op.create_foreign_key(f'fk_{table}_organisation_id_organisation',
                                        'organisation', ['organisation_id'], ['id'])
            if table in PER_ORGANISATION:
                columns = PER_ORGANISATION[table]
                batch_op.drop_constraint(_uq(table, columns), type_='unique')
                batch_op.create_unique_constraint(_uq(table, ('organisation_id', *columns)),
                                                  ['organisation_id', *columns])


def downgrade():
    # Several organisations' rows cannot go back to one installation-wide numbering.
    count = op.get_bind().scalar(sa.text("SELECT count(*) FROM organisation"))
    if count > 1:
        raise RuntimeError(f"{count} organisations: the downgrade keeps only one")
    for pattern in ORGANISATION_COUNTERS:
        op.execute(sa.text("UPDATE counter SET name = substr(name, 3) WHERE name LIKE :pattern")
                   .bindparams(pattern=f"1/{pattern}"))
    with _foreign_keys_off():
        _unscope_tables()
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_parent_id'))
    op.drop_table('organisation')


def _unscope_tables():
    for table in reversed(SCOPED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in PER_ORGANISATION:
                columns = PER_ORGANISATION[table]
                batch_op.drop_constraint(_uq(table, ('organisation_id', *columns)),
                                         type_='unique')
                batch_op.create_unique_constraint(_uq(table, columns), list(columns))
            batch_op.drop_constraint(f'fk_{table}_organisation_id_organisation',
                                     type_='foreignkey')
            batch_op.drop_index(f'ix_{table}_organisation_id')
            batch_op.drop_column('organisation_id')
