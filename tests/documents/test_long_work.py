"""Long work never holds the write lock: while controlled copies of the largest PDF the
product accepts are being stamped (in the limited render children), another person signs in
at once and nothing answers 500; three anonymous public downloads of a crafted PDF at once
do not stop a sign-in either.

A real threaded server on a file database: the test client runs requests one at a time."""

from __future__ import annotations

import http.client
import threading
import time
from urllib.parse import urlencode

import pytest
from werkzeug.serving import make_server

from compliance.core.pdf import Stamp, stamp_pdf
from tests.documents.helpers import blank_pdf, document_target
from tests.factories import PASSWORD

pytestmark = pytest.mark.slow

# The largest file upload accepts (PDF_MAX_PAGES pages of PDF_MAX_PAGE_SIZES sizes): a copy
# of it renders 20 overlays and merges 2,000 pages, about a second of a render child's work.
# (Before the limits, a 50-size file stamped for seconds in the web process.)
PAGES, SIZES = 2000, 20
DOWNLOADS = 3
SIGN_IN_BUDGET = 1.0  # seconds


def crafted_pdf(sizes: int = SIZES, pages: int | None = None) -> bytes:
    """A tiny PDF of blank pages cycling through `sizes` page sizes."""
    return blank_pdf(sizes, pages)


class Server:
    """The app behind werkzeug's threaded server on a free loopback port."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=30)

    def request(self, method: str, path: str, body: dict | None = None,
                cookie: str | None = None, timeout: float = 120):
        """(status, headers, body bytes) of one request; redirects are not followed."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Host": "localhost"}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if cookie:
            headers["Cookie"] = cookie
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def sign_in(self, email: str) -> tuple[int, str]:
        """Sign in through the form; (status, the session cookie to send back)."""
        status, headers, _body = self.request("POST", "/login",
                                              {"email": email, "password": PASSWORD})
        cookie = headers.get("Set-Cookie", "").split(";", 1)[0]
        return status, cookie


def test_crafted_pdf_takes_a_while_to_stamp():
    """The premise of the test below, measured: stamping the largest file is long work."""
    started = time.perf_counter()
    stamp_pdf(crafted_pdf(pages=PAGES), Stamp(header="QT-T-0001 · 01", footer="test"))
    assert time.perf_counter() - started > 0.5


def _sign_in_during(server: Server, paths: list[tuple[str, str | None]], email: str):
    """Start the downloads at once, sign in while they run; (sign-in status, seconds it
    took, when it answered, [(download status, when it finished, size)])."""
    results: list[tuple[int, float, int]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(paths) + 1)

    def download(path: str, session: str | None) -> None:
        barrier.wait()
        status, _headers, body = server.request("GET", path, cookie=session)
        with lock:
            results.append((status, time.perf_counter(), len(body)))

    threads = [threading.Thread(target=download, args=path) for path in paths]
    for thread in threads:
        thread.start()
    barrier.wait()
    time.sleep(0.5)  # the stamping is under way

    started = time.perf_counter()
    status, _cookie = server.sign_in(email)
    answered = time.perf_counter()

    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a download hung"
    return status, answered - started, answered, results


# SQLite only: its one write lock for the whole database is what long work must not hold
# (PostgreSQL locks rows, and a held transaction there blocks no sign-in); each run stamps
# four copies of the largest file, some 5 s of a render child's work.
@pytest.mark.one_database
def test_sign_in_answers_while_controlled_copies_are_stamped(app, make):
    dept = make.department(code="VP")
    head = make.user(departments=[(dept.id, "department_head")])
    reader = make.user(departments=[(dept.id, "staff")])
    latecomer = make.user(departments=[(dept.id, "staff")])
    target = document_target(app, dept.id, head.id, public=True,
                             content=crafted_pdf(pages=PAGES))
    url = f"/documents/{target.document_id}/revisions/{target.revision_id}/download"

    with Server(app) as server:
        status, cookie = server.sign_in(reader.email)
        assert status == 302 and cookie
        # Three controlled copies, and the public copy anyone may ask for without signing in.
        paths = [(url, cookie)] * DOWNLOADS + [(f"/public/{target.code}", None)]
        status, took, answered, results = _sign_in_during(server, paths, latecomer.email)

    assert status == 302, status
    assert took < SIGN_IN_BUDGET, f"sign-in took {took:.2f} s"
    assert [r[0] for r in results] == [200] * len(paths), results
    # The downloads were still stamping when the sign-in answered: the test saw them overlap.
    assert all(finished > answered for _status, finished, _size in results)


@pytest.mark.one_database  # SQLite's write lock, as above
def test_sign_in_answers_while_anonymous_visitors_ask_for_a_public_copy(app, make):
    """The report's case: three anonymous requests at once for the public copy of a crafted
    file made another person's sign-in fail with a 500."""
    dept = make.department(code="VP")
    head = make.user(departments=[(dept.id, "department_head")])
    latecomer = make.user(departments=[(dept.id, "staff")])
    target = document_target(app, dept.id, head.id, public=True,
                             content=crafted_pdf(pages=PAGES))
    path = f"/public/{target.code}"

    with Server(app) as server:
        status, took, answered, results = _sign_in_during(server, [(path, None)] * 3,
                                                          latecomer.email)
        # Made at most once per request that raced for it, then read back.
        started = time.perf_counter()
        again, _headers, _body = server.request("GET", path)
        reread = time.perf_counter() - started

    assert status == 302, status
    assert took < SIGN_IN_BUDGET, f"sign-in took {took:.2f} s"
    assert [r[0] for r in results] == [200] * 3, results
    assert any(finished > answered for _status, finished, _size in results)
    assert again == 200 and reread < 3, f"the kept copy took {reread:.2f} s"  # stamping: 17 s
    from sqlalchemy import func, select

    from compliance.core.extensions import db
    from compliance.documents.models import RevisionCopy

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RevisionCopy)) == 1


def test_controlled_copy_downloads_are_logged_after_stamping(app, make, login):
    from sqlalchemy import func, select

    from compliance.core.extensions import db
    from compliance.documents.models import DownloadLog

    dept = make.department(code="VP")
    head = make.user(departments=[(dept.id, "department_head")])
    target = document_target(app, dept.id, head.id, public=True, content=crafted_pdf(3))
    client = app.test_client()
    login(client, head.email)
    url = f"/documents/{target.document_id}/revisions/{target.revision_id}/download"
    assert client.get(url).status_code == 200
    assert client.get(f"/public/{target.code}").status_code == 200
    with app.app_context():
        kinds = db.session.execute(select(DownloadLog.kind, func.count())
                                   .group_by(DownloadLog.kind)).all()
    assert dict(kinds) == {"controlled": 1, "public": 1}
