"""Upgrading a database that already holds corrective actions, with actions and files pointing
at them: the rows stay, targets and closers are filled in, "cancelled" fits the status."""

from __future__ import annotations

from datetime import date

import flask_migrate
from sqlalchemy import text

from compliance import create_app
from compliance.core.extensions import db
from tests.test_migrations import _empty_database, _scripts

REVISION = "6dc002cdb5e1"
CORRECTIVE_ACTION = (
    "INSERT INTO corrective_action (id, reference, source, department_id, grade, problem, "
    "status, raised_by_id, raised_on, correction, extent, closure_note, version, created_at, "
    "updated_at) VALUES (:id, :reference, 'complaint', 1, :grade, 'Trễ hạn', :status, 1, "
    "'2026-03-01', '', '', '', 1, '2026-03-01', '2026-03-01')")
ROWS = [
    ('INSERT INTO "user" (id, email, name, password_hash, active, locale, created_at, '
     "updated_at, email_mode, version) VALUES (1, 'lan@example.com', 'Đặng Ngọc Lan', 'x', "
     "true, 'vi', '2026-01-01', '2026-01-01', 'none', 1)", {}),
    ("INSERT INTO department (id, code, name_vi, name_en, active, created_at, updated_at, "
     "version) VALUES (1, 'TP', 'Tư pháp', 'Justice', true, '2026-01-01', '2026-01-01', 1)", {}),
    *[(CORRECTIVE_ACTION, {"id": i, "reference": f"HDKP-2026-00{i}", "grade": grade,
                           "status": status})
      for i, grade, status in ((1, "major", "closed"), (2, "minor", "actions_in_progress"),
                               (3, "ofi", "open"))],
    ("INSERT INTO ca_action (id, corrective_action_id, description, owner_id, due_on, status, "
     "done_note, created_by_id, created_at) VALUES (1, 2, 'Lập sổ', 1, '2026-04-01', 'open', "
     "'', 1, '2026-03-01')", {}),
    ("INSERT INTO ca_file (id, corrective_action_id, action_id, blob_sha256, filename, "
     "file_kind, file_size, added_by_id, added_at) VALUES (1, 2, 1, 'x', 'so.pdf', 'pdf', 1, 1, "
     "'2026-03-01')", {}),
    ("INSERT INTO audit_event (seq, occurred_at, actor_id, actor_label, action, entity_type, "
     "entity_id, prev_hash, hash) VALUES (1, '2026-03-02', 1, 'Lan', 'corrective.close', "
     "'corrective_action', '1', '0', 'h1')", {}),
]


def _day(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def test_upgrading_a_database_with_corrective_actions_fills_them_in(database_kind, tmp_path):
    before = _scripts().get_revision(REVISION).down_revision
    app = create_app({"DATABASE_URL": _empty_database(database_kind, tmp_path),
                      "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "x",
                      "TESTING": True})
    with app.app_context():
        try:
            flask_migrate.upgrade(revision=before)
            for statement, values in ROWS:
                db.session.execute(text(statement), values)
            db.session.commit()
            db.session.remove()
            flask_migrate.upgrade(revision=REVISION)
            rows = db.session.execute(text(
                "SELECT id, target_on, closed_by_id FROM corrective_action ORDER BY id")).all()
            assert [(i, _day(t), c) for i, t, c in rows] == [
                (1, date(2026, 3, 31), 1), (2, date(2026, 4, 30), None), (3, None, None)]
            assert dict(db.session.execute(text(
                "SELECT code, corrective_action_days FROM finding_grade")).all()) == {
                "major": 30, "minor": 60, "observation": 90, "ofi": None}
            assert db.session.execute(text(
                "SELECT count(*) FROM ca_file WHERE action_id = 1")).scalar() == 1
            db.session.execute(text("UPDATE ca_action SET status = 'cancelled'"))
            db.session.commit()
            assert db.session.execute(text("SELECT status, version FROM ca_action")).one() == \
                ("cancelled", 1)
        finally:
            db.session.remove()
            db.engine.dispose()
