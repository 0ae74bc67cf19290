"""History people can read (issue 16): every recorded event code has a sentence, record pages
show sentences in the reader's language (never JSON or event codes), staff see no document
history, and the step indicator says where a record stands, what blocks it and who acts."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from compliance.audit_trail import readable
from compliance.audit_trail.models import AuditEvent
from compliance.audit_trail.services import record
from compliance.audits.labels import MEETINGS
from compliance.capa.rules import ACTION_CHANGES
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.documents.labels import COPY_KIND_LABELS, OUTCOMES, RECALL_ANSWERS
from compliance.documents.models import MEANINGS, Document
from compliance.quality.objectives.services.context import ENTITY
from compliance.reports.models import ACTION_STATES
from tests.audits.helpers import audit_in_state, cast
from tests.capa.helpers import ca_in_state
from tests.documents.helpers import create_document, pdf_bytes, upload_data
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[1] / "compliance"
CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
# What a raw event looks like on a page: a code, or a JSON snapshot.
RAW = re.compile(r"\b(revision|document|audit|corrective)\.[a-z_]+(\.[a-z_]+)?\b|\{&#34;|\{\"")


# The registry against the source --------------------------------------------------------------

def _recorded_codes() -> tuple[set[str], set[str]]:
    """Every event code a `record(` call of the source names, and the patterns of codes made
    from values (an f-string's values as `*`); a code held in a variable is read from the
    string constants of the function around the call."""
    codes, patterns = set(), set()
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                        and call.func.id == "record" and len(call.args) >= 2):
                    continue
                action = call.args[1]
                if isinstance(action, ast.Constant):
                    codes.add(action.value)
                elif isinstance(action, ast.JoinedStr):
                    patterns.add("".join(part.value if isinstance(part, ast.Constant) else "*"
                                         for part in action.values))
                else:  # a name: the codes the function assigns to it
                    codes.update(n.value for n in ast.walk(function)
                                 if isinstance(n, ast.Constant) and isinstance(n.value, str)
                                 and CODE.match(n.value) and n.value.startswith("user."))
    return codes, patterns


def test_every_recorded_event_code_has_a_sentence():
    codes, patterns = _recorded_codes()
    assert len(codes) > 90 and len(patterns) >= 8  # the scan found the calls
    assert sorted(codes - readable.codes()) == []
    assert sorted(patterns - set(readable.families())) == []


def test_each_family_has_a_sentence_for_every_value_it_is_made_from():
    families = readable.families()
    assert set(families["revision.sign.*"]) == set(MEANINGS) - {"rejected"}
    assert set(families["revision.download.*"]) == set(COPY_KIND_LABELS)
    assert set(families["revision.copy_*"]) == set(RECALL_ANSWERS)
    assert set(families["document.review.*"]) == set(OUTCOMES)
    assert set(families["audit.meeting_*"]) == set(MEETINGS)
    assert set(families["corrective.action_*"]) == set(ACTION_CHANGES)
    for verb in ("create", "edit", "review"):
        assert set(families[f"*.{verb}"]) == set(ENTITY.values())
    assert set(families["management_review.action_*"]) == set(ACTION_STATES) - {"open"}


@pytest.mark.one_database
@pytest.mark.parametrize("locale", ["vi", "en"])
def test_every_sentence_reads_whatever_its_snapshots_hold(app, locale):
    """Empty, odd or foreign snapshots never break a sentence nor show JSON."""
    from flask_babel import force_locale

    odd = '{"label": {"x": 1}, "steps": "x", "whys": 3, "at": "2026-99-99 10:00", "num": []}'
    with app.test_request_context(), force_locale(locale):
        for seq, code in enumerate(sorted(readable.codes()) + ["something.new"], start=1):
            for before, after in ((None, None), (odd, odd), ("[1]", '"text"')):
                event = AuditEvent(seq=seq, occurred_at=_moment(), actor_id=None,
                                   actor_label="system", action=code, entity_type="document",
                                   entity_id="1", before_json=before, after_json=after,
                                   prev_hash="0", hash="0")
                line = readable.describe([event])[0]
                assert line.sentence and "%(" not in line.sentence, code
                assert '{"' not in line.sentence and code not in line.sentence


def _moment():
    from compliance.core.db import utcnow
    return utcnow()


# A document's history through the pages ---------------------------------------------------------

def _document_world(app, make, login):
    """A head drafts and submits, the coordinator approves; returns people, clients, ids."""
    dept = make.department(code="TCKH")
    other = make.department(code="NV")
    people = {
        "head": make.user(name="Lê Văn Phúc", locale="vi",
                          departments=[(dept.id, "department_head")]),
        "coordinator": make.user(name="Trần Minh Thư", locale="en", roles=["coordinator"]),
        "staff": make.user(name="Nguyễn Hoàng Long", locale="vi",
                           departments=[(dept.id, "staff")]),
        "other_head": make.user(name="Phan Văn Khải", locale="vi",
                                departments=[(other.id, "department_head")]),
        "auditor": make.user(name="Phạm Hồng Nhung", locale="vi", roles=["auditor"]),
    }
    clients = {}
    for key, user in people.items():
        clients[key] = app.test_client()
        login(clients[key], user.email)
    head = clients["head"]
    assert create_document(head, dept.id, people["head"].id).status_code == 302
    with app.app_context():
        doc_id = db.session.scalar(select(Document.id).order_by(Document.id.desc()))
    assert head.post(f"/documents/{doc_id}/revisions/new", data=upload_data(pdf_bytes()),
                     content_type="multipart/form-data").status_code == 302
    with app.app_context():
        rev_id = db.session.get(Document, doc_id).revisions[0].id
    return people, clients, doc_id, rev_id


def _section(body: str, testid: str) -> str:
    found = re.search(rf'<section[^>]*data-testid="{testid}".*?</section>', body, re.S)
    return found.group(0) if found else ""


def test_document_history_is_sentences_in_the_readers_language(app, make, login):
    people, clients, doc_id, rev_id = _document_world(app, make, login)
    assert clients["head"].post(f"/documents/{doc_id}/revisions/{rev_id}/submit").status_code \
        == 302
    signed = clients["coordinator"].post(f"/documents/{doc_id}/revisions/{rev_id}/sign", data={
        "meaning": "approved", "password": PASSWORD, "comment": "Đồng ý ban hành"})
    assert signed.status_code == 302

    english = clients["coordinator"].get(f"/documents/{doc_id}").get_data(as_text=True)
    history = _section(english, "history")
    assert "Trần Minh Thư approved revision 01 (meaning: approved for use)" in history
    assert "Lê Văn Phúc submitted revision 01 for approval" in history
    assert "Comment: Đồng ý ban hành" in history
    # Times are 24-hour, after the day in English ("14:15, 15 Jun 2026").
    assert re.search(r"— <time datetime=\"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\">\d\d:\d\d, \d{1,2} "
                     r"[A-Z][a-z]{2} \d{4}</time>", history)

    vietnamese = clients["head"].get(f"/documents/{doc_id}").get_data(as_text=True)
    history = _section(vietnamese, "history")
    assert "Lịch sử thay đổi" in history
    assert "Trần Minh Thư đã phê duyệt phiên bản 01 (ý nghĩa: phê duyệt ban hành)" in history
    assert "Lê Văn Phúc đã đăng ký tài liệu" in history
    assert re.search(r"\d\d:\d\d, \d\d/\d\d/\d{4}</time>", history)
    for page in (english, vietnamese):
        assert not RAW.search(page), RAW.search(page).group(0)


def test_an_edit_lists_each_field_before_and_after(app, make, login):
    people, clients, doc_id, _rev = _document_world(app, make, login)
    with app.app_context():
        document = db.session.get(Document, doc_id)
        data = {"doc_type": "procedure", "department_id": document.department_id,
                "title_vi": "Quy trình thẩm định dự toán (sửa)", "title_en": "Budget appraisal",
                "owner_id": document.owner_id, "review_interval_months": 24,
                "version": document.version}
    assert clients["head"].post(f"/documents/{doc_id}/edit", data=data).status_code == 302
    history = _section(clients["head"].get(f"/documents/{doc_id}").get_data(as_text=True),
                       "history")
    assert "Lê Văn Phúc đã sửa thông tin tài liệu trong danh mục" in history
    assert re.search(r'Tiêu đề \(tiếng Việt\)</span>: <span class="history-before">Quy trình '
                     r'thẩm định dự toán</span> → <span class="history-after">Quy trình thẩm '
                     r'định dự toán \(sửa\)</span>', history)
    assert re.search(r'Chu kỳ xem xét \(tháng\)</span>: <span class="history-before">12</span>'
                     r' → <span class="history-after">24</span>', history)


def test_staff_and_other_heads_see_no_document_history(app, make, login):
    people, clients, doc_id, rev_id = _document_world(app, make, login)
    clients["head"].post(f"/documents/{doc_id}/revisions/{rev_id}/submit")
    clients["coordinator"].post(f"/documents/{doc_id}/revisions/{rev_id}/sign", data={
        "meaning": "approved", "password": PASSWORD})
    seen = {}
    for key, client in clients.items():
        response = client.get(f"/documents/{doc_id}")
        assert response.status_code == 200, key
        seen[key] = 'data-testid="history"' in response.get_data(as_text=True)
    assert seen == {"head": True, "coordinator": True, "staff": False, "other_head": False,
                    "auditor": True}


def test_an_unknown_code_reads_as_a_generic_sentence(app, make, login):
    people, clients, doc_id, _rev = _document_world(app, make, login)
    with app.app_context(), write_intent():
        record(None, "document.something_new", "document", doc_id, before={"code": "A"},
               after={"code": "B", "secret": {"x": 1}})
        db.session.commit()
    page = clients["coordinator"].get(f"/documents/{doc_id}").get_data(as_text=True)
    history = _section(page, "history")
    assert "The system made a change to this record" in history
    assert '<span class="history-before">A</span> → <span class="history-after">B</span>' \
        in history
    assert "something_new" not in page and "secret" not in page


def test_the_audit_trail_page_keeps_the_raw_events(app, make, login):
    people, clients, doc_id, _rev = _document_world(app, make, login)
    page = clients["coordinator"].get("/audit-trail/").get_data(as_text=True)
    assert "<code>document.create</code>" in page and "&#34;code&#34;" in page
    assert "Lê Văn Phúc registered the document" in page


# Where am I -------------------------------------------------------------------------------------

def _steps(body: str) -> str:
    return _section(body, "steps")


def _current(steps: str) -> str:
    found = re.findall(r'data-testid="step-(\w+)" aria-current="step"', steps)
    assert len(found) == 1, steps
    return found[0]


def test_a_revision_shows_its_step_what_blocks_it_and_who_signs(app, make, login):
    people, clients, doc_id, rev_id = _document_world(app, make, login)
    steps = _steps(clients["head"].get(f"/documents/{doc_id}").get_data(as_text=True))
    assert steps.startswith('<section class="steps-box"') and '<ol class="steps">' in steps
    assert _current(steps) == "draft"
    assert "Dự thảo cần được trình duyệt." in steps and "Lê Văn Phúc" in steps

    clients["head"].post(f"/documents/{doc_id}/revisions/{rev_id}/submit")
    steps = _steps(clients["coordinator"].get(f"/documents/{doc_id}").get_data(as_text=True))
    assert _current(steps) == "in_review"
    assert 'data-testid="step-draft">' in steps and "step-done" in steps
    assert "Step 1 must be signed: Approved for use — Approver of the department" in steps
    # The open step's signers: the coordinator, never the author.
    actors = re.search(r'data-testid="steps-actors">(.*?)</p>', steps, re.S).group(1)
    assert "Trần Minh Thư" in actors and "Lê Văn Phúc" not in actors

    clients["coordinator"].post(f"/documents/{doc_id}/revisions/{rev_id}/sign", data={
        "meaning": "approved", "password": PASSWORD})
    steps = _steps(clients["staff"].get(f"/documents/{doc_id}").get_data(as_text=True))
    assert _current(steps) == "effective"
    assert "Phiên bản còn hiệu lực cho đến khi" in steps


def test_an_audit_shows_its_step_and_its_lead_auditor(app, make, login):
    people = cast(make)
    ids = audit_in_state(app, people, "planned")
    client = app.test_client()
    login(client, people.coordinator.email)
    steps = _steps(client.get(f"/audits/{ids.audit_id}/").get_data(as_text=True))
    assert _current(steps) == "planned"
    assert "Phạm Hồng Nhung" in re.search(r'steps-actors">(.*?)</p>', steps, re.S).group(1)

    started = audit_in_state(app, people, "in_progress")
    steps = _steps(client.get(f"/audits/{started.audit_id}/").get_data(as_text=True))
    assert _current(steps) == "in_progress"
    assert re.search(r"\d+ (checklist items have|checklist item has|mục kiểm tra)", steps)
    history = _section(client.get(f"/audits/{started.audit_id}/").get_data(as_text=True),
                       "history")
    assert "started the audit" in history or "đã bắt đầu cuộc đánh giá" in history


def test_a_corrective_action_shows_its_step_and_who_acts(app, make, login):
    dept = make.department(code="TP")
    head = make.user(name="Đặng Ngọc Lan", locale="vi", departments=[(dept.id, "department_head")])
    coordinator = make.user(name="Trần Minh Thư", locale="vi", roles=["coordinator"])
    staff = make.user(name="Bùi Văn Hòa", locale="vi", departments=[(dept.id, "staff")])
    client = app.test_client()
    login(client, head.email)
    opened = ca_in_state(app, dept.id, "open", coordinator_id=coordinator.id, owner_id=staff.id)
    steps = _steps(client.get(f"/corrective-actions/{opened.ca_id}").get_data(as_text=True))
    assert _current(steps) == "open"
    assert "Cần ghi nhận việc khắc phục tức thời" in steps and "Đặng Ngọc Lan" in steps

    doing = ca_in_state(app, dept.id, "actions_in_progress", coordinator_id=coordinator.id,
                        owner_id=staff.id)
    page = client.get(f"/corrective-actions/{doing.ca_id}").get_data(as_text=True)
    steps = _steps(page)
    assert _current(steps) == "actions_in_progress"
    assert "Còn 1 hành động của kế hoạch chưa hoàn thành." in steps
    assert "Bùi Văn Hòa" in re.search(r'steps-actors">(.*?)</p>', steps, re.S).group(1)
    history = _section(page, "history")
    assert "Trần Minh Thư đã ghi nhận phân tích nguyên nhân gốc" in history
    assert not RAW.search(page)

    # The owner of an action (staff) sees the plan, not the history.
    owner = app.test_client()
    login(owner, staff.email)
    page = owner.get(f"/corrective-actions/{doing.ca_id}")
    assert page.status_code == 200 and 'data-testid="history"' not in page.get_data(as_text=True)


@pytest.mark.parametrize(("code", "vi", "en"), [
    ("2026-03", "tháng 03/2026", "month 03/2026"),
    ("2026-Q2", "quý 2 năm 2026", "quarter 2 of 2026"),
    ("2026-H1", "6 tháng đầu năm 2026", "First half of 2026"),
    ("2026-H2", "6 tháng cuối năm 2026", "Second half of 2026"),
    ("2026", "năm 2026", "year 2026")])
def test_a_measured_value_names_its_period_as_a_reader_writes_it(app, code, vi, en):
    from flask_babel import force_locale

    event = AuditEvent(seq=1, occurred_at=_moment(), actor_id=None, actor_label="system",
                       action="measure_value.record", entity_type="measure_value",
                       entity_id="1", before_json=None,
                       after_json=f'{{"period": "{code}", "value": 92, "target": 95}}',
                       prev_hash="0", hash="0")
    with app.test_request_context():
        for locale, expected in (("vi", vi), ("en", en)):
            with force_locale(locale):
                sentence = readable.describe([event])[0].sentence
            assert expected in sentence and code not in sentence.replace(expected, ""), sentence
