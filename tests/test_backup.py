"""Backup and restore drill: back up while someone keeps uploading, restore into a new
instance, and find every row, every file and the whole audit trail there."""

from __future__ import annotations

import io
import json
import threading

import pytest
from sqlalchemy import func, select

from compliance.audit_trail.models import AuditEvent
from compliance.audit_trail.services import verify
from compliance.core.extensions import db
from compliance.core.storage import get_store
from compliance.core.storage_check import blob_columns
from tests.audits.helpers import audit_target
from tests.capa.helpers import ca_in_state
from tests.conftest import PG_DATABASE, do_login, make_app, reset_pg_database
from tests.documents.helpers import blank_pdf as pdf_pages
from tests.documents.helpers import document_target


def blank_pdf(width: int) -> bytes:
    """A small valid PDF, different for each width (no WeasyPrint: milliseconds)."""
    return pdf_pages(width=width, height=842)


def _world(app, make):
    """Documents with stored revisions, an audit with evidence, a corrective action with
    files; returns the department head and the document the writer keeps revising."""
    dept = make.department(code="TCKH")
    head = make.user(departments=[(dept.id, "department_head")])
    coordinator = make.user(roles=["coordinator"])
    for n in range(3):
        document_target(app, dept.id, head.id, content=blank_pdf(400 + n))
    audit_target(app, make, dept.id, "in_progress")
    ca_in_state(app, dept.id, "closed", coordinator_id=coordinator.id, owner_id=head.id)
    draft = document_target(app, dept.id, head.id, state="draft", content=blank_pdf(500))
    return head, draft


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {t.name: db.session.scalar(select(func.count()).select_from(t))
                for t in db.metadata.sorted_tables}


def _writer(app, email: str, document_id: int, stop: threading.Event, done: list[int]):
    """Keep giving the draft a new file (a blob, a row change, a trail event each time)."""
    client = app.test_client()
    do_login(client, email)
    width = 300
    while not stop.is_set():
        width += 1
        response = client.post(f"/documents/{document_id}/revisions/new", data={
            "file": (io.BytesIO(blank_pdf(width)), "ban-nhap.pdf"),
            "change_summary": f"Lần {width}"}, content_type="multipart/form-data")
        done.append(response.status_code)


@pytest.fixture
def restore_target(database_kind, tmp_path):
    """A new, empty instance of the same kind as the one backed up."""
    folder = tmp_path / "restored"
    folder.mkdir()
    overrides = {"STORAGE_PATH": str(folder / "files")}
    if database_kind == "postgresql":  # a database of its own, with no tables at all
        overrides["DATABASE_URL"] = reset_pg_database(f"{PG_DATABASE}r")
    target = make_app(database_kind, folder, **overrides)
    yield target
    with target.app_context():
        db.engine.dispose()


def test_backup_while_writing_then_restore_brings_everything_back(app, make, runner,
                                                                  restore_target, tmp_path):
    head, draft = _world(app, make)
    stop, done = threading.Event(), []
    writer = threading.Thread(target=_writer, args=(app, head.email, draft.document_id,
                                                    stop, done))
    writer.start()
    try:
        while len(done) < 3:
            stop.wait(0.01)
        result = runner.invoke(args=["backup", str(tmp_path / "backup")])
        started = len(done)
        while len(done) < started + 3:  # and the writer carried on after it
            stop.wait(0.01)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert set(done) == {302}, done
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    for table in ("revision", "audit", "audit_evidence", "corrective_action", "ca_file"):
        assert manifest["tables"][table] > 0, table

    restored = restore_target.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert restored.exit_code == 0, restored.output
    assert "audit trail intact" in restored.output

    # Every count, every file and the chain, checked here again independently.
    counts = _counts(restore_target)
    assert {name: counts[name] for name in manifest["tables"]} == manifest["tables"]
    with restore_target.app_context():
        store = get_store()
        for column in blob_columns(db.metadata):
            for sha256 in db.session.scalars(select(column).where(column.is_not(None))):
                assert store.read(sha256)  # read() checks the hash
        for sha256, size in manifest["blobs"].items():
            assert len(store.read(sha256)) == size
        verdict = verify()
        assert verdict.ok and verdict.head == manifest["trail_head"]
        assert verdict.checked == manifest["trail_events"]
    trail = restore_target.test_cli_runner().invoke(args=["audit-trail", "verify"])
    assert trail.exit_code == 0, trail.output
    # What came back is what the live instance held at one moment: its trail is a prefix.
    with app.app_context():
        live = db.session.get(AuditEvent, manifest["trail_last_seq"])
        assert live.hash == manifest["trail_head"]
        assert verify().checked > manifest["trail_events"]


def test_restore_refuses_a_target_that_is_not_empty(app, make, runner, tmp_path):
    _world(app, make)
    assert runner.invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    before = _counts(app)
    again = runner.invoke(args=["restore", str(tmp_path / "b")])
    assert again.exit_code == 1
    assert "The target instance is not empty" in again.output
    assert "nothing was changed" in again.output
    assert _counts(app) == before


def test_backup_wants_a_new_folder(app, runner, tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "old.txt").write_text("x")
    result = runner.invoke(args=["backup", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "is not empty: give each backup a new folder" in result.output


def test_restore_refuses_a_damaged_backup(app, make, runner, tmp_path):
    _world(app, make)
    assert runner.invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    damaged = next(iter(manifest["blobs"]))
    path = tmp_path / "b" / "files" / damaged[:2] / damaged[2:4] / damaged
    path.chmod(0o640)
    path.write_bytes(path.read_bytes() + b"x")
    before = _counts(app)
    # The folder is checked first, before the target (here: not even an empty one).
    result = runner.invoke(args=["restore", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert f"file {damaged} is missing or damaged in the backup" in result.output
    assert "nothing was restored" in result.output
    assert _counts(app) == before
