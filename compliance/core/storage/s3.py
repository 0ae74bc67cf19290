"""Blobs in an S3-compatible object store (SeaweedFS, MinIO, Ceph, Amazon S3).

`COMPLIANCE_STORAGE_URL=s3://bucket/prefix?endpoint=http://host:port&region=…`. The
credentials come from the standard AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_PROFILE, an instance role), never from the URL, which is shown in logs and on pages.
Keys are `<prefix>/<aa>/<bb>/<sha256>`, the local store's layout.

The key is the content's hash, known only once the whole upload has been read: an upload is
spooled to an anonymous temporary file while it is hashed, then sent in one PUT whose SHA-256
the store checks (ChecksumSHA256) or, past MULTIPART_THRESHOLD, in parts of PART_SIZE, each
checked by the store. Memory stays at one part whatever the size; a crash leaves no spool
file behind (it has no name) and at most an unfinished multipart upload, which the storage
check lists and removes.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
import tempfile
from collections.abc import Iterator
from datetime import datetime
from itertools import count
from typing import BinaryIO
from urllib.parse import parse_qs, urlsplit

from compliance.core.clock import utcnow
from compliance.core.storage.base import (
    CHUNK,
    SHA256_HEX,
    BlobCorrupted,
    CheckedReader,
    StoredBlob,
    Unfinished,
    too_large,
)

PART_SIZE = 8 * 1024 * 1024
MULTIPART_THRESHOLD = 16 * 1024 * 1024
# Metadata set by a put of content already held (see _touch).
STORED_AT = "stored-at"
_HELD = re.compile(r"^([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$")


def store_errors() -> tuple[type[Exception], ...]:
    """What boto3 raises when the store cannot be reached or refuses (for `except`, which
    evaluates this only when something was raised: boto3 stays unimported otherwise)."""
    from botocore.exceptions import BotoCoreError, ClientError

    return BotoCoreError, ClientError


def _b64(digest) -> str:
    return base64.b64encode(digest.digest()).decode("ascii")


def _missing(error) -> bool:
    code = error.response.get("Error", {}).get("Code", "")
    return code in ("404", "NoSuchKey", "NotFound")


class S3BlobStore:
    """Blobs in one bucket, under one prefix."""

    def __init__(self, bucket: str, prefix: str = "", *, endpoint: str | None = None,
                 region: str | None = None, public_endpoint: str | None = None,
                 presign_seconds: int = 0, checksum: str = "sha256"):
        # boto3 takes half a second to import: only an installation that uses S3 pays it.
        import boto3.session
        from botocore.config import Config

        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.presign_seconds = presign_seconds
        if checksum not in ("sha256", "md5"):
            raise ValueError(f"checksum={checksum}: sha256 or md5")
        # sha256: the store checks our content address itself (S3's additional checksums);
        # md5: for a store that does not offer them, Content-MD5, which every S3 store checks.
        self.checksum = checksum
        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": "path" if endpoint else "auto"},
            retries={"max_attempts": 5, "mode": "standard"},
            # Our own SHA-256 is sent where it counts; no second checksum computed besides.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required")
        # A session of its own: the credentials are read when the store is made, not once
        # per process by boto3's default session.
        session = boto3.session.Session()
        self.client = session.client("s3", endpoint_url=endpoint, region_name=region,
                                     config=config)
        # The signature covers the host: a browser-facing address signs with its own client.
        self._signer = session.client("s3", endpoint_url=public_endpoint, region_name=region,
                                      config=config) if public_endpoint else self.client

    @classmethod
    def from_url(cls, url: str, presign_seconds: int = 0) -> S3BlobStore:
        """The store an `s3://bucket/prefix?endpoint=…&region=…&public_endpoint=…` names."""
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError(f"not an s3://bucket/prefix URL: {url}")
        query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        return cls(parts.netloc, parts.path, endpoint=query.get("endpoint"),
                   region=query.get("region"), public_endpoint=query.get("public_endpoint"),
                   presign_seconds=presign_seconds, checksum=query.get("checksum", "sha256"))

    def __repr__(self) -> str:
        return f"S3BlobStore(s3://{self.bucket}/{self.prefix} at {self.client.meta.endpoint_url})"

    def _key(self, sha256: str) -> str:
        if not SHA256_HEX.match(sha256 or ""):
            raise ValueError("not a SHA-256 hex digest")
        name = f"{sha256[:2]}/{sha256[2:4]}/{sha256}"
        return f"{self.prefix}/{name}" if self.prefix else name

    def _head(self, sha256: str) -> dict:
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self.bucket, Key=self._key(sha256))
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(sha256) from error
            raise

    # --- writing ---------------------------------------------------------------------------

    def put(self, stream: BinaryIO, max_bytes: int | None = None) -> StoredBlob:
        """Hash the stream into a spool file, then send it unless the store holds it."""
        with tempfile.TemporaryFile() as spool:
            digest, size = hashlib.sha256(), 0
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise too_large(max_bytes)
                digest.update(chunk)
                spool.write(chunk)
            sha256 = digest.hexdigest()
            if self.exists(sha256):
                self._touch(sha256)
            else:
                spool.seek(0)
                if size <= MULTIPART_THRESHOLD:
                    data = spool.read()  # at most 16 MB
                    self.client.put_object(Bucket=self.bucket, Key=self._key(sha256),
                                           Body=data, Metadata=self._stamp(),
                                           **self._checksum(data))
                else:
                    self._send_in_parts(self._key(sha256), spool)
        return StoredBlob(sha256, size)

    def _send_in_parts(self, key: str, spool: BinaryIO) -> None:
        algorithm = {"ChecksumAlgorithm": "SHA256"} if self.checksum == "sha256" else {}
        upload = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=key, Metadata=self._stamp(), **algorithm)["UploadId"]
        try:
            parts = []
            for number in count(1):
                data = spool.read(PART_SIZE)
                if not data:
                    break
                checksum = self._checksum(data)
                answer = self.client.upload_part(
                    Bucket=self.bucket, Key=key, UploadId=upload, PartNumber=number,
                    Body=data, **checksum)
                checksum.pop("ContentMD5", None)  # not a field of the completed part
                parts.append({"PartNumber": number, "ETag": answer["ETag"], **checksum})
            self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload,
                MultipartUpload={"Parts": parts})
        except BaseException:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload)
            raise

    def _checksum(self, data: bytes) -> dict[str, str]:
        """The header by which the store checks what it received."""
        if self.checksum == "sha256":
            return {"ChecksumSHA256": _b64(hashlib.sha256(data))}
        return {"ContentMD5": _b64(hashlib.md5(data, usedforsecurity=False))}

    def _touch(self, sha256: str) -> None:
        # A fresh time on known content (see LocalBlobStore.put): copied onto itself.
        key = self._key(sha256)
        self.client.copy_object(
            Bucket=self.bucket, Key=key, CopySource={"Bucket": self.bucket, "Key": key},
            MetadataDirective="REPLACE", Metadata=self._stamp())

    @staticmethod
    def _stamp() -> dict[str, str]:
        # The app's clock beside the store's: ages are read on the clock the app keeps.
        return {STORED_AT: utcnow().isoformat(timespec="seconds")}

    # --- reading ---------------------------------------------------------------------------

    def _body(self, sha256: str):
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(sha256))["Body"]
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(sha256) from error
            raise

    def open(self, sha256: str) -> BinaryIO:
        """The blob as a stream from the store; reading to its end checks its hash."""
        return CheckedReader(self._body(sha256), sha256)

    def read(self, sha256: str) -> bytes:
        """The blob's bytes, after checking they still match their hash."""
        body = self._body(sha256)
        try:
            data = body.read()
        finally:
            body.close()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BlobCorrupted(sha256)
        return data

    def exists(self, sha256: str) -> bool:
        """Whether the blob is held."""
        try:
            self._head(sha256)
        except FileNotFoundError:
            return False
        return True

    def size(self, sha256: str) -> int:
        """The blob's size in bytes."""
        return int(self._head(sha256)["ContentLength"])

    def age(self, sha256: str) -> float:
        """Seconds since the blob was last stored: its time in the store, or the app's time
        of the last put of the same content, whichever is later."""
        head = self._head(sha256)
        stored = head["LastModified"]
        with contextlib.suppress(KeyError, ValueError):
            stored = max(stored, datetime.fromisoformat(head["Metadata"][STORED_AT]))
        return max(0.0, (utcnow() - stored).total_seconds())

    def held(self) -> Iterator[str]:
        """The digest of every blob under the prefix, in order."""
        start = f"{self.prefix}/" if self.prefix else ""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=start)
        for page in pages:
            for entry in page.get("Contents", []):
                found = _HELD.match(entry["Key"][len(start):])
                if found and found[3].startswith(found[1] + found[2]):
                    yield found[3]

    def remove(self, sha256: str) -> None:
        """Delete one blob (only ever an orphan: no record refers to it)."""
        self.client.delete_object(Bucket=self.bucket, Key=self._key(sha256))

    def _uploads(self) -> list[dict]:
        start = f"{self.prefix}/" if self.prefix else ""
        answer = self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=start)
        return answer.get("Uploads", [])

    def unfinished(self) -> list[Unfinished]:
        """Multipart uploads begun and never completed nor aborted (a crash mid-upload)."""
        now = utcnow()
        return [Unfinished(upload["UploadId"], 0,
                           max(0.0, (now - upload["Initiated"]).total_seconds()))
                for upload in self._uploads()]

    def remove_unfinished(self, name: str) -> None:
        """Abort one of those uploads (by its id), freeing the parts it left."""
        for upload in self._uploads():
            if upload["UploadId"] == name:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=upload["Key"],
                                                   UploadId=name)

    def browser_url(self, sha256: str, filename: str, mimetype: str) -> str | None:
        """A pre-signed GET, valid for presign_seconds, when browsers may reach the store."""
        if not self.presign_seconds:
            return None
        return self._signer.generate_presigned_url("get_object", ExpiresIn=self.presign_seconds,
                                                   Params={
            "Bucket": self.bucket, "Key": self._key(sha256),
            "ResponseContentType": mimetype,
            "ResponseContentDisposition": f'attachment; filename="{filename}"'})

    def ensure_bucket(self) -> None:
        """Create the bucket if it is not there (set-up and tests; production makes its own)."""
        from botocore.exceptions import ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError:
            self.client.create_bucket(Bucket=self.bucket)
