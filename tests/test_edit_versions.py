"""Every edit form with a hidden `version`: the form as the page offers it saves; the same
form without its version, or with an empty one, is refused with the conflict message (409)
and nothing is written (issue 12, item 7: documents, corrective actions, audits, report
notes, users, departments, processes)."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from compliance.audit_trail.models import AuditEvent
from compliance.auth.models import User
from compliance.capa import services as capa
from compliance.capa.models import CorrectiveAction
from compliance.core import clock
from compliance.core.db import write_intent
from compliance.core.extensions import db
from tests.audits.helpers import audit_in_state
from tests.capa.helpers import ca_in_state
from tests.documents.helpers import document_target, pdf_bytes
from tests.factories import PASSWORD

CONFLICT = "Reload the page and apply your change again."


class _Forms(HTMLParser):
    """The fields each form of a page would send, as a browser fills them in."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict[str, list[str]]] = {}
        self._form = self._select = self._textarea = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = self.forms.setdefault(a.get("action") or "", {})
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "select":
            self._select = a.get("name")
            self._form.setdefault(self._select, [])
        elif tag == "option" and self._select and "selected" in a:
            self._form[self._select].append(a.get("value") or "")
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            self._form[self._textarea] = [self._text.lstrip("\n")]
            self._textarea = None


def offered(client, page: str, action: str) -> dict[str, list[str]]:
    """The form posting to `action` on `page`, filled in as the page offers it."""
    response = client.get(page)
    assert response.status_code == 200, page
    parser = _Forms()
    parser.feed(response.get_data(as_text=True))
    assert action in parser.forms, (action, list(parser.forms))
    form = parser.forms[action]
    assert form.get("version", [""])[0].isdigit(), f"the form on {page} carries no version"
    return form


def trail(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))


def assert_refused_without_version(app, client, action: str, form: dict, changes: dict):
    """No version, then an empty one: 409 with the conflict message, nothing written; then the
    page's own version: saved."""
    before = trail(app)
    for version in (None, ""):
        sent = {**form, **changes}
        if version is None:
            sent.pop("version")
        else:
            sent["version"] = version
        response = client.post(action, data=sent)
        assert response.status_code == 409, (action, version, response.status_code)
        assert CONFLICT in response.get_data(as_text=True)
        assert trail(app) == before, f"{action} wrote although refused"
    saved = client.post(action, data={**form, **changes})
    assert saved.status_code == 302, (action, saved.status_code)
    assert trail(app) > before


@pytest.fixture
def coordinator(app, client, make, login):
    user = make.user(roles=["coordinator", "admin"])
    assert login(client, user.email, PASSWORD).status_code == 302
    return user


def test_a_document_edit_without_its_version_is_refused(app, client, make, coordinator):
    dept = make.department()
    ids = document_target(app, dept.id, coordinator.id)
    page = action = f"/documents/{ids.document_id}/edit"
    form = offered(client, page, "")
    assert_refused_without_version(app, client, action, form, {"title_en": "Renamed"})


def test_an_audit_edit_without_its_version_is_refused(app, client, make, coordinator):
    people = SimpleNamespace(dept=make.department(), coordinator=coordinator,
                             lead=make.user(roles=["auditor"]), member=make.user(roles=["auditor"]))
    ids = audit_in_state(app, people, "planned")
    page = action = f"/audits/{ids.audit_id}/edit"
    form = offered(client, page, "")
    assert_refused_without_version(app, client, action, form, {"criteria": "TCVN ISO 9001:2015"})


def test_a_user_department_and_process_edit_without_its_version_is_refused(
        app, client, make, coordinator):
    person = make.user(name="Nguyễn Văn An", email="an@example.com")
    dept = make.department()
    process = make.process(dept.id)
    for page, change in ((f"/admin/users/{person.id}/edit", {"name": "Nguyễn Văn Ân"}),
                         (f"/departments/{dept.id}/edit", {"name_en": "Renamed office"}),
                         (f"/processes/{process.id}/edit", {"outputs": "Kết quả mới"})):
        form = offered(client, page, "")
        assert_refused_without_version(app, client, page, form, change)


def _ca(app, make, coordinator, state: str, grade: str = "major") -> int:
    dept = make.department()
    owner = make.user(departments=[(dept.id, "staff")])
    ids = ca_in_state(app, dept.id, state, coordinator_id=coordinator.id, owner_id=owner.id,
                      grade=grade, today=clock.today())
    return ids.ca_id


@pytest.mark.parametrize("state, grade, step, changes", [
    ("open", "major", "contain", {"correction": "Đã trả hồ sơ"}),
    ("contained", "major", "analyse", {"why1": "Không theo dõi hạn", "ishikawa": "method",
                                       "extent": "Chỉ phòng này"}),
    ("verifying", "major", "close", {"note": "Đóng"}),
    ("open", "observation", "decision", {"decision": "Ghi nhận"}),
])
def test_a_corrective_action_step_without_its_version_is_refused(
        app, client, make, coordinator, state, grade, step, changes):
    ca_id = _ca(app, make, coordinator, state, grade)
    if step == "close":  # an effective check first, as the verifier records it
        with app.app_context(), write_intent():
            ca = db.session.get(CorrectiveAction, ca_id)
            capa.record_check(db.session.get(User, coordinator.id), ca, effective=True,
                              notes="Không còn trễ hạn", today=clock.today(),
                              stream=io.BytesIO(pdf_bytes()), filename="kiem-tra.pdf")
            db.session.commit()
    action = f"/corrective-actions/{ca_id}/{step}"
    form = offered(client, f"/corrective-actions/{ca_id}", action)
    if step == "contain":
        changes = {**changes, "corrected_on": clock.today().isoformat()}
    assert_refused_without_version(app, client, action, form, changes)


def test_report_notes_without_their_version_are_refused_written_or_not(app, client, make,
                                                                         coordinator):
    page = "/reports/six-monthly/organisation?period=2026-H1"
    action = "/reports/six-monthly/notes"
    first = offered(client, page, action)
    assert first["version"] == ["0"]  # no notes yet, and the form says so
    assert_refused_without_version(app, client, action, first,
                                   {"shortcomings": "Kinh phí hạn chế"})
    again = offered(client, page, action)
    assert again["version"] == ["1"]
    assert_refused_without_version(app, client, action, again,
                                   {"shortcomings": "Kinh phí còn hạn chế"})


def test_notes_written_by_someone_else_meanwhile_are_not_overwritten(app, client, make,
                                                                      coordinator, login):
    page = "/reports/six-monthly/organisation?period=2026-H1"
    action = "/reports/six-monthly/notes"
    mine = offered(client, page, action)
    other = app.test_client()
    login(other, make.user(roles=["coordinator"]).email)
    theirs = offered(other, page, action)
    assert other.post(action, data={**theirs, "shortcomings": "Của người kia"}).status_code == 302
    response = client.post(action, data={**mine, "shortcomings": "Của tôi"})
    assert response.status_code == 409 and CONFLICT in response.get_data(as_text=True)
    assert "Của người kia" in client.get(page).get_data(as_text=True)
