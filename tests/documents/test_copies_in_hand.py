"""Copies in readers' hands: a reading is confirmed only once the reader opened the revision
(a setting relaxes it), the coverage page says who opened what and when, and the holders of
controlled copies of a superseded revision are asked to destroy or return them."""

from __future__ import annotations

import re

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.config import from_environment
from compliance.core.extensions import db
from compliance.documents.models import Acknowledgement, CopyRecall, Revision
from tests.documents.helpers import document_target, pdf_bytes, upload_data
from tests.factories import PASSWORD
from tests.notifications.helpers import raised, sentence


def _client(app, login, user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(client, user.email)
    return client


def _events(app, action: str) -> int:
    with app.app_context():
        return len(db.session.scalars(select(AuditEvent.seq).where(
            AuditEvent.action == action)).all())


def _office(make):
    dept = make.department(code="TNMT")
    return (dept, make.user(name="Tác Giả", departments=[(dept.id, "department_head")]),
            make.user(name="Người Đọc", departments=[(dept.id, "staff")]),
            make.user(name="Người Khác", departments=[(dept.id, "staff")]),
            make.user(name="Thư Ký", roles=["coordinator"]))


# 18. Reading acknowledgement needs the copy opened.

def test_a_reading_is_confirmed_only_after_the_reader_opened_the_revision(app, make, login):
    dept, author, reader, other, coordinator = _office(make)
    target = document_target(app, dept.id, author.id, readers=[reader.id, other.id])
    client = _client(app, login, reader)
    base = f"/documents/{target.document_id}/revisions/{target.revision_id}"
    page = client.get(f"/documents/{target.document_id}").get_data(as_text=True)
    assert 'data-testid="open-first"' in page and f'action="{base}/acknowledge"' not in page
    assert 'data-testid="open-first"' in client.get("/documents/to-read").get_data(as_text=True)
    refused = client.post(f"{base}/acknowledge")
    assert refused.status_code == 409
    body = refused.get_data(as_text=True)
    assert re.search(r'data-testid="acknowledge-refused">Open the revision first', body)
    with app.app_context():
        request = db.session.scalar(select(Acknowledgement).where(
            Acknowledgement.user_id == reader.id))
        assert request.acknowledged_at is None
    assert _events(app, "revision.acknowledge") == 0

    matrix_url = f"/documents/coverage?department={dept.id}"
    matrix = _client(app, login, coordinator)
    cell = f'data-testid="opened-{target.revision_id}-{reader.id}">'
    assert cell + "not opened" in matrix.get(matrix_url).get_data(as_text=True)
    assert client.get(f"{base}/download").status_code == 200
    page = client.get(f"/documents/{target.document_id}").get_data(as_text=True)
    assert f'action="{base}/acknowledge"' in page and 'data-testid="open-first"' not in page
    assert client.post(f"{base}/acknowledge").status_code == 302
    shown = matrix.get(matrix_url).get_data(as_text=True)
    assert re.search(re.escape(cell) + r"opened \d+ [A-Z][a-z]+ \d{4}", shown)
    assert f'data-testid="opened-{target.revision_id}-{other.id}">not opened' in shown
    assert "✔" in shown and shown.count("pending") == 1


def test_an_organisation_may_let_readers_confirm_without_opening(app, make, login):
    assert from_environment({"COMPLIANCE_READING_REQUIRES_OPENING": "false"}) == {
        "READING_REQUIRES_OPENING": False}
    dept, author, reader, _other, _coordinator = _office(make)
    target = document_target(app, dept.id, author.id, readers=[reader.id])
    app.config["READING_REQUIRES_OPENING"] = False
    client = _client(app, login, reader)
    url = f"/documents/{target.document_id}/revisions/{target.revision_id}/acknowledge"
    assert f'action="{url}"' in client.get("/documents/to-read").get_data(as_text=True)
    assert client.post(url).status_code == 302
    assert _events(app, "revision.acknowledge") == 1


# 19. Superseded copies are recalled from their holders.

def _supersede(app, login, author, coordinator, document_id: int, number: int = 2) -> int:
    """A new revision uploaded, submitted and approved through the pages; returns its id."""
    writer, approver = _client(app, login, author), _client(app, login, coordinator)
    assert writer.post(f"/documents/{document_id}/revisions/new",
                       data=upload_data(pdf_bytes("Nội dung sửa đổi"), summary=f"Lần {number}"),
                       content_type="multipart/form-data").status_code == 302
    with app.app_context():
        new = db.session.scalar(select(Revision.id).where(Revision.document_id == document_id,
                                                          Revision.number == number))
    assert writer.post(f"/documents/{document_id}/revisions/{new}/submit").status_code == 302
    assert approver.post(f"/documents/{document_id}/revisions/{new}/sign",
                         data={"meaning": "approved", "password": PASSWORD}).status_code == 302
    return new


def test_holders_of_a_superseded_copy_are_asked_to_destroy_or_return_it(app, make, login):
    dept, author, reader, other, coordinator = _office(make)
    target = document_target(app, dept.id, author.id, readers=[reader.id, other.id])
    holder = _client(app, login, reader)
    old = f"/documents/{target.document_id}/revisions/{target.revision_id}"
    assert holder.get(f"{old}/download").status_code == 200
    assert _client(app, login, other).get(f"{old}/download").status_code == 200
    second = _supersede(app, login, author, coordinator, target.document_id)

    with app.app_context():
        recalls = {r.user_id: r.id for r in db.session.scalars(select(CopyRecall))}
    assert set(recalls) == {reader.id, other.id}  # the author never took a copy
    (note,) = raised(app, kind="copy_recalled", user_id=reader.id)
    assert note.link == f"/documents/old-copies#copy-{recalls[reader.id]}"
    text = sentence(app, note, "en")
    assert target.code in text and "revision 01" in text and "revision 02" in text
    home = holder.get("/").get_data(as_text=True)
    assert 'data-testid="work-recall"' in home and target.code in home

    url = f"/documents/old-copies/{recalls[reader.id]}"
    page = holder.get("/documents/old-copies").get_data(as_text=True)
    assert f'action="{url}"' in page and f'old-copies/{recalls[other.id]}"' not in page
    assert holder.post(url, data={"answer": "burnt"}).status_code == 400
    assert holder.post(f"/documents/old-copies/{recalls[other.id]}",
                       data={"answer": "destroyed"}).status_code == 404
    assert holder.post(url, data={"answer": "destroyed",
                                  "note": "Đã hủy bằng máy hủy giấy"}).status_code == 302
    assert holder.post(url, data={"answer": "returned"}).status_code == 409
    assert 'data-testid="work-recall"' not in holder.get("/").get_data(as_text=True)
    assert _events(app, "revision.copy_destroyed") == 1

    # The coordinator sees the answers on the copies issued, and who has not answered.
    page = _client(app, login, coordinator).get(
        f"/documents/{target.document_id}").get_data(as_text=True)
    issued = page[page.index('data-testid="copies-issued"'):]
    assert "Destroyed" in issued and "Đã hủy bằng máy hủy giấy" in issued
    assert "Not answered yet" in issued
    waiting = re.search(r'data-testid="recall-unanswered">(.*?)</div>', page, re.S).group(1)
    assert "Người Khác" in waiting and "Người Đọc" not in waiting
    # Revision 03: nobody is asked about 01 again, and of 02 only who took a copy while it
    # was in force (a copy of 01 taken now bears SUPERSEDED and is not recalled).
    assert _client(app, login, other).get(
        f"/documents/{target.document_id}/revisions/{second}/download").status_code == 200
    assert _client(app, login, coordinator).get(f"{old}/download").status_code == 200
    _supersede(app, login, author, coordinator, target.document_id, number=3)
    with app.app_context():
        asked = sorted((r.revision_id, r.user_id) for r in db.session.scalars(select(CopyRecall)))
    assert asked == sorted([(target.revision_id, reader.id), (target.revision_id, other.id),
                            (second, other.id)])
