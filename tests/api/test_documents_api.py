"""Issue 15: the documents through the API, as the register and document pages show them:
the register (full-text search, filters, sort, cursor), metadata, revisions, a controlled
copy, a new draft, submission with If-Match, approval refused with a link to the page; and
the public register without a token."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from compliance.core.extensions import db
from compliance.documents import search
from compliance.documents.models import Document, DownloadLog
from tests.api.helpers import bearer
from tests.documents.helpers import blank_pdf, document_target

VI = {"Accept-Language": "vi"}


def _walk(api, url: str, headers: dict) -> list[int]:
    seen = []
    while url:
        answer = api.get(url, headers=headers)
        assert answer.status_code == 200, answer.json
        seen += [row["id"] for row in answer.json]
        link = answer.headers.get("Link")
        url = re.search(r"<([^>]+)>", link).group(1) if link else None
    return seen


def _index(app, document_id: int, title: str) -> None:
    with app.app_context():
        document = db.session.get(Document, document_id)
        document.title_vi = title
        search.index_document(document)
        db.session.commit()


def test_the_register_a_document_its_revisions_and_a_controlled_copy(app, make):
    own, other = make.department(), make.department()
    author = make.user(roles=["coordinator"])
    pdf = blank_pdf()
    in_force = document_target(app, own.id, author.id, content=pdf)
    draft = document_target(app, own.id, author.id, state="draft", content=pdf)
    elsewhere = document_target(app, other.id, author.id, public=False, content=pdf)
    _index(app, in_force.document_id, "Quy trình tiếp nhận hồ sơ đất đai")
    api, headers = app.test_client(), bearer(app, author.id)
    every = [in_force.document_id, draft.document_id, elsewhere.document_id]
    assert _walk(api, "/api/v1/documents/?limit=1", headers) == every  # code order
    assert _walk(api, "/api/v1/documents/?limit=2&sort=-code", headers) == every[::-1]
    assert _walk(api, "/api/v1/documents/?status=draft", headers) == [draft.document_id]
    assert _walk(api, f"/api/v1/documents/?department={other.id}",
                 headers) == [elsewhere.document_id]
    # The register page's full-text search: tones aside, by a word of the title.
    assert _walk(api, "/api/v1/documents/?q=dat+dai", headers) == [in_force.document_id]
    row = api.get("/api/v1/documents/?q=dat+dai", headers=headers).json[0]
    assert (row["code"], row["label"], row["department_code"]) == (in_force.code, "01",
                                                                    own.code)
    one = api.get(f"/api/v1/documents/{in_force.document_id}", headers=headers)
    assert one.json["code"] == in_force.code and one.json["is_public"] is True
    assert one.headers["ETag"] == f'"document-{in_force.document_id}-{one.json["version"]}"'
    revisions = api.get(f"/api/v1/documents/{in_force.document_id}/revisions/",
                        headers=headers).json
    assert [r["id"] for r in revisions] == [in_force.revision_id]
    assert "download" in revisions[0]["actions"]
    base = f"/api/v1/documents/{in_force.document_id}/revisions/{in_force.revision_id}"
    copy = api.get(base + "/download", headers=headers)
    assert copy.status_code == 200 and copy.data.startswith(b"%PDF")
    assert copy.data != pdf  # stamped for its reader
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DownloadLog).where(
            DownloadLog.revision_id == in_force.revision_id,
            DownloadLog.user_id == author.id)) == 1
    # Staff read what is in force in their department: the rest is not known to exist.
    staff = bearer(app, make.user(departments=[(own.id, "staff")]).id)
    assert _walk(api, "/api/v1/documents/", staff) == [in_force.document_id]
    for hidden in (elsewhere, draft):
        answer = api.get(f"/api/v1/documents/{hidden.document_id}", headers=staff)
        assert answer.status_code == 404 and answer.json["error"]["code"] == "not_found"
    assert api.get(base + "/download", headers=staff).status_code == 200
    reviews = f"/api/v1/documents/{in_force.document_id}/reviews/"
    assert api.get(reviews, headers=staff).json == []
    # The periodic review, as its owner records it on the page (staff may not).
    kept = {"outcome": "no_change", "comment": "Còn phù hợp"}
    assert api.post(reviews, json=kept, headers=staff).status_code == 403
    empty = api.post(reviews, json={**kept, "comment": ""}, headers=headers)
    assert empty.status_code == 422 and empty.json["error"]["field"] == "comment"
    recorded = api.post(reviews, json=kept, headers=headers)
    assert recorded.status_code == 201, recorded.json
    assert recorded.json["outcome"] == "no_change" and recorded.json["next_review_date"]
    assert [r["id"] for r in api.get(reviews, headers=staff).json] == [recorded.json["id"]]


def test_a_reader_acknowledges_once_having_opened_the_revision(app, make):
    department = make.department()
    author = make.user(roles=["coordinator"])
    reader = make.user(departments=[(department.id, "staff")])
    document = document_target(app, department.id, author.id, content=blank_pdf(),
                               readers=[reader.id])
    api, headers = app.test_client(), bearer(app, reader.id, **VI)
    base = f"/api/v1/documents/{document.document_id}/revisions/{document.revision_id}"
    unopened = api.post(base + "/acknowledge", headers=headers)
    assert unopened.status_code == 409 and unopened.json["error"]["code"] == "open_first"
    assert api.get(base + "/download", headers=headers).status_code == 200
    done = api.post(base + "/acknowledge", headers=headers)
    assert done.status_code == 200 and done.json["acknowledged_at"]
    again = api.post(base + "/acknowledge", headers=headers)
    assert again.json["acknowledged_at"] == done.json["acknowledged_at"]
    # The author was never asked.
    asked_not = api.post(base + "/acknowledge", headers=bearer(app, author.id))
    assert asked_not.status_code == 404


def test_a_draft_is_uploaded_submitted_with_if_match_and_never_approved(app, make):
    department = make.department()
    author = make.user(roles=["coordinator"])
    document = document_target(app, department.id, author.id, content=blank_pdf())
    api, headers = app.test_client(), bearer(app, author.id)
    revisions = f"/api/v1/documents/{document.document_id}/revisions/"
    unsummarised = api.post(revisions, headers=headers, data={
        "file": (io.BytesIO(blank_pdf(2)), "ban-moi.pdf")})
    assert unsummarised.status_code == 422
    assert unsummarised.json["error"]["field"] == "change_summary"
    not_a_pdf = api.post(revisions, headers=headers, data={
        "file": (io.BytesIO(b"hello"), "ban-moi.pdf"), "change_summary": "Sửa đổi"})
    assert not_a_pdf.status_code == 415  # the page's upload checks: not a file it takes
    assert not_a_pdf.json["error"]["code"] == "unsupported_media_type"
    uploaded = api.post(revisions, headers=headers, data={
        "file": (io.BytesIO(blank_pdf(2)), "ban-moi.pdf"), "change_summary": "Sửa đổi"})
    assert uploaded.status_code == 201, uploaded.json
    assert (uploaded.json["number"], uploaded.json["status"]) == (2, "draft")
    assert "submit" in uploaded.json["actions"]
    one = f"{revisions}{uploaded.json['id']}"
    etag = api.get(one, headers=headers).headers["ETag"]
    assert etag == uploaded.headers["ETag"]
    missing = api.post(one + "/submit", headers=headers)
    assert missing.status_code == 428
    submitted = api.post(one + "/submit", headers={**headers, "If-Match": etag})
    assert submitted.status_code == 200 and submitted.json["status"] == "in_review"
    assert submitted.headers["ETag"] != etag
    stale = api.post(one + "/submit", headers={**headers, "If-Match": etag})
    assert stale.status_code == 412 and stale.json["error"]["code"] == "precondition_failed"
    # A head of another department may not submit it: refused by the rule book first.
    head = bearer(app, make.user(departments=[(make.department().id,
                                               "department_head")]).id)
    assert api.post(one + "/submit", headers={**head, "If-Match": etag}).status_code in (403,
                                                                                         404)
    approve = api.post(one + "/approve", headers=headers)
    assert approve.status_code == 403
    refusal = approve.json["error"]
    assert refusal["code"] == "reauthentication_required"
    assert refusal["link"].endswith(
        f"/documents/{document.document_id}/revisions/{uploaded.json['id']}/sign")


@pytest.mark.one_database
def test_the_public_register_shows_what_the_public_page_shows(app, make):
    first, second = make.department(), make.department()
    author = make.user(roles=["coordinator"])
    pdf = blank_pdf()
    shown = [document_target(app, first.id, author.id, content=pdf),
             document_target(app, second.id, author.id, content=pdf)]
    document_target(app, first.id, author.id, public=False, content=pdf)
    document_target(app, first.id, author.id, state="draft", content=pdf)
    api = app.test_client()  # no token
    listed = api.get("/api/v1/public/documents/").json
    assert [d["code"] for d in listed] == [d.code for d in shown]
    assert listed[0]["download_url"].endswith(f"/{shown[0].code}")
    assert api.get(listed[0]["download_url"]).status_code == 200
    paged = api.get("/api/v1/public/documents/?limit=1")
    assert [d["code"] for d in paged.json] == [shown[0].code]
    after = re.search(r"<([^>]+)>", paged.headers["Link"]).group(1)
    assert [d["code"] for d in api.get(after).json] == [shown[1].code]
    by_department = api.get(f"/api/v1/public/documents/?department={second.id}").json
    assert [d["code"] for d in by_department] == [shown[1].code]
    assert api.get("/api/v1/public/documents/?q=kiem+thu").json == listed
    assert api.get("/api/v1/public/documents/?q=nothing").json == []
    nowhere = api.get("/api/v1/public/documents/?organisation=NOPE")
    assert nowhere.status_code == 404 and nowhere.json["error"]["code"] == "not_found"
