"""Nothing acknowledged is lost: a real server process is killed with SIGKILL at random
moments while a client uploads revisions, submits them and signs them; after every kill
each answered request is found whole, and nothing half-written is.

SQLite only: what a kill can break is the app's own order of writes (the file, then the
commit of its row and trail event) and SQLite's WAL file recovery; PostgreSQL's durability
is the server's, not the app's. The app is built once; each round forks a server child from
it (milliseconds, against seconds to start Python), serving on a fresh socket on 127.0.0.1.
"""

from __future__ import annotations

import gc
import hashlib
import http.client
import io
import json
import os
import random
import secrets
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from compliance.audit_trail.models import AuditEvent
from compliance.audit_trail.services import named_files, verify
from compliance.core.extensions import db
from compliance.core.storage import get_store
from compliance.core.storage_check import check
from compliance.documents.models import Approval, Document, Revision
from tests import forked_server
from tests.conftest import Maker, do_login, make_app, pdf_rendered_in_process
from tests.documents.helpers import create_document
from tests.factories import PASSWORD
from tests.test_backup import blank_pdf

pytestmark = pytest.mark.slow
ROUNDS = int(os.environ.get("CRASH_ROUNDS", "100"))
DOCUMENTS = 3
SEED = 20261201


@dataclass
class Acknowledged:
    """What the server answered with success, over all rounds."""

    uploads: set[tuple[int, str]] = field(default_factory=set)   # (document, sha256)
    submits: set[int] = field(default_factory=set)               # revision ids
    signs: set[int] = field(default_factory=set)                 # revision ids
    sent: int = 0
    cut_short: Counter = field(default_factory=Counter)         # the step each kill broke
    failures: list[str] = field(default_factory=list)            # answers other than 302

    @property
    def count(self) -> int:
        return len(self.uploads) + len(self.submits) + len(self.signs)


