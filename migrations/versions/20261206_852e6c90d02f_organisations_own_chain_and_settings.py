"""organisations: a trail chain and settings of their own (issue 14)

Revision ID: 852e6c90d02f
Revises: 5d1e7a3c9b20
Create Date: 2026-12-06 09:00:00

- audit_event.position: an event's place in its organisation's chain, unique with the
  organisation. Existing events keep their hashes: with one organisation, position is seq. In
  a database whose events already span several organisations (made between the previous
  migration and this one), the old single chain is checked first (refused if broken) and then
  each organisation's events are linked and sealed as a chain of their own;
- finding_grade, retention_rule and risk_band are keyed by organisation and code (type,
  level); risk_scale gets its organisation (one each). Every organisation gets the existing
  grades (findings need them); the stored retention rules and risk scale are the default
  organisation's (the others keep the built-in defaults until their coordinator sets them);
- finding carries its audit's organisation, and a finding's and a corrective action's grade
  is one of their organisation's (a foreign key on both columns);
- document: an index (organisation_id, status, code, id) for one organisation's register.

On SQLite the tables are copied with foreign keys off, as in 039b2e49ffc8 (same procedure).
"""
import hashlib
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

import compliance.core.db

# revision identifiers, used by Alembic.
revision = '852e6c90d02f'
down_revision = '5d1e7a3c9b20'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
GRADE = "fk_{table}_organisation_id_finding_grade"


@contextmanager
def _foreign_keys_off():
    """On SQLite, the block runs with foreign keys off in a transaction of its own, and
    nothing may dangle at its end (039b2e49ffc8 says why)."""
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
        bind.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade():
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index('ix_document_organisation_status_code',
                              ['organisation_id', 'status', 'code', 'id'], unique=False)
    _chains()
    with _foreign_keys_off():
        _finding_organisation()
        for table in ("finding", "corrective_action"):
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.drop_constraint(f'fk_{table}_grade_finding_grade', type_='foreignkey')
        organisations = [row[0] for row in op.get_bind().execute(
            sa.text("SELECT id FROM organisation ORDER BY id"))]
        _rekey('finding_grade', _grade_columns, 'code', organisations)
        _rekey('retention_rule', _retention_columns, 'doc_type', organisations[:1])
        _rekey('risk_band', _band_columns, 'level', organisations[:1])
        for table in ("finding", "corrective_action"):
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.create_foreign_key(GRADE.format(table=table), 'finding_grade',
                                            ['organisation_id', 'grade'],
                                            ['organisation_id', 'code'])
        with op.batch_alter_table('risk_scale', schema=None) as batch_op:
            batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        op.execute("UPDATE risk_scale SET organisation_id = 1")
        with op.batch_alter_table('risk_scale', schema=None) as batch_op:
            batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_index('ix_risk_scale_organisation_id', ['organisation_id'],
                                  unique=False)
            batch_op.create_foreign_key('fk_risk_scale_organisation_id_organisation',
                                        'organisation', ['organisation_id'], ['id'])
            batch_op.create_unique_constraint('uq_risk_scale_organisation_id',
                                              ['organisation_id'])


# --- the chains ------------------------------------------------------------------------------

def _hash(row, prev_hash: str) -> str:
    """audit_trail.services.compute_hash, as of this migration."""
    payload = "\x1f".join([
        str(row.seq), row.occurred_at.isoformat(timespec="microseconds"),
        "" if row.actor_id is None else str(row.actor_id), row.actor_label, row.action,
        row.entity_type, row.entity_id, row.before_json or "", row.after_json or "", prev_hash])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _events(bind):
    # The moment typed as the app stores it: aware, UTC (what the hash was made over).
    moment = sa.column("occurred_at", compliance.core.db.UTCDateTime(timezone=True))
    trail = sa.table("audit_event", moment, *(sa.column(name) for name in (
        "seq", "actor_id", "actor_label", "action", "entity_type", "entity_id",
        "before_json", "after_json", "prev_hash", "hash", "organisation_id")))
    return trail, bind.execute(sa.select(trail).order_by(trail.c.seq)).all()


