"""The process page as the hub (4.4): its links, its interaction map drawn from them (the SVG
parsed back), its documents, measures, audits, findings and corrective actions; the edit
form's conflicts and refusals."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

from defusedxml import ElementTree as SafeET
from sqlalchemy import insert, select

from compliance.audits.models import audit_process
from compliance.capa.models import CorrectiveAction
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.documents.models import Document
from compliance.org.models import Process
from tests.audits.helpers import audit_in_state
from tests.conftest import do_login
from tests.quality.measures.helpers import cast, measure, record

SVG = "{http://www.w3.org/2000/svg}"


def _client(app, user):
    client = app.test_client()
    assert do_login(client, user.email).status_code == 302
    return client


def _document(app, department_id: int, owner_id: int, code: str, status: str) -> int:
    with app.app_context(), write_intent():
        document = Document(code=code, doc_type="procedure", department_id=department_id,
                            title_vi=f"Quy trình {code}", title_en=f"Procedure {code}",
                            owner_id=owner_id, status=status)
        db.session.add(document)
        db.session.commit()
        return document.id


def _form(process, **links) -> dict:
    return {"code": process.code, "name_vi": process.name_vi, "name_en": process.name_en,
            "department_id": str(process.department_id), "owner_id": str(process.owner_id),
            "purpose": "Trả kết quả đúng hạn cho công dân", "kind": "administrative",
            "time_limit_days": "15", "inputs": "Hồ sơ", "outputs": "Bản sao chứng thực",
            **links}


def _map(page: str) -> ET.Element:
    # defusedxml's parser gives xml.etree elements, and no entity tricks.
    svg = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="process-map".*?</svg>',
                    page, re.S).group(0)
    return SafeET.fromstring(svg)


def _world(app, make):
    people = cast(make)
    process = people.process
    before = [make.process(people.dept.id, code=c) for c in ("P-A", "P-B")]
    after = make.process(people.other.id, code="P-C")
    return people, process, before, after


def test_the_process_page_links_everything_and_draws_its_map(app, make, clock):
    people, process, (p_a, p_b), p_c = _world(app, make)
    in_force = _document(app, people.dept.id, people.head.id, "QT-TP-01", "effective")
    draft = _document(app, people.dept.id, people.head.id, "QT-TP-02", "draft")
    coordinator = _client(app, people.coordinator)
    # P-A both comes before and follows: one box, an arrow each way.
    response = coordinator.post(f"/processes/{process.id}/edit", data={
        **_form(process), "version": "1", "before_ids": [str(p_a.id), str(p_b.id)],
        "after_ids": [str(p_c.id), str(p_a.id)],
        "document_ids": [str(in_force), str(draft)]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/processes/{process.id}")
    # Its measure with a missed value and the corrective action raised from it; an audit
    # covering it whose major finding raised another.
    measure_id = measure(app, people)
    value_id = record(app, people.recorder.id, measure_id, "2026-04", value="80")
    coordinator.post(f"/measures/{measure_id}/values/{value_id}/corrective-action",
                     data={"grade": "minor", "problem": "Trễ hạn", "verifier_id": "0"})
    auditors = SimpleNamespace(dept=people.dept, coordinator=people.coordinator,
                               lead=make.user(roles=["auditor"]),
                               member=make.user(roles=["auditor"]))
    audit = audit_in_state(app, auditors, "in_progress", finding="major")
    with app.app_context(), write_intent():
        db.session.execute(insert(audit_process).values(audit_id=audit.audit_id,
                                                         process_id=process.id))
        db.session.commit()
        references = set(db.session.scalars(select(CorrectiveAction.reference)))
    assert len(references) == 2

    page = coordinator.get(f"/processes/{process.id}").get_data(as_text=True)
    assert "legal time limit: 15 days" in page and "Trả kết quả đúng hạn" in page
    svg = _map(page)
    assert svg.find(f"{SVG}title").text.startswith("Interaction map of TTHC-TP-01")
    assert "receives from: P-A, P-B" in svg.find(f"{SVG}desc").text
    nodes = {g.get("data-code"): g.get("data-role") for g in svg.iter(f"{SVG}g")}
    assert nodes == {"TTHC-TP-01": "self", "P-A": "before", "P-B": "before", "P-C": "after"}
    edges = {(e.get("data-from"), e.get("data-to")) for e in svg.iter(f"{SVG}line")}
    assert edges == {("P-A", "TTHC-TP-01"), ("P-B", "TTHC-TP-01"), ("TTHC-TP-01", "P-A"),
                     ("TTHC-TP-01", "P-C")}
    listed = re.search(r'data-testid="interaction-list">.*?</div>', page, re.S).group(0)
    assert re.findall(r'<li data-code="([^"]+)"', listed) == ["P-A", "P-B", "P-A", "P-C"]
    for link in (f"/documents/{in_force}", f"/documents/{draft}", f"/measures/{measure_id}",
                 f"/audits/{audit.audit_id}", f"/processes/{p_c.id}"):
        assert f'href="{link}' in page, link
    assert all(reference in page for reference in references)
    assert f"{audit.reference}/F01" in page

    # Staff read their own department's process (its document in force, not the draft);
    # someone of another department does not.
    staff_page = _client(app, people.staff).get(f"/processes/{process.id}")
    assert staff_page.status_code == 200
    body = staff_page.get_data(as_text=True)
    assert "QT-TP-01" in body and "QT-TP-02" not in body and "KPI-TP-01" in body
    assert _client(app, people.outsider).get(f"/processes/{process.id}").status_code == 403


def test_a_stale_edit_is_a_conflict_and_bad_input_stays_at_its_field(app, make, clock):
    people, process, (p_a, _p_b), _p_c = _world(app, make)
    coordinator = _client(app, people.coordinator)
    url = f"/processes/{process.id}/edit"
    cases = [({"time_limit_days": ""}, "time_limit_days", "legal time limit"),
             ({"time_limit_days": "mười"}, "time_limit_days", "not a whole number"),
             ({"before_ids": [str(process.id)]}, "before_ids", "Choose among")]
    for change, field, message in cases:
        response = coordinator.post(url, data={**_form(process), "version": "1", **change})
        page = response.get_data(as_text=True)
        assert response.status_code == 400, change
        near = page[page.index(f'name="{field}"'):][:2500]
        assert message in near, change
        assert "Trả kết quả đúng hạn cho công dân" in page  # what was typed stays
    assert coordinator.post(url, data={**_form(process), "version": "1",
                                       "before_ids": [str(p_a.id)]}).status_code == 302
    # A form shown before that save (version 1) is refused, and changes nothing.
    stale = coordinator.post(url, data={**_form(process), "version": "1",
                                        "kind": "ordinary", "before_ids": []})
    assert stale.status_code == 409
    with app.app_context():
        saved = db.session.get(Process, process.id)
        assert (saved.kind, saved.time_limit_days, [p.code for p in saved.before],
                saved.version) == ("administrative", 15, ["P-A"], 2)
