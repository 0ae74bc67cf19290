"""The register of external documents: kept by coordinators (409 on a stale edit, a trail
of each change), read by others, filtered; the scheduler chases the check dates."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.core.extensions import db
from compliance.documents.models import Document
from tests.conftest import do_login
from tests.notifications.conftest import at
from tests.notifications.helpers import raised, run, sentence

DECREE = {"legal_kind": "decree", "legal_number": "30/2020/NĐ-CP",
          "title_vi": "Nghị định về công tác văn thư", "title_en": "Decree on clerical work",
          "external_source": "Chính phủ", "legal_issued_on": "2020-03-05",
          "legal_status": "in_force", "external_check_date": "2026-07-15"}


def _ids(app) -> dict[str, tuple[int, int]]:
    with app.app_context():
        return {d.legal_number: (d.id, d.version) for d in db.session.scalars(
            select(Document).where(Document.doc_type == "external"))}


def test_the_coordinator_keeps_the_register_and_others_read_it(app, client, as_role, make,
                                                                 clock):
    department = make.department(code="VP", name_vi="Văn phòng", name_en="Office")
    coordinator = as_role("coordinator")
    sent = {**DECREE, "department_id": str(department.id)}
    page = client.post("/documents/external/new", data={**sent, "legal_status": "replaced"})
    assert page.status_code == 400 and "Name the document that replaces it." in \
        page.get_data(as_text=True) and "30/2020/NĐ-CP" in page.get_data(as_text=True)
    assert client.post("/documents/external/new", data=sent).status_code == 302
    old = {**sent, "legal_kind": "decree", "legal_number": "110/2004/NĐ-CP",
           "title_vi": "Nghị định về công tác văn thư (cũ)", "legal_issued_on": "2004-04-08",
           "external_check_date": "2027-01-10"}
    assert client.post("/documents/external/new", data=old).status_code == 302
    ids = _ids(app)
    new_id, _version = ids["30/2020/NĐ-CP"]
    old_id, old_version = ids["110/2004/NĐ-CP"]

    # Replaced by the decree of 2020; the same form again (a stale version) is a conflict.
    edit = {**old, "legal_status": "replaced", "replaced_by_id": str(new_id),
            "external_checked_on": "2026-06-15", "version": str(old_version)}
    assert client.post(f"/documents/external/{old_id}", data=edit).status_code == 302
    assert client.post(f"/documents/external/{old_id}", data=edit).status_code == 409
    future = {**edit, "version": str(old_version + 1), "external_checked_on": "2026-06-16"}
    page = client.post(f"/documents/external/{old_id}", data=future)
    assert page.status_code == 400 and "A check cannot be recorded in the future." in \
        page.get_data(as_text=True)
    page = client.get(f"/documents/external/{old_id}").get_data(as_text=True)
    assert coordinator.name in page and "Replaced by" in page
    with app.app_context():
        row = db.session.get(Document, old_id)
        assert (row.legal_status, row.replaced_by_id) == ("replaced", new_id)
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.entity_type == "document", AuditEvent.entity_id == str(old_id))
            .order_by(AuditEvent.seq)).all()
    assert actions == ["document.create", "document.update"]

    listing = client.get("/documents/external/?status=replaced").get_data(as_text=True)
    assert "110/2004/NĐ-CP" in listing and "30/2020/NĐ-CP" not in listing.split("<tbody>")[1] \
        .split("→")[0]
    due = client.get("/documents/external/?due=1").get_data(as_text=True)
    assert "30/2020/NĐ-CP" not in due  # its check is on 15 July; today is 15 June
    found = client.get("/documents/external/?q=c%C3%A1ch+c%C5%A9").get_data(as_text=True)
    assert "No external document matches." in found

    client.post("/logout")
    auditor = make.user(roles=["auditor"])
    do_login(client, auditor.email)
    assert "30/2020/NĐ-CP" in client.get("/documents/external/").get_data(as_text=True)
    assert "Chính phủ" in client.get(f"/documents/external/{new_id}").get_data(as_text=True)
    assert client.post(f"/documents/external/{new_id}", data=edit).status_code == 403
    assert client.post("/documents/external/new", data=sent).status_code == 403


def test_the_scheduler_chases_the_check_date(app, client, as_role, make):
    department = make.department(code="TP", name_vi="Phòng Tư pháp", name_en="Justice Office")
    coordinator = as_role("coordinator")
    check = date(2026, 9, 30)
    sent = {**DECREE, "department_id": str(department.id), "external_check_date": str(check)}
    assert client.post("/documents/external/new", data=sent).status_code == 302
    document_id = _ids(app)["30/2020/NĐ-CP"][0]
    other = make.user(roles=["coordinator"], locale="vi")
    key = f"external:{document_id}:check:{check}"
    steps = {31: None, 30: f"{key}:30d", 29: None, 1: None, 0: f"{key}:0d", -1: f"{key}:late",
             -2: None}
    for days, expected in steps.items():
        before = {n.id for n in raised(app)}
        run(app, "alerts.external_documents", at(check - timedelta(days=days)))
        new = [n for n in raised(app) if n.id not in before]
        wanted = [] if expected is None else sorted(
            [(coordinator.id, expected), (other.id, expected)])
        assert sorted((n.user_id, n.key) for n in new) == wanted, days
    late = raised(app, user_id=other.id)[-1]
    assert late.kind == "external_check_overdue"
    assert late.link == f"/documents/external/{document_id}"
    assert "30/2020/NĐ-CP" in sentence(app, late, "vi") and "30/09/2026" in \
        sentence(app, late, "vi")
    assert "Decree on clerical work" in sentence(app, raised(app)[0], "en")
