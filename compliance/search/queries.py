"""The search across records: data only (each hit names its record; the page builds links).

Documents are found by the register's full-text index (documents.search). The other kinds
have short texts and a district holds hundreds of them, so their visible rows (never more
than SCAN_LIMIT, newest first) are matched here on folded text: "phong tu phap" finds
"Phòng Tư pháp", as the register's search does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select

from compliance.audits import rules as audit_rules
from compliance.audits.models import Audit, Finding
from compliance.auth import rules as auth_rules
from compliance.auth.models import User
from compliance.capa import rules as capa_rules
from compliance.capa.models import CorrectiveAction
from compliance.core.collation import person_key, sort_key
from compliance.core.extensions import db
from compliance.documents import rules as document_rules
from compliance.documents import search as document_search
from compliance.documents.models import Document
from compliance.org import rules as org_rules
from compliance.org.models import Department, Process
from compliance.search import rules
from compliance.search.labels import KINDS

PER_KIND = 20
SCAN_LIMIT = 5000
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Hit:
    """One record found: its kind, its id (and the audit's, for a finding), what to show."""

    kind: str
    ref: int
    title: str
    note: str = ""
    parent: int | None = None


@dataclass
class Group:
    """The hits of one kind (at most PER_KIND) and how many there were in all."""

    kind: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0


@dataclass
class Results:
    """Every group, in the order of KINDS, and the words searched for."""

    words: list[str]
    groups: list[Group]

    @property
    def total(self) -> int:
        """Every hit of every kind."""
        return sum(group.total for group in self.groups)


def matches(terms: list[str], *texts: str | None) -> bool:
    """Whether every term starts a word of the texts (folded: no accents, đ as d)."""
    found = set(_WORD.findall(document_search.fold(" ".join(t or "" for t in texts))))
    return all(any(word.startswith(term) for word in found) for term in terms)


def _group(kind: str, hits: list[Hit], order) -> Group:
    return Group(kind, sorted(hits, key=order)[:PER_KIND], len(hits))


def documents(user, query: str, locale: str) -> Group:
    """Documents the person may see whose code, title or text match (the full-text index)."""
    ids = document_search.matching_ids(query)
    stmt = document_rules.visible_documents(user, select(Document)).where(Document.id.in_(ids))
    total = db.session.scalar(stmt.with_only_columns(func.count()).order_by(None))
    rows = db.session.execute(stmt.with_only_columns(
        Document.id, Document.code, Document.title_vi, Document.title_en)
        .order_by(Document.code, Document.id).limit(PER_KIND))
    hits = [Hit("document", row.id, f"{row.code} — {_title(row, locale)}") for row in rows]
    return Group("document", hits, total)


def _title(row, locale: str) -> str:
    return row.title_en if locale == "en" and row.title_en else row.title_vi


def _department_name(row, locale: str) -> str:
    return row.name_en if locale == "en" and row.name_en else row.name_vi


def audits(user, terms: list[str], locale: str) -> Group:
    """Audits the person may read, by reference, department, scope and criteria."""
    stmt = audit_rules.visible_audits(user, select(
        Audit.id, Audit.reference, Audit.scope_note, Audit.criteria, Department.code,
        Department.name_vi, Department.name_en).join(Department,
                                                     Department.id == Audit.department_id))
    rows = db.session.execute(stmt.order_by(Audit.id.desc()).limit(SCAN_LIMIT))
    hits = [Hit("audit", row.id, row.reference, " · ".join(filter(None, (
                f"{row.code} — {_department_name(row, locale)}", _excerpt(row.scope_note)))))
            for row in rows
            if matches(terms, row.reference, row.scope_note, row.criteria, row.code,
                       row.name_vi, row.name_en)]
    return _group("audit", hits, lambda hit: sort_key(hit.title))


def findings(user, terms: list[str]) -> Group:
    """Findings of the audits the person may read, by reference and description."""
    stmt = audit_rules.visible_audits(user, select(
        Finding.id, Finding.audit_id, Finding.number, Finding.description, Audit.reference)
        .join(Audit, Audit.id == Finding.audit_id))
    rows = db.session.execute(stmt.order_by(Finding.id.desc()).limit(SCAN_LIMIT))
    hits = []
    for row in rows:
        reference = f"{row.reference}/F{row.number:02d}"
        if matches(terms, reference, row.description):
            hits.append(Hit("finding", row.id, reference, _excerpt(row.description),
                            parent=row.audit_id))
    return _group("finding", hits, lambda hit: sort_key(hit.title))


def corrective_actions(user, terms: list[str]) -> Group:
    """Corrective actions the person may read, by reference and problem statement."""
    stmt = capa_rules.visible_corrective_actions(user, select(
        CorrectiveAction.id, CorrectiveAction.reference, CorrectiveAction.problem))
    rows = db.session.execute(stmt.order_by(CorrectiveAction.id.desc()).limit(SCAN_LIMIT))
    hits = [Hit("corrective_action", row.id, row.reference, _excerpt(row.problem))
            for row in rows if matches(terms, row.reference, row.problem)]
    return _group("corrective_action", hits, lambda hit: sort_key(hit.title))


def processes(user, terms: list[str], locale: str) -> Group:
    """Processes the person may see, by code, name and purpose."""
    stmt = org_rules.visible_processes(user, select(
        Process.id, Process.code, Process.name_vi, Process.name_en, Process.purpose))
    rows = db.session.execute(stmt.order_by(Process.id.desc()).limit(SCAN_LIMIT))
    hits = [Hit("process", row.id, f"{row.code} — {_department_name(row, locale)}")
            for row in rows if matches(terms, row.code, row.name_vi, row.name_en, row.purpose)]
    return _group("process", hits, lambda hit: sort_key(hit.title))


def people(user, terms: list[str]) -> Group:
    """People of the organisation, by name and e-mail, for those who may read the users."""
    stmt = auth_rules.visible_users(user, select(User.id, User.name, User.email, User.active))
    rows = db.session.execute(stmt.order_by(User.id).limit(SCAN_LIMIT))
    hits = [Hit("person", row.id, row.name, row.email) for row in rows
            if matches(terms, row.name, row.email)]
    return _group("person", hits, lambda hit: person_key(hit.title))


def _excerpt(text: str | None, length: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def search(user, query: str, locale: str) -> Results:
    """Every kind the person may search, each through its domain's visible_* rule."""
    terms = document_search.words(query)
    if not terms:
        return Results([], [])
    groups = [documents(user, query, locale), audits(user, terms, locale), findings(user, terms),
              corrective_actions(user, terms), processes(user, terms, locale)]
    if rules.may_find_people(user):
        groups.append(people(user, terms))
    order = list(KINDS)
    return Results(terms, sorted(groups, key=lambda group: order.index(group.kind)))
