"""The BlobStore protocol, the same tests on the local folder and on a real S3-compatible
server (SeaweedFS, tests/seaweedfs.py)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import itertools
import os
import urllib.request
from pathlib import Path

import pytest

from compliance.core import clock
from compliance.core.storage import (
    BlobCorrupted,
    BlobTooLarge,
    LocalBlobStore,
    S3BlobStore,
    open_store,
)
from compliance.core.storage.s3 import MULTIPART_THRESHOLD

_prefixes = itertools.count()


def s3_store(seaweedfs, **options) -> S3BlobStore:
    """A store under a prefix of its own in the test bucket."""
    store = S3BlobStore.from_url(seaweedfs.url(prefix=f"t{next(_prefixes)}"), **options)
    store.ensure_bucket()
    return store


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalBlobStore(tmp_path / "files")
    return s3_store(request.getfixturevalue("seaweedfs"))


def damage(store, sha256: str, data: bytes) -> None:
    """Replace a stored blob's bytes behind the store's back (a disk or a bucket gone bad)."""
    if isinstance(store, LocalBlobStore):
        path = store._path(sha256)
        path.chmod(0o640)
        path.write_bytes(data)
    else:
        store.client.put_object(Bucket=store.bucket, Key=store._key(sha256), Body=data)


def leave_unfinished(store) -> str:
    """An upload cut short by a crash, as the store keeps it."""
    if isinstance(store, LocalBlobStore):
        store.incoming.mkdir(parents=True, exist_ok=True)
        (store.incoming / "tmpcut").write_bytes(b"half")
        return "tmpcut"
    return store.client.create_multipart_upload(
        Bucket=store.bucket, Key=store._key("a" * 64))["UploadId"]


def test_put_stores_once_by_hash_and_reads_back(store):
    data = "Quy trình kiểm soát tài liệu".encode() * 1000
    first = store.put(io.BytesIO(data), max_bytes=10**7)
    assert store.put(io.BytesIO(data)) == first
    assert first.sha256 == hashlib.sha256(data).hexdigest() and first.size == len(data)
    assert store.read(first.sha256) == data
    assert store.exists(first.sha256) and store.size(first.sha256) == len(data)
    assert list(store.held()) == [first.sha256]
    assert store.age(first.sha256) < 60
    assert not store.exists("0" * 64)
    with pytest.raises(FileNotFoundError):
        store.open("0" * 64)


def test_oversized_upload_leaves_nothing_behind(store):
    with pytest.raises(BlobTooLarge):
        store.put(io.BytesIO(b"x" * 2048), max_bytes=1024)
    assert list(store.held()) == [] and store.unfinished() == []


def test_streaming_read_checks_the_hash_at_the_end(store):
    data = b"0123456789" * 100_000
    blob = store.put(io.BytesIO(data))
    with store.open(blob.sha256) as stream:
        assert b"".join(iter(lambda: stream.read(65536), b"")) == data
    damage(store, blob.sha256, b"9" + data[1:])
    with store.open(blob.sha256) as stream, pytest.raises(BlobCorrupted):
        b"".join(iter(lambda: stream.read(65536), b""))
    with pytest.raises(BlobCorrupted):
        store.read(blob.sha256)


@pytest.mark.parametrize("name", ["../etc/passwd", "abc", "A" * 64, "/" + "a" * 63])
def test_only_hashes_become_keys(store, name):
    with pytest.raises(ValueError):
        store.read(name)


def test_unfinished_uploads_are_listed_and_removed(store):
    name = leave_unfinished(store)
    assert [u.name for u in store.unfinished()] == [name]
    store.remove_unfinished(name)
    assert store.unfinished() == []


def test_storing_known_content_again_makes_it_young(store):
    """Real time moved on two days (not the pinned test moment: the store keeps real times)."""
    sha256 = store.put(io.BytesIO(b"%PDF-1.4 content")).sha256
    clock.advance(days=2)
    assert store.age(sha256) > 86400
    store.put(io.BytesIO(b"%PDF-1.4 content"))
    assert store.age(sha256) < 60
    store.remove(sha256)
    assert not store.exists(sha256) and list(store.held()) == []


def test_s3_store_checks_sha256_server_side_and_sends_large_files_in_parts(seaweedfs):
    store = s3_store(seaweedfs)
    small = store.put(io.BytesIO(b"small original"))
    head = store.client.head_object(Bucket=store.bucket, Key=store._key(small.sha256),
                                    ChecksumMode="ENABLED")
    assert base64.b64decode(head["ChecksumSHA256"]).hex() == small.sha256
    data = hashlib.sha256(b"seed").digest() * ((MULTIPART_THRESHOLD + 5_000_000) // 32)
    large = store.put(io.BytesIO(data))
    head = store.client.head_object(Bucket=store.bucket, Key=store._key(large.sha256))
    assert head["ETag"].endswith('-3"')  # three parts of 8 MB
    assert store.read(large.sha256) == data
    assert store.unfinished() == []


def test_a_store_without_additional_checksums_gets_content_md5(seaweedfs):
    store = S3BlobStore.from_url(seaweedfs.url(prefix=f"t{next(_prefixes)}") + "&checksum=md5")
    store.ensure_bucket()
    data = hashlib.sha256(b"md5").digest() * ((MULTIPART_THRESHOLD + 32) // 32)
    for content in (b"small original", data):
        blob = store.put(io.BytesIO(content))
        assert store.read(blob.sha256) == content
        head = store.client.head_object(Bucket=store.bucket, Key=store._key(blob.sha256),
                                        ChecksumMode="ENABLED")
        assert "ChecksumSHA256" not in head
    with pytest.raises(ValueError):
        S3BlobStore.from_url(seaweedfs.url() + "&checksum=crc")


def test_pre_signed_links_only_when_the_setting_allows(seaweedfs, tmp_path):
    assert LocalBlobStore(tmp_path).browser_url("a" * 64, "x.pdf", "application/pdf") is None
    assert s3_store(seaweedfs).browser_url("a" * 64, "x.pdf", "application/pdf") is None
    store = open_store(seaweedfs.url(prefix="signed"), presign_seconds=60)
    store.ensure_bucket()
    blob = store.put(io.BytesIO(b"%PDF-1.4 original"))
    url = store.browser_url(blob.sha256, "bien-ban.pdf", "application/pdf")
    assert "X-Amz-Expires=60" in url
    with urllib.request.urlopen(url) as answer:  # noqa: S310 - the test server's http URL
        assert answer.read() == b"%PDF-1.4 original"
        assert answer.headers["Content-Type"] == "application/pdf"
        assert 'filename="bien-ban.pdf"' in answer.headers["Content-Disposition"]


def _listening(pid: int) -> list[str]:
    """The local addresses (hex, as /proc/net shows them) of the process's listening sockets."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    found = []
    for table in ("tcp", "tcp6", "udp", "udp6"):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            listening = fields[3] == "0A" or table.startswith("udp")
            if fields[9] in inodes and listening:
                found.append(fields[1].split(":")[0])
    return found


def test_the_test_server_listens_on_loopback_only(seaweedfs):
    addresses = _listening(seaweedfs.process.pid)
    assert addresses and set(addresses) == {"0100007F"}, addresses  # 127.0.0.1