class Pace:
    """How long requests take here (the first of a fresh child, and the others): the kill
    falls at a random moment within a request, whatever the machine's speed."""

    def __init__(self):
        self.first, self.later = [0.2], [0.06]

    def window(self, answered: int) -> float:
        """The expected length of the request after `answered` answers in this round."""
        seen = sorted((self.first if answered == 0 else self.later)[-25:])
        return seen[len(seen) // 2]


class Stream:
    """One round's client: how many answers came, and whether the server is gone."""

    def __init__(self):
        self.answered, self.gone = 0, False
        self.changed = threading.Condition()

    def note(self, gone: bool = False) -> None:
        with self.changed:
            self.answered += not gone
            self.gone = self.gone or gone
            self.changed.notify_all()


class Browser:
    """A signed-in person over plain HTTP (http.client, a new connection per request)."""

    def __init__(self, port: int, cookie: str):
        self.port, self.cookie = port, cookie

    def post(self, path: str, fields: dict, upload: bytes | None = None) -> int:
        boundary = "crash" + secrets.token_hex(8)
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                 .encode() for k, v in fields.items()]
        if upload is not None:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                         f'filename="ban.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
                         .encode() + upload + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("POST", path, body=body, headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Cookie": f"compliance_session={self.cookie}"})
            response = conn.getresponse()
            response.read()
            return response.status
        finally:
            conn.close()


def _latest(db_file: str, document_id: int) -> tuple[int, str] | None:
    with sqlite3.connect(db_file, timeout=30) as conn:
        return conn.execute("SELECT id, status FROM revision WHERE document_id = ? "
                            "ORDER BY number DESC LIMIT 1", (document_id,)).fetchone()


def _step(world, author: Browser, approver: Browser, acked: Acknowledged,
          rng: random.Random) -> int:
    """The next step of a random document: upload a new draft, submit it, or sign it."""
    document_id = rng.choice(world.documents)
    latest = _latest(world.db_file, document_id)
    base = f"/documents/{document_id}/revisions"
    acked.sent += 1
    if latest is None or latest[1] == "effective":
        world.step = "upload"
        world.width += 1
        content = blank_pdf(world.width)
        status = author.post(f"{base}/new", {"change_summary": f"Lần {world.width}"}, content)
        if status == 302:
            acked.uploads.add((document_id, hashlib.sha256(content).hexdigest()))
    elif latest[1] == "draft":
        world.step = "submit"
        status = author.post(f"{base}/{latest[0]}/submit", {})
        if status == 302:
            acked.submits.add(latest[0])
    else:
        world.step = "sign"
        status = approver.post(f"{base}/{latest[0]}/sign",
                               {"meaning": "approved", "password": PASSWORD})
        if status == 302:
            acked.signs.add(latest[0])
    if status != 302:
        acked.failures.append(f"{status} for the step after {latest}")
    return status


def _client(world, port: int, acked: Acknowledged, pace: Pace, stream: Stream,
            rng: random.Random) -> None:
    """Walk the documents through upload, submit and sign until the server is gone."""
    author, approver = Browser(port, world.author_cookie), Browser(port, world.approver_cookie)
    try:
        while True:
            started = time.perf_counter()
            _step(world, author, approver, acked, rng)
            (pace.first if stream.answered == 0 else pace.later).append(
                time.perf_counter() - started)
            stream.note()
    except (ConnectionRefusedError, ConnectionResetError, http.client.HTTPException, OSError):
        # The server was killed; this request may or may not have committed.
        acked.cut_short[world.step] += 1
        stream.note(gone=True)


def _round(app, world, acked: Acknowledged, pace: Pace, rng: random.Random) -> None:
    """Fork a server child, let the client work, kill the child with SIGKILL mid-request."""
    pid, port = forked_server.start(app)
    stream = Stream()
    client = threading.Thread(target=_client, args=(world, port, acked, pace, stream,
                                                    random.Random(rng.random())))
    client.start()
    # After 0, 1 or 2 answers, at a random moment of the request then in flight.
    answers = rng.choice((0, 0, 1, 2))
    with stream.changed:
        assert stream.changed.wait_for(lambda: stream.answered >= answers or stream.gone,
                                       timeout=60), "the server child does not answer"
    time.sleep(rng.uniform(0, 1.2 * pace.window(answers)))
    forked_server.stop(pid)
    client.join(timeout=60)
    assert not client.is_alive(), "the client hung after the kill"


def _events(action_prefix: str) -> list[dict]:
    rows = db.session.scalars(select(AuditEvent.after_json)
                              .where(AuditEvent.action.startswith(action_prefix)))
    return [json.loads(text) for text in rows]


def _check(app, acked: Acknowledged) -> dict:
    """Everything answered is there, whole; nothing half-written is visible."""
    with app.app_context():
        revisions = db.session.execute(select(
            Revision.id, Revision.document_id, Revision.label, Revision.blob_sha256,
            Revision.status)).all()
        assert acked.uploads <= {(r.document_id, r.blob_sha256) for r in revisions}
        status = {r.id: r.status for r in revisions}
        assert all(status[rid] != "draft" for rid in acked.submits)
        approvals = db.session.execute(select(Approval.revision_id, Approval.signer_name,
                                              Revision.document_id, Revision.label)
                                       .join(Revision)).all()
        assert acked.signs <= {a.revision_id for a in approvals}
        assert all(status[rid] in ("effective", "superseded") for rid in acked.signs)
        # Each row came with its trail event, and each event with its row.
        assert {(r.document_id, r.label) for r in revisions} == {
            (e["document_id"], e["label"]) for e in _events("revision.create")}
        assert {(a.document_id, a.label, a.signer_name) for a in approvals} == {
            (e["document_id"], e["label"], e["signer"]) for e in _events("revision.sign.")}
        in_force = db.session.execute(
            select(Document.id, Document.status,
                   func.count(Revision.id).filter(Revision.status == "effective"))
            .outerjoin(Revision).group_by(Document.id)).all()
        assert all(count == (state == "effective") for _id, state, count in in_force), in_force
        verdict = verify()
        assert verdict.ok, verdict
        # Every file a row names is held and hashes to its name (orphans are harmless).
        report = check(get_store(), db.session, db.metadata, kept=named_files())
        assert report.ok, (report.missing, report.corrupt)
        figures = {"events": verdict.checked, "revisions": len(revisions),
                   "files checked": report.intact, "orphans": len(report.orphans),
                   "unfinished uploads": len(report.unfinished)}
        db.session.remove()
        db.engine.dispose()  # no connection of the parent's may cross the next fork
    return figures


def _warm_up(app, author, approver, document_id: int) -> None:
    """One upload, submit and signature in this process before any fork: what the first
    request of each path loads and compiles, every server child then starts with."""
    base = f"/documents/{document_id}/revisions"
    assert author.post(f"{base}/new", data={"change_summary": "Lần đầu",
                                             "file": (io.BytesIO(blank_pdf(299)), "a.pdf")},
                       content_type="multipart/form-data").status_code == 302
    with app.app_context():
        revision_id = db.session.scalar(select(Revision.id).where(
            Revision.document_id == document_id))
    assert author.post(f"{base}/{revision_id}/submit").status_code == 302
    assert approver.post(f"{base}/{revision_id}/sign", data={
        "meaning": "approved", "password": PASSWORD}).status_code == 302


def test_killed_server_loses_nothing_it_acknowledged(tmp_path):
    app = make_app("sqlite", tmp_path, RATELIMIT_ENABLED=False,
                   STORAGE_PATH=str(tmp_path / "files"))
    make = Maker(app)
    dept = make.department(code="TCKH")
    head = make.user(departments=[(dept.id, "department_head")])
    coordinator = make.user(name="Trần Minh Thư", roles=["coordinator"])
    author, approver = app.test_client(), app.test_client()
    do_login(author, head.email)
    do_login(approver, coordinator.email)
    documents = []
    for _ in range(DOCUMENTS):
        assert create_document(author, dept.id, head.id).status_code == 302
        with app.app_context():
            documents.append(db.session.scalar(select(Document.id).order_by(Document.id.desc())))
    _warm_up(app, author, approver, documents[0])
    world = type("World", (), {})()
    world.documents, world.width, world.step = documents, 300, ""
    world.db_file = str(tmp_path / "test.sqlite")
    world.author_cookie = author.get_cookie("compliance_session").value
    world.approver_cookie = approver.get_cookie("compliance_session").value
    with app.app_context():
        db.session.remove()
        db.engine.dispose()

    rng, acked, pace = random.Random(SEED), Acknowledged(), Pace()
    gc.freeze()  # what the parent built is shared with the children, never collected again
    started = time.perf_counter()
    # Upload checks run in the server child itself: what is tested is what the web process
    # writes and commits, and a fresh render child per forked server (two seconds to start)
    # would be most of the run; the render child keeps its own limit tests.
    with pdf_rendered_in_process():
        for _ in range(ROUNDS):
            _round(app, world, acked, pace, rng)
            figures = _check(app, acked)
    elapsed = time.perf_counter() - started
    # Back to what conftest froze: this test's garbage collectable, the process's own not.
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    result = app.test_cli_runner().invoke(args=["storage", "verify"])
    assert result.exit_code == 0, result.output

    assert acked.failures == []
    print(f"\ncrash test: {ROUNDS} kills in {elapsed:.1f} s; {acked.sent} requests sent, "
          f"{acked.count} acknowledged ({len(acked.uploads)} uploads, {len(acked.submits)} "
          f"submits, {len(acked.signs)} signatures), all found; kills during "
          f"{dict(acked.cut_short)}; {figures}")
    # The kills fell among real work: answers came, and kills broke every kind of step.
    assert acked.count >= ROUNDS // 2
    assert all(acked.cut_short[step] >= ROUNDS // 25 for step in ("upload", "submit", "sign"))
