"""`compliance storage migrate --to URL` from the folder to SeaweedFS, resumable; then the
app on S3: `storage verify`, `--gc` and a document's copy served from there."""

from __future__ import annotations

import io
import urllib.request
import uuid

import pytest
from sqlalchemy import select

from compliance.core import clock
from compliance.core.extensions import db
from compliance.core.storage import get_store, open_store
from compliance.documents.models import Revision
from tests.conftest import do_login
from tests.documents.helpers import document_target
from tests.test_backup import blank_pdf
from tests.test_storage_protocol import damage


def _world(app, make) -> tuple:
    dept = make.department()
    head = make.user(departments=[(dept.id, "department_head")])
    targets = [document_target(app, dept.id, head.id, content=blank_pdf(600 + n))
               for n in range(3)]
    with app.app_context():
        shas = sorted(db.session.scalars(select(Revision.blob_sha256)))
    return head, targets, shas


@pytest.mark.one_database
def test_migrate_to_s3_resumes_and_the_app_then_works_on_s3(app, make, runner, seaweedfs):
    head, targets, shas = _world(app, make)
    url = seaweedfs.url(prefix=f"migrated-{uuid.uuid4().hex[:8]}")
    first = runner.invoke(args=["storage", "migrate", "--to", url])
    assert first.exit_code == 0, first.output
    assert "3 file(s) copied" in first.output and "0 not copied" in first.output

    target = open_store(url)
    assert sorted(target.held()) == shas
    damage(target, shas[0], b"rotten")
    again = runner.invoke(args=["storage", "migrate", "--to", url])
    assert again.exit_code == 0, again.output
    assert ("1 file(s) copied" in again.output and "2 already there and intact, "
            "1 damaged there and copied again" in again.output), again.output
    assert target.read(shas[0])

    app.config["STORAGE_URL"] = url  # every host restarted on the new store
    verified = runner.invoke(args=["storage", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "3 referenced file(s), 3 intact" in verified.output
    client = app.test_client()
    do_login(client, head.email)
    copy = client.get(f"/documents/{targets[0].document_id}/revisions/"
                      f"{targets[0].revision_id}/download")
    assert copy.status_code == 200 and copy.data.startswith(b"%PDF")

    with app.app_context():
        old_orphan = get_store().put(io.BytesIO(b"%PDF-1.4 left by a crash")).sha256
        clock.advance(days=2)  # every file is now two days old, the referenced ones too
        young_orphan = get_store().put(io.BytesIO(b"%PDF-1.4 upload on its way")).sha256
    collected = runner.invoke(args=["storage", "verify", "--gc"])
    assert collected.exit_code == 0, collected.output
    assert "1 unreferenced file(s) removed, 1 younger than a day kept." in collected.output
    assert sorted(target.held()) == sorted([*shas, young_orphan])
    assert old_orphan not in set(target.held())


@pytest.mark.one_database
def test_migrate_reports_a_damaged_source_file_and_copies_the_rest(app, make, runner,
                                                                    seaweedfs):
    _head, _targets, shas = _world(app, make)
    with app.app_context():
        damage(get_store(), shas[1], b"rotten")
    url = seaweedfs.url(prefix=f"damaged-{uuid.uuid4().hex[:8]}")
    result = runner.invoke(args=["storage", "migrate", "--to", url])
    assert result.exit_code == 1
    assert f"NOT COPIED: {shas[1]} (damaged in the source" in result.output
    assert "2 file(s) copied" in result.output
    assert sorted(open_store(url).held()) == [shas[0], shas[2]]


@pytest.mark.one_database
def test_originals_by_pre_signed_link_copies_through_the_app(app, make, seaweedfs):
    app.config.update(STORAGE_URL=seaweedfs.url(prefix=f"signed-{uuid.uuid4().hex[:8]}"),
                      STORAGE_PRESIGN_SECONDS=60)
    with app.app_context():
        get_store().ensure_bucket()
    _head, targets, _shas = _world(app, make)
    client = app.test_client()
    do_login(client, make.user(roles=["coordinator"]).email)
    base = f"/documents/{targets[0].document_id}/revisions/{targets[0].revision_id}"
    original = client.get(f"{base}/original")
    assert original.status_code == 302, original.status_code
    assert "X-Amz-Signature=" in original.location
    with urllib.request.urlopen(original.location) as answer:  # noqa: S310 - test server
        assert answer.read() == blank_pdf(600)
    copy = client.get(f"{base}/download")  # stamped for the reader: always by the app
    assert copy.status_code == 200 and copy.data.startswith(b"%PDF")
    assert copy.data != blank_pdf(600)


@pytest.mark.one_database
def test_migrate_without_credentials_says_so_without_a_traceback(app, make, runner, seaweedfs,
                                                                 monkeypatch):
    _world(app, make)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = runner.invoke(args=["storage", "migrate", "--to", seaweedfs.url(prefix="nokey")])
    assert result.exit_code == 1
    assert "The store did not answer as expected: Unable to locate credentials" in result.output
    assert "Traceback" not in result.output
