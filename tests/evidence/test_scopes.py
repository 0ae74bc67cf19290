"""Each kind of scope selects the right documents, audits and corrective actions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask_babel import force_locale

from compliance.audits.models import Audit
from compliance.audits.services import conduct
from compliance.auth.models import User
from compliance.capa.models import CorrectiveAction
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.documents.models import Revision
from compliance.evidence import scope as scopes
from compliance.org.models import Clause
from tests.audits.helpers import audit_in_state, cast, clause_ids
from tests.capa.helpers import ca_in_state
from tests.evidence.helpers import doc_in_force

START, END = date(2026, 1, 1), date(2026, 12, 31)


def _world(app, make):
    people = cast(make)  # departments TP (audited) and NV
    a, b = people.dept.id, people.other.id
    c851, c751 = clause_ids(app, "8.5.1", "7.5.1")
    docs = {
        "A-851": doc_in_force(app, a, people.coordinator.id, code="QT-TP-01", title="Một",
                              clause_ids=[c851]),
        "A-none": doc_in_force(app, a, people.coordinator.id, code="QT-TP-02", title="Hai"),
        "B-751": doc_in_force(app, b, people.coordinator.id, code="QT-NV-01", title="Ba",
                              clause_ids=[c751]),
        "A-old": doc_in_force(app, a, people.coordinator.id, code="QT-TP-03", title="Cũ",
                              effective=date(2025, 1, 1)),
        "A-later": doc_in_force(app, a, people.coordinator.id, code="QT-TP-04", title="Sau",
                                effective=date(2027, 3, 1)),
    }
    with app.app_context():
        old = db.session.get(Revision, docs["A-old"].revision_id)
        old.status, old.superseded_at = "superseded", datetime(2025, 6, 1, tzinfo=UTC)
        db.session.commit()
    audit = audit_in_state(app, people, "in_progress", numbers=("8.5.1",))
    with app.app_context(), write_intent():
        lead = db.session.get(User, people.lead.id)
        conduct.raise_finding(lead, db.session.get(Audit, audit.audit_id), grade="major",
                              description="Trễ hạn", clause_id=c851)
        db.session.commit()
    other_ca = ca_in_state(app, b, "open", coordinator_id=people.coordinator.id,
                           owner_id=people.coordinator.id, today=date(2026, 3, 1))
    return people, docs, audit, other_ca


def _select(app, kind: str, scope_id):
    with app.app_context(), force_locale("en"):
        scope = scopes.resolve(kind, scope_id, "en")
        return ({r.document.code for r in scopes.revisions_in_force(scope, START, END)},
                {a.reference for a in scopes.audits(scope, START, END)},
                {c.department_id for c in scopes.corrective_actions(scope, START, END)},
                scope)


def test_department_scope_keeps_to_the_department_and_the_period(app, make):
    people, _docs, audit, _ca = _world(app, make)
    codes, audits, ca_departments, scope = _select(app, "department", people.dept.id)
    assert codes == {"QT-TP-01", "QT-TP-02"}  # not NV's, not superseded before, not future
    assert audits == {audit.reference}
    assert ca_departments == {people.dept.id}
    assert scope.department_id == people.dept.id


def test_audit_scope_takes_the_audit_its_department_documents_and_its_actions(app, make):
    people, _docs, audit, _ca = _world(app, make)
    codes, audits, ca_departments, _scope = _select(app, "audit", audit.audit_id)
    assert codes == {"QT-TP-01", "QT-TP-02"}
    assert audits == {audit.reference}
    assert ca_departments == {people.dept.id}
    with app.app_context():
        assert db.session.query(CorrectiveAction).count() == 2  # one is NV's, left out


def test_clause_scope_includes_sub_clauses(app, make):
    _people, _docs, audit, _ca = _world(app, make)
    with app.app_context():
        parent = db.session.query(Clause).filter_by(number="8.5").one().id
    codes, audits, ca_departments, scope = _select(app, "clause", parent)
    assert codes == {"QT-TP-01"}
    assert audits == {audit.reference}
    assert len(ca_departments) == 1
    assert len(scope.clause_ids) > 1


def test_organisation_scope_takes_everything_in_force_in_the_period(app, make):
    people, _docs, _audit, _ca = _world(app, make)
    codes, _audits, ca_departments, _scope = _select(app, "organisation", None)
    assert codes == {"QT-TP-01", "QT-TP-02", "QT-NV-01"}
    assert ca_departments == {people.dept.id, people.other.id}


def test_a_period_before_anything_selects_nothing(app, make):
    people, _docs, _audit, _ca = _world(app, make)
    with app.app_context():
        scope = scopes.resolve("department", people.dept.id, "en")
        day = date(2024, 1, 1)
        assert scopes.revisions_in_force(scope, day, day + timedelta(days=30)) == []
        assert scopes.audits(scope, day, day + timedelta(days=30)) == []


def test_a_document_withdrawn_before_the_period_is_left_out(app, make):
    people, docs, _audit, _ca = _world(app, make)
    with app.app_context():
        revision = db.session.get(Revision, docs["A-none"].revision_id)
        revision.status = "obsolete"
        revision.document.status = "obsolete"
        revision.document.updated_at = datetime(2025, 12, 1, tzinfo=UTC)
        db.session.commit()
    codes, _audits, _cas, _scope = _select(app, "department", people.dept.id)
    assert codes == {"QT-TP-01"}
