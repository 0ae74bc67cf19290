"""A 200 MB file up to and back from the S3 store raises the process's peak memory by less
than 50 MB: both ways stream (spool file and 8 MB parts up, chunks down). Measured in a child
process of its own, whose peak (VmHWM) only this transfer can raise."""

from __future__ import annotations

import json
import subprocess
import sys

SIZE_MB = 200
CHILD = """
import hashlib, io, json, os, sys
from compliance.core.storage import S3BlobStore

def peak_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

class Generated(io.RawIOBase):
    # SIZE bytes made on the fly, never all in memory: a random block, numbered per chunk.
    def __init__(self, size):
        self.left, self.block, self.n = size, os.urandom(1 << 20), 0
    def readable(self):
        return True
    def read(self, size=-1):
        if self.left <= 0:
            return b""
        self.n += 1
        chunk = (self.n.to_bytes(8, "big") + self.block[8:])[:min(size, self.left)]
        self.left -= len(chunk)
        return chunk

store = S3BlobStore.from_url(sys.argv[1])
store.ensure_bucket()
store.read(store.put(io.BytesIO(b"warm-up")).sha256)  # boto3's own memory, once
before = peak_kb()
blob = store.put(Generated(int(sys.argv[2]) << 20))
digest, size = hashlib.sha256(), 0
with store.open(blob.sha256) as stream:
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
print(json.dumps({"growth_mb": (peak_kb() - before) / 1024, "size": size,
                  "same": digest.hexdigest() == blob.sha256 and size == blob.size}))
"""


def test_a_large_file_streams_both_ways_in_bounded_memory(seaweedfs):
    done = subprocess.run([sys.executable, "-c", CHILD, seaweedfs.url(prefix="memory"),
                           str(SIZE_MB)], capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    measured = json.loads(done.stdout)
    assert measured["same"] and measured["size"] == SIZE_MB << 20
    assert measured["growth_mb"] < 50, measured
