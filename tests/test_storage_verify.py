"""`compliance storage verify`: every file a record names is held and intact; files nobody
names are listed, and removed on request once old enough."""

from __future__ import annotations

import io
import os

from compliance.core.clock import utcnow
from compliance.core.extensions import db
from compliance.core.jobs import job, run_job
from compliance.core.storage import get_store
from compliance.documents.models import Revision
from tests.conftest import do_login
from tests.documents.helpers import document_target
from tests.test_backup import blank_pdf


def _upload(client, document_id: int, width: int):
    return client.post(f"/documents/{document_id}/revisions/new", data={
        "file": (io.BytesIO(blank_pdf(width)), "ban-nhap.pdf"), "change_summary": "Sửa"},
        content_type="multipart/form-data")


def _age(app, sha256: str, hours: float) -> None:
    with app.app_context():
        path = get_store()._path(sha256)
    moment = utcnow().timestamp() - hours * 3600
    os.utime(path, (moment, moment))


def test_verify_lists_orphans_keeps_what_the_trail_names_and_removes_old_orphans(app, make,
                                                                                 runner):
    dept = make.department()
    head = make.user(departments=[(dept.id, "department_head")])
    draft = document_target(app, dept.id, head.id, state="draft", content=blank_pdf(300))
    client = app.test_client()
    do_login(client, head.email)
    # The draft is given two new files in turn: the two earlier ones are named by the trail only.
    assert _upload(client, draft.document_id, 301).status_code == 302
    assert _upload(client, draft.document_id, 302).status_code == 302
    with app.app_context():
        store = get_store()
        orphan = store.put(io.BytesIO(blank_pdf(999))).sha256  # as if a crash followed
        (store.incoming / "tmpcut").write_bytes(b"half an upl")

    result = runner.invoke(args=["storage", "verify"])
    assert result.exit_code == 0, result.output
    assert f"orphan: {orphan}" in result.output
    assert "unfinished upload: incoming/tmpcut (11 bytes" in result.output
    assert ("1 referenced file(s), 1 intact" in result.output
            and "0 missing, 0 damaged; 2 earlier file(s) named by the audit trail; "
                "1 orphan(s), 1 unfinished upload(s)." in result.output), result.output

    young = runner.invoke(args=["storage", "verify", "--remove-orphans"])
    assert "0 unreferenced file(s) removed, 2 younger than an hour kept." in young.output
    _age(app, orphan, 2)
    with app.app_context():
        os.utime(get_store().incoming / "tmpcut", (0, 0))
    old = runner.invoke(args=["storage", "verify", "--remove-orphans"])
    assert old.exit_code == 0, old.output
    assert "2 unreferenced file(s) removed." in old.output
    with app.app_context():
        store = get_store()
        assert not store.exists(orphan)
        assert store.unfinished() == []
        assert len(list(store.held())) == 3  # the draft's file and the two earlier ones
    assert "0 orphan(s), 0 unfinished" in runner.invoke(args=["storage", "verify"]).output


def test_storing_known_content_again_makes_an_orphan_young(app):
    """An upload of content already held (as an orphan) must not lose its file to a removal
    that runs before its transaction commits."""
    with app.app_context():
        store = get_store()
        sha256 = store.put(io.BytesIO(b"%PDF-1.4 content")).sha256
        _age(app, sha256, 5)
        assert store.age(sha256) > 3600
        store.put(io.BytesIO(b"%PDF-1.4 content"))
        assert store.age(sha256) < 60


def test_missing_or_damaged_files_fail_the_check(app, make, runner):
    dept = make.department()
    author = make.user()
    gone = document_target(app, dept.id, author.id, content=blank_pdf(401))
    damaged = document_target(app, dept.id, author.id, content=blank_pdf(402))
    document_target(app, dept.id, author.id, content=blank_pdf(403))
    with app.app_context():
        store = get_store()
        shas = {}
        for target in (gone, damaged):
            shas[target.revision_id] = db.session.get(Revision, target.revision_id).blob_sha256
        store._path(shas[gone.revision_id]).unlink()
        path = store._path(shas[damaged.revision_id])
        path.chmod(0o640)
        path.write_bytes(path.read_bytes().replace(b"%%EOF", b"%%EOX"))
    result = runner.invoke(args=["storage", "verify"])
    assert result.exit_code == 1
    assert f"MISSING: {shas[gone.revision_id]} (named by revision {gone.revision_id})" \
        in result.output
    assert f"DAMAGED: {shas[damaged.revision_id]} (named by revision {damaged.revision_id})" \
        in result.output
    assert "3 referenced file(s), 1 intact" in result.output
    assert "Traceback" not in result.output


def test_the_monthly_fixity_job_keeps_its_result_on_the_scheduler_page(app, make, login):
    dept = make.department()
    author = make.user()
    target = document_target(app, dept.id, author.id, content=blank_pdf(404))
    document_target(app, dept.id, author.id, content=blank_pdf(405))
    assert run_job(app, job(app, "storage.fixity"))[0]
    client = app.test_client()
    login(client, make.user(roles=["coordinator"]).email)
    page = client.get("/admin/scheduler/").get_data(as_text=True)
    row = page[page.index("<code>storage.fixity</code>"):]
    assert "2 stored files checked, all intact; 0 unreferenced" in row[:row.index("</tr>")]

    with app.app_context():
        path = get_store()._path(db.session.get(Revision, target.revision_id).blob_sha256)
    path.chmod(0o640)
    path.write_bytes(b"%PDF-1.4 rotten")
    ok, result = run_job(app, job(app, "storage.fixity"))
    assert not ok
    # In the installation's language (the job has no reader): the counts and the command.
    error = result.params["error"]
    assert error.startswith("FilesLost: 0 ") and " 1 " in error and " 2 " in error, error
    assert "`compliance storage verify`" in error
