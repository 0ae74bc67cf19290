"""Backup and restore of the distributed layout: the files in SeaweedFS (S3), the backup
folder with the database and the manifest of their hashes; restored into a new instance on
the same bucket, every count, every file's hash and the audit trail match."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select

from compliance.audit_trail.services import verify
from compliance.core.extensions import db
from compliance.core.storage import get_store
from compliance.core.storage_check import blob_columns
from tests.conftest import PG_DATABASE, make_app, reset_pg_database
from tests.test_backup import _counts, _world


@pytest.fixture
def on_s3(app, seaweedfs):
    """The app's files in a prefix of their own in SeaweedFS, from its first file on."""
    app.config["STORAGE_URL"] = url = seaweedfs.url(prefix=f"backup-{uuid.uuid4().hex[:8]}")
    with app.app_context():
        get_store().ensure_bucket()
    return url


def _restore_target(database_kind, tmp_path, url):
    folder = tmp_path / "restored"
    folder.mkdir()
    overrides = {"STORAGE_URL": url, "STORAGE_PATH": str(folder / "files")}
    if database_kind == "postgresql":
        overrides["DATABASE_URL"] = reset_pg_database(f"{PG_DATABASE}s")
    return make_app(database_kind, folder, **overrides)


def test_backup_of_the_distributed_layout_restores_counts_hashes_and_trail(
        app, make, runner, on_s3, database_kind, tmp_path):
    _world(app, make)
    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert "listed, left in S3BlobStore(s3://compliance-test/backup-" in result.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["blobs_included"] is False and manifest["blobs"]
    assert not (tmp_path / "backup" / "files").exists()

    target = _restore_target(database_kind, tmp_path, on_s3)
    try:
        restored = target.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
        assert restored.exit_code == 0, restored.output
        counts = _counts(target)
        assert {name: counts[name] for name in manifest["tables"]} == manifest["tables"]
        with target.app_context():
            store = get_store()
            for column in blob_columns(db.metadata):
                for sha256 in db.session.scalars(select(column).where(column.is_not(None))):
                    assert store.read(sha256)  # read() checks the hash
            for sha256, size in manifest["blobs"].items():
                assert len(store.read(sha256)) == size
            assert verify().head == manifest["trail_head"]
        trail = target.test_cli_runner().invoke(args=["audit-trail", "verify"])
        assert trail.exit_code == 0, trail.output
    finally:
        with target.app_context():
            db.engine.dispose()


@pytest.mark.one_database
def test_restore_names_the_store_when_its_files_are_not_there(app, make, runner, on_s3,
                                                              seaweedfs, tmp_path):
    _world(app, make)
    assert runner.invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    target = _restore_target("sqlite", tmp_path, seaweedfs.url(prefix="empty-elsewhere"))
    try:
        restored = target.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    finally:
        with target.app_context():
            db.engine.dispose()
    assert restored.exit_code == 1
    assert "RESTORE INCOMPLETE" in restored.output
    assert "the backup left its files in S3BlobStore(s3://compliance-test/backup-" \
        in restored.output
