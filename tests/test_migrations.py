"""The Alembic history: one head, and upgrading an empty database gives exactly the models."""

from __future__ import annotations

import logging
from pathlib import Path

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import make_url

from compliance import create_app
from compliance.config import normalise_database_url
from compliance.core.extensions import db
from compliance.core.resources import resource_dir
from compliance.org.models import Clause
from tests.conftest import PG_URL, reset_pg_database

CLAUSES_IN_ISO_9001_2015 = 75


def _scripts() -> ScriptDirectory:
    return ScriptDirectory(str(resource_dir("migrations")))


def test_history_has_exactly_one_head():
    heads = _scripts().get_heads()
    assert len(heads) == 1, f"several heads, merge them: {heads}"


def test_every_revision_can_go_down():
    for revision in _scripts().walk_revisions():
        assert "def downgrade" in Path(revision.path).read_text(encoding="utf-8"), revision.path


def _empty_database(database_kind: str, tmp_path) -> str:
    if database_kind == "postgresql":
        # Named after the test database, so runs against different test databases on one
        # server (parallel branches, CI beside a developer) do not drop each other's.
        own = make_url(normalise_database_url(PG_URL)).database
        return reset_pg_database(f"compliance_migration_{own}")
    return f"sqlite:///{tmp_path / 'migrated.sqlite'}"


def _differences(app) -> list:
    """What autogenerate would write for this database: nothing, when the schema is right."""
    migrate = app.extensions["migrate"]
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=migrate.configure_args)
        return compare_metadata(context, db.metadata)


def test_upgrade_on_an_empty_database_matches_the_models(database_kind, tmp_path):
    app = create_app({"DATABASE_URL": _empty_database(database_kind, tmp_path),
                      "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "x",
                      "TESTING": True})
    with app.app_context():
        try:
            flask_migrate.upgrade()
            assert _differences(app) == []
            assert db.session.scalar(select(func.count()).select_from(Clause)) == \
                CLAUSES_IN_ISO_9001_2015
            numbers = db.session.scalars(select(Clause.number).where(
                Clause.parent_number.is_(None)).order_by(Clause.sort_key)).all()
            assert numbers == ["4", "5", "6", "7", "8", "9", "10"]
            db.session.remove()

            flask_migrate.downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}

            # And back up again: the downgrade left nothing behind that trips the upgrade.
            flask_migrate.upgrade()
            assert _differences(app) == []
        finally:
            db.session.remove()
            db.engine.dispose()