def _chains():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=True))
    bind = op.get_bind()
    spread = bind.scalar(sa.text("SELECT count(DISTINCT organisation_id) FROM audit_event"))
    if spread <= 1:
        # One chain already: each event's place is its seq (1, 2, ... without gaps).
        op.execute("UPDATE audit_event SET position = seq")
    else:
        _split_chains(bind)
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('position', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint('uq_audit_event_organisation_id_position',
                                          ['organisation_id', 'position'])


def _split_chains(bind):
    trail, rows = _events(bind)
    prev = GENESIS
    for row in rows:
        if row.prev_hash != prev or _hash(row, prev) != row.hash:
            raise RuntimeError(f"the audit trail is broken at event {row.seq}: it cannot be "
                               "split into one chain per organisation")
        prev = row.hash
    heads: dict[int, tuple[int, str]] = {}
    links = sa.table("audit_event", sa.column("seq"), sa.column("position"),
                     sa.column("prev_hash"), sa.column("hash"))
    for row in rows:
        place, prev = heads.get(row.organisation_id, (0, GENESIS))
        sealed = _hash(row, prev)
        bind.execute(sa.update(links).where(links.c.seq == row.seq).values(
            position=place + 1, prev_hash=prev, hash=sealed))
        heads[row.organisation_id] = (place + 1, sealed)


# --- settings keyed by organisation ----------------------------------------------------------

def _finding_organisation():
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
    op.execute("UPDATE finding SET organisation_id = (SELECT audit.organisation_id FROM audit "
               "WHERE audit.id = finding.audit_id)")
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index('ix_finding_organisation_id', ['organisation_id'], unique=False)
        batch_op.create_foreign_key('fk_finding_organisation_id_organisation', 'organisation',
                                    ['organisation_id'], ['id'])


def _grade_columns():
    return [sa.Column('code', sa.String(length=16), nullable=False),
            sa.Column('name_vi', sa.String(length=100), nullable=False),
            sa.Column('name_en', sa.String(length=100), nullable=False),
            sa.Column('position', sa.Integer(), nullable=False),
            sa.Column('raises_corrective_action', sa.Boolean(), nullable=False),
            sa.Column('requires_root_cause', sa.Boolean(), nullable=False),
            sa.Column('requires_effectiveness_evidence', sa.Boolean(), nullable=False),
            sa.Column('effectiveness_check_days', sa.Integer(), nullable=False),
            sa.Column('corrective_action_days', sa.Integer(), nullable=True),
            sa.Column('version', sa.Integer(), nullable=False)]


def _retention_columns():
    return [sa.Column('doc_type', sa.String(length=24), nullable=False),
            sa.Column('basis', sa.String(length=16), nullable=False),
            sa.Column('years', sa.Integer(), nullable=False),
            sa.Column('updated_at', compliance.core.db.UTCDateTime(timezone=True),
                      nullable=True),
            sa.Column('version', sa.Integer(), nullable=False)]


def _band_columns():
    return [sa.Column('level', sa.String(length=16), nullable=False),
            sa.Column('low', sa.Integer(), nullable=False),
            sa.Column('high', sa.Integer(), nullable=False)]


def _rekey(name: str, columns, key: str, organisations: list[int]):
    """The table again, keyed by (organisation_id, key): its rows given to each organisation
    named (the table is small; its rows are read, the table made anew)."""
    bind = op.get_bind()
    old = sa.table(name, *(sa.column(c.name, c.type) for c in columns()))
    rows = [dict(row._mapping) for row in bind.execute(sa.select(old))]
    op.drop_table(name)
    table = op.create_table(
        name, sa.Column('organisation_id', sa.Integer(), nullable=False), *columns(),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=f'fk_{name}_organisation_id_organisation'),
        sa.PrimaryKeyConstraint('organisation_id', key, name=f'pk_{name}'))
    if rows and organisations:
        op.bulk_insert(table, [{**row, "organisation_id": organisation}
                               for organisation in organisations for row in rows])


def _unkey(name: str, columns, key: str):
    bind = op.get_bind()
    old = sa.table(name, sa.column('organisation_id'),
                   *(sa.column(c.name, c.type) for c in columns()))
    rows = [{k: v for k, v in row._mapping.items() if k != 'organisation_id'}
            for row in bind.execute(sa.select(old).where(old.c.organisation_id == 1))]
    op.drop_table(name)
    table = op.create_table(name, *columns(), sa.PrimaryKeyConstraint(key, name=f'pk_{name}'))
    if rows:
        op.bulk_insert(table, rows)


def downgrade():
    # One chain and one set of settings for the installation: possible with one organisation.
    count = op.get_bind().scalar(sa.text("SELECT count(*) FROM organisation"))
    if count > 1:
        raise RuntimeError(f"{count} organisations: the downgrade keeps only one")
    with _foreign_keys_off():
        with op.batch_alter_table('risk_scale', schema=None) as batch_op:
            batch_op.drop_constraint('uq_risk_scale_organisation_id', type_='unique')
            batch_op.drop_constraint('fk_risk_scale_organisation_id_organisation',
                                     type_='foreignkey')
            batch_op.drop_index('ix_risk_scale_organisation_id')
            batch_op.drop_column('organisation_id')
        for table in ("finding", "corrective_action"):
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.drop_constraint(GRADE.format(table=table), type_='foreignkey')
        _unkey('risk_band', _band_columns, 'level')
        _unkey('retention_rule', _retention_columns, 'doc_type')
        _unkey('finding_grade', _grade_columns, 'code')
        for table in ("finding", "corrective_action"):
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.create_foreign_key(f'fk_{table}_grade_finding_grade', 'finding_grade',
                                            ['grade'], ['code'])
        with op.batch_alter_table('finding', schema=None) as batch_op:
            batch_op.drop_constraint('fk_finding_organisation_id_organisation',
                                     type_='foreignkey')
            batch_op.drop_index('ix_finding_organisation_id')
            batch_op.drop_column('organisation_id')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint('uq_audit_event_organisation_id_position', type_='unique')
        batch_op.drop_column('position')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index('ix_document_organisation_status_code')
