"""A pack built by the real worker process, parsed back with pypdf."""

from __future__ import annotations

import hashlib
import io
import json
import re
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from compliance.audit_trail.services import record as audit_record
from compliance.auth.models import User
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.documents.models import Approval
from tests.capa.helpers import ca_in_state
from tests.evidence.helpers import (
    doc_in_force,
    download,
    outline_titles,
    request_build,
    text_of,
    wait_for,
)
from tests.quality.measures.helpers import measure, record
from tests.quality.objectives.helpers import objective_with_plan
from tests.quality.risks.helpers import make_risk


def _proved_again(app, signer_id: int, doc) -> None:
    """The trail event of the document's signature, as signing records it (issue 19)."""
    with app.app_context(), write_intent():
        approval = db.session.scalars(select(Approval).where(
            Approval.revision_id == doc.revision_id)).one()
        audit_record(db.session.get(User, signer_id), "revision.sign.approved", "document",
                     doc.document_id, after={"approval_id": approval.id,
                                             "method": "password+totp",
                                             "reauthenticated_at": "2026-02-01T02:00:00+00:00"})
        db.session.commit()


def test_a_department_pack_has_every_section_bookmarks_files_and_manifest(app, make, login):
    mine, other = make.department(code="TCKH"), make.department(code="NV")
    coordinator = make.user(roles=["coordinator"], name="Trần Minh Thư")
    pdf_doc = doc_in_force(app, mine.id, coordinator.id, code="QT-TCKH-01",
                           title="Quy trình thẩm định dự toán ngân sách")
    word_doc = doc_in_force(app, mine.id, coordinator.id, code="HD-TCKH-02",
                            title="Hướng dẫn lập báo cáo", kind="docx")
    doc_in_force(app, other.id, coordinator.id, code="QT-NV-01", title="Quy trình tuyển dụng")
    _proved_again(app, coordinator.id, pdf_doc)
    closed = ca_in_state(app, mine.id, "closed", coordinator_id=coordinator.id,
                         owner_id=coordinator.id)
    # The quality system of the scope, asked for: an objective, a measure's value, a risk
    # (the other department's risk stays out).
    objective_with_plan(app, mine.id, coordinator_id=coordinator.id, owner_id=coordinator.id,
                        year=2026)
    risk = make_risk(app, mine.id, actor_id=coordinator.id, action_owner_id=coordinator.id)
    elsewhere = make_risk(app, other.id, actor_id=coordinator.id)
    people = SimpleNamespace(coordinator=coordinator, recorder=coordinator,
                             process=make.process(mine.id, code="TTHC-TCKH-01"))
    record(app, coordinator.id, measure(app, people, code="KPI-TCKH-01"), "2026-02",
           value=87.5)
    client = app.test_client()
    login(client, coordinator.email)
    pack_id = request_build(client, scope_kind="department", department_id=mine.id,
                            include_quality="y")
    state = wait_for(client, pack_id)
    assert state["status"] == "ready", state
    data = download(client, pack_id)
    assert hashlib.sha256(data).hexdigest() == state["sha256"]
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == state["pages"]

    outline = outline_titles(reader)
    top = [item[0] for item in outline if isinstance(item, tuple)]
    assert top[:2] == ["Cover", "Contents"]
    for title in ("Register of documents in force", "Documents in force",
                  "Audit reports, checklists and findings", "Corrective actions",
                  "Quality objectives, measures and risk register", "Audit trail extract",
                  "Manifest"):
        assert title in top
    children = next(item for item in outline if isinstance(item, list))
    assert [title.split(" · ")[0] for title, _page in children] == ["QT-TCKH-01"]

    text = text_of(data)
    assert "Quy trình thẩm định dự toán ngân sách" in text  # Vietnamese survives intact
    # The register prints how the signer proved who they were again, and when (issue 19).
    assert "Identity proved again by: password and authenticator code, " in " ".join(
        text.split())
    assert "QT-NV-01" not in text and "Quy trình tuyển dụng" not in text
    # The corrective action says who closed it, and when.
    words = " ".join(text.split())
    assert closed.reference in words
    assert re.search(r"Closed by Trần Minh Thư on [^·]{0,20}2026", words), words[-3000:]
    quality = words[words.index("Quality objectives, measures and risk register Quality "
                                "objectives"):words.index("Audit trail extract Every")]
    assert "2026 · TCKH · 100% of dossiers settled on time" in quality  # the English statement
    assert "0 of 1 done" in quality
    assert "KPI-TCKH-01" in quality and "2026-02: 87.5 % · Target 95 % · Target missed" \
        in quality
    assert risk.reference in quality and elsewhere.reference not in quality

    # The contents' page numbers are the outline's pages.
    contents = reader.pages[1].extract_text()
    for title, page in [i for i in outline if isinstance(i, tuple)][2:]:
        assert f"{page}" in contents and title.split(" ")[0] in contents
    assert max(p for t, p in [i for i in outline if isinstance(i, tuple)]) <= len(reader.pages)

    attachments = reader.attachments
    manifest = json.loads(attachments["manifest.json"][0])
    word_name = next(n for n in attachments if n.startswith("HD-TCKH-02"))
    assert hashlib.sha256(attachments[word_name][0]).hexdigest() == word_doc.sha256
    files = {f["code"]: f for f in manifest["files"]}
    assert files["QT-TCKH-01"]["sha256"] == pdf_doc.sha256
    assert files["HD-TCKH-02"]["sha256"] == word_doc.sha256
    assert "QT-NV-01" not in files
    assert manifest["trail_head"]["seq"] >= 1
    assert {k: manifest["counts"][k] for k in ("objectives", "measures", "risks")} == \
        {"objectives": 1, "measures": 1, "risks": 1}
    assert len(manifest["pages"]) == len(reader.pages)


# The PDF's text and outline (the pack's rows run on both databases in the test above).
@pytest.mark.one_database
def test_a_vietnamese_pack_keeps_its_text_and_bookmarks_intact(app, make, login):
    dept = make.department(code="TCKH", name_vi="Phòng Tài chính – Kế hoạch")
    coordinator = make.user(roles=["coordinator"], locale="vi", name="Trần Minh Thư")
    doc_in_force(app, dept.id, coordinator.id, code="QT-TCKH-01",
                 title="Quy trình thẩm định, phê duyệt dự toán")
    client = app.test_client()
    login(client, coordinator.email)
    pack_id = request_build(client, scope_kind="department", department_id=dept.id)
    assert wait_for(client, pack_id)["status"] == "ready"
    data = download(client, pack_id)
    text = text_of(data)
    for phrase in ("Bộ hồ sơ bằng chứng", "Danh mục tài liệu đang có hiệu lực",
                   "Phòng Tài chính – Kế hoạch", "Quy trình thẩm định, phê duyệt dự toán",
                   "Trần Minh Thư", "Ủy ban nhân dân huyện Thanh Bình"):
        assert phrase in text, phrase
    titles = [t for t, _p in [i for i in outline_titles(PdfReader(io.BytesIO(data)))
                              if isinstance(i, tuple)]]
    assert "Nhật ký" in " ".join(titles) and "Mục lục" in titles