def test_upgrade_keeps_the_applications_loggers(database_kind, tmp_path):
    logger = logging.getLogger("compliance.core.errors")
    app = create_app({"DATABASE_URL": _empty_database(database_kind, tmp_path),
                      "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "x"})
    with app.app_context():
        try:
            flask_migrate.upgrade()
        finally:
            db.engine.dispose()
    # Alembic's logging set-up must not silence the app (a 500 would then go unlogged).
    assert not logger.disabled


def test_objective_measure_key_keeps_the_rows_and_drops_a_dangling_measure(database_kind,
                                                                           tmp_path):
    """The foreign key on quality_objective.measure_id: an objective measured by a measure
    that does not exist goes back to a target checked by hand, and SQLite's copy of the table
    keeps the rows that point at objectives (a progress note, a copied objective)."""
    app = create_app({"DATABASE_URL": _empty_database(database_kind, tmp_path),
                      "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "x",
                      "TESTING": True})
    objective = text(
        "INSERT INTO quality_objective (id, year, statement_vi, statement_en, measurement, "
        "measure_id, unit, direction, evaluation_comment, version, copied_from_id, "
        "created_at, updated_at) VALUES (:id, 2026, 'x', '', 'measure', 999, 'pct', "
        "'higher', '', 1, :copied, '2026-12-01 00:00:00', '2026-12-01 00:00:00')")
    with app.app_context():
        try:
            flask_migrate.upgrade(revision="5d65a73acb0a")
            with db.engine.begin() as connection:
                connection.execute(objective, {"id": 1, "copied": None})
                connection.execute(objective, {"id": 2, "copied": 1})
                connection.execute(text(
                    "INSERT INTO objective_progress_note (objective_id, noted_on, text, "
                    "created_at) VALUES (1, '2026-11-30', 'note', '2026-12-01 00:00:00')"))
            flask_migrate.upgrade()
            with db.engine.connect() as connection:
                rows = connection.exec_driver_sql(
                    "SELECT id, measurement, measure_id, copied_from_id FROM quality_objective "
                    "ORDER BY id").all()
                notes = connection.exec_driver_sql(
                    "SELECT objective_id FROM objective_progress_note").all()
            assert [tuple(r) for r in rows] == [(1, "manual", None, None),
                                                (2, "manual", None, 1)]
            assert [tuple(n) for n in notes] == [(1,)]
            assert _differences(app) == []
        finally:
            db.session.remove()
            db.engine.dispose()


# The revision before organisations (issue 14) and the tables it scoped (a copy, as the
# migration has its own).
BEFORE_ORGANISATIONS = "2bb0e6509c30"


def _row_counts(connection) -> dict[str, int]:
    names = [n for n in inspect(connection).get_table_names() if n != "alembic_version"]
    return {name: connection.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar()  # noqa: S608
            for name in names}


def test_organisations_migration_keeps_a_seeded_database_whole(database_kind, tmp_path):
    """The demo district, taken back to the schema before organisations and brought forward
    again: no row lost, every scoped row in the default organisation made from the
    settings, codes still unique within it, and the counters go on where they were."""
    from compliance import demo
    from compliance.core.tenancy import OrganisationScoped
    from compliance.core.uow import unit_of_work

    app = create_app({"DATABASE_URL": _empty_database(database_kind, tmp_path),
                      "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "x",
                      "TESTING": True, "PASSWORD_HASH_COST": "test", "ORG_CODE": "TBINH",
                      "OFFICE_RENDERER": "compliance-tests-have-no-office-renderer"})
    with app.app_context():
        try:
            flask_migrate.upgrade()
            with unit_of_work():
                assert demo.seed()
            db.session.remove()
            flask_migrate.downgrade(revision=BEFORE_ORGANISATIONS)
            with db.engine.connect() as connection:
                seeded = _row_counts(connection)
                counters = {row[0]: row[1] for row in connection.exec_driver_sql(
                    "SELECT name, value FROM counter")}
            assert seeded["document"] > 5 and seeded["audit_event"] > 50
            assert any(name.startswith("audit:") for name in counters)

            flask_migrate.upgrade()
            assert _differences(app) == []
            with db.engine.connect() as connection:
                after = _row_counts(connection)
                organisations = connection.exec_driver_sql(
                    "SELECT id, code, name_vi, name_en, time_zone FROM organisation").all()
                scoped = {mapper.class_.__tablename__ for mapper in db.Model.registry.mappers
                          if issubclass(mapper.class_, OrganisationScoped)} | {"audit_event"}
                elsewhere = {name: connection.exec_driver_sql(
                    f'SELECT count(*) FROM "{name}" WHERE organisation_id <> 1').scalar()  # noqa: S608
                    for name in scoped}
                moved = {row[0]: row[1] for row in connection.exec_driver_sql(
                    "SELECT name, value FROM counter")}
            # Tables made by this migration and later ones (the oversight grants) start empty.
            assert {k: v for k, v in after.items()
                    if k not in ("organisation", "oversight_grant")} == seeded
            assert [tuple(o) for o in organisations] == [
                (1, "TBINH", app.config["ORG_NAME_VI"], app.config["ORG_NAME"],
                 app.config["ORG_TIMEZONE"])]
            assert elsewhere == dict.fromkeys(scoped, 0)
            assert len(scoped) >= 19
            assert moved == {(f"1/{name}" if name.startswith(("audit:", "corrective_action:",
                                                             "risk")) else name): value
                             for name, value in counters.items()}
        finally:
            db.session.remove()
            db.engine.dispose()
