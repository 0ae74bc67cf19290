"""Reads of retention and holds: the rule that applies to a document, what falls due for
disposition, the holds in force on documents. Data, never URLs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from compliance.audits.models import Audit, ChecklistItem, Evidence
from compliance.core import tenancy
from compliance.core.extensions import db
from compliance.documents.models import DOC_TYPES, Document, Revision
from compliance.documents.records import periods
from compliance.documents.records.models import Disposition, LegalHold, RetentionRule
from compliance.documents.records.periods import COUNTED, Rule


@dataclass(frozen=True)
class TypeRule:
    """A document type's rule as the rules page shows it (version 0: the built-in default,
    not stored yet)."""

    doc_type: str
    basis: str
    years: int
    version: int


@dataclass
class DueItem:
    """A revision whose retention has ended (or ends within the month asked for)."""

    revision: Revision
    document: Document
    rule: Rule
    kept_until: date
    due_on: date
    holds: list[LegalHold] = field(default_factory=list)


def type_rules() -> dict[str, TypeRule]:
    """Every document type's rule in the acting organisation: its stored one, else the
    built-in default."""
    stored = {r.doc_type: r for r in db.session.scalars(select(RetentionRule).where(
        RetentionRule.organisation_id == tenancy.acting_organisation_id()))}
    rules = {}
    for doc_type in DOC_TYPES:
        row = stored.get(doc_type)
        basis, years = (row.basis, row.years) if row else periods.DEFAULT_RULES[doc_type]
        rules[doc_type] = TypeRule(doc_type, basis, years, row.version if row else 0)
    return rules


def rule_for(document: Document, rules: dict[str, TypeRule] | None = None) -> Rule:
    """The rule that applies to a document: its own when it has one, else its type's."""
    if document.retention_basis:
        return Rule(document.retention_basis, document.retention_years or 0, own=True)
    found = (rules or type_rules())[document.doc_type]
    return Rule(found.basis, found.years)


def due_items(until: date) -> list[DueItem]:
    """Revisions not yet disposed of whose retention ended before `until` (due on or before
    it), oldest due first, each with the holds in force on its document."""
    counted = sorted({state for states in COUNTED.values() for state in states})
    revisions = db.session.scalars(
        select(Revision).join(Revision.document)
        .where(Revision.status.in_(counted), Revision.disposition.is_(None))
        .options(selectinload(Revision.document))
        .order_by(Document.code, Revision.number))
    rules, items = type_rules(), []
    for revision in revisions:
        document = revision.document
        rule = rule_for(document, rules)
        due = periods.due_on(rule, revision, document)
        if due is not None and due <= until:
            items.append(DueItem(revision, document, rule,
                                 periods.retained_until(rule, revision, document), due))
    holds = holds_by_document([i.document for i in items])
    for item in items:
        item.holds = holds.get(item.document.id, [])
    items.sort(key=lambda i: (i.due_on, i.document.code, i.revision.number))
    return items


def holds_in_force() -> list[LegalHold]:
    """Every hold not lifted, newest first."""
    return list(db.session.scalars(select(LegalHold).where(LegalHold.lifted_at.is_(None))
                                   .order_by(LegalHold.placed_at.desc(), LegalHold.id.desc())))


def all_holds(limit: int = 500) -> list[LegalHold]:
    """Holds in force first, then those lifted, newest first."""
    return list(db.session.scalars(select(LegalHold).order_by(
        LegalHold.lifted_at.is_not(None), LegalHold.placed_at.desc(), LegalHold.id.desc())
        .limit(limit)))


def _cited_in(audit_ids) -> dict[int, set[int]]:
    """Audit id → ids of the documents whose revisions its checklist cites as evidence."""
    if not audit_ids:
        return {}
    rows = db.session.execute(
        select(ChecklistItem.audit_id, Revision.document_id)
        .join(Evidence, Evidence.item_id == ChecklistItem.id)
        .join(Revision, Revision.id == Evidence.revision_id)
        .where(ChecklistItem.audit_id.in_(audit_ids)).distinct())
    cited: dict[int, set[int]] = defaultdict(set)
    for audit_id, document_id in rows:
        cited[audit_id].add(document_id)
    return cited


def holds_by_document(documents) -> dict[int, list[LegalHold]]:
    """Document id → the holds in force that cover it (on it, on its department, or on an
    audit that cites one of its revisions)."""
    documents = list(documents)
    holds = holds_in_force() if documents else []
    if not holds:
        return {}
    cited = _cited_in({h.audit_id for h in holds if h.scope == "audit"})
    found: dict[int, list[LegalHold]] = {}
    for document in documents:
        covering = [h for h in holds if (h.scope == "document" and h.document_id == document.id)
                    or (h.scope == "department" and h.department_id == document.department_id)
                    or (h.scope == "audit" and document.id in cited.get(h.audit_id, ()))]
        if covering:
            found[document.id] = covering
    return found


def holds_on(document: Document) -> list[LegalHold]:
    """The holds in force on one document."""
    return holds_by_document([document]).get(document.id, [])


def holds_covering(department_id: int | None, audit_ids=(), document_ids=(), *,
                   everything: bool = False) -> list[LegalHold]:
    """The holds in force on what an evidence pack covers (oldest first): those on its
    department, its audits and its documents; `everything` (the whole organisation): all."""
    if everything:
        return sorted(holds_in_force(), key=lambda h: (h.placed_at, h.id))
    documents = list(db.session.scalars(select(Document).where(
        Document.id.in_(set(document_ids))))) if document_ids else []
    covering = {h.id: h for hs in holds_by_document(documents).values() for h in hs}
    conditions = [LegalHold.audit_id.in_(set(audit_ids))] if audit_ids else []
    if department_id is not None:
        conditions.append(LegalHold.department_id == department_id)
    if conditions:
        for hold in db.session.scalars(select(LegalHold).where(
                LegalHold.lifted_at.is_(None), or_(*conditions))):
            covering[hold.id] = hold
    return sorted(covering.values(), key=lambda h: (h.placed_at, h.id))


def dispositions_of(document: Document) -> list[Disposition]:
    """Every disposition decision on a document's revisions, oldest first."""
    return list(db.session.scalars(
        select(Disposition).join(Revision, Revision.id == Disposition.revision_id)
        .where(Revision.document_id == document.id).order_by(Disposition.decided_at)))


def retention_of(document: Document) -> dict:
    """What a document's page shows of its retention: the rule, and for each revision the
    last day it is kept and the day it falls due."""
    rule = rule_for(document)
    return {"rule": rule, "until": {r.id: periods.retained_until(rule, r, document)
                                    for r in document.revisions},
            "dispositions": dispositions_of(document), "holds": holds_on(document)}


def audit_choices() -> list[tuple[int, str]]:
    """(id, label) pairs of audits for the hold form, the latest planned first."""
    from_audits = db.session.execute(
        select(Audit.id, Audit.reference).order_by(Audit.planned_start.desc(), Audit.id.desc())
        .limit(500))
    return [(audit_id, reference) for audit_id, reference in from_audits]
