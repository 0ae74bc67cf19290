"""What waits for one person now, across documents, readings, corrective actions and audits.

Data only: each item names the record it is about (`ref`); the page builds the links. Whose
work is whose comes from dashboard.rules (the coarse role table), never from role names here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select

from compliance.audits import queries as audit_queries
from compliance.audits.models import Audit, audit_team
from compliance.capa.models import Action, CorrectiveAction, EffectivenessCheck
from compliance.core import clock
from compliance.core.extensions import db
from compliance.dashboard import rules
from compliance.dashboard.labels import AUDIT_STATUS_LABELS, KINDS
from compliance.documents import rules as document_rules
from compliance.documents.models import Document, Revision
from compliance.documents.queries import pending_for, review_overdue
from compliance.documents.reading import recalls_pending_for
from compliance.quality.objectives import queries as objective_queries

__all__ = ["KINDS", "Item", "Work", "my_work"]
REVIEW_HORIZON_DAYS = 30
ACTION_HORIZON_DAYS = 14
READ_WITHIN_DAYS = 7


@dataclass
class Item:
    """One thing to do: what, which record (its id, by kind), by when."""

    kind: str
    title: str
    ref: int
    due: date | None = None
    overdue: bool = False
    note: str = ""


@dataclass
class Work:
    """A person's work, grouped by kind, overdue first within each."""

    groups: dict[str, list[Item]] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        """How many items of a kind."""
        return len(self.groups.get(kind, []))

    def overdue(self, kind: str | None = None) -> int:
        """How many items are overdue (of one kind, or in all)."""
        kinds = [kind] if kind else list(self.groups)
        return sum(item.overdue for k in kinds for item in self.groups.get(k, []))

    @property
    def total(self) -> int:
        """Every item."""
        return sum(len(items) for items in self.groups.values())


def _title(document, locale: str) -> str:
    return f"{document.code} — {document.title_en if locale == 'en' else document.title_vi}"


def approvals(user, locale: str) -> list[Item]:
    """Revisions in review that this person may sign (never their own work)."""
    query = document_rules.signable_revisions(
        user, select(Revision, Document).join(Document, Document.id == Revision.document_id))
    rows = db.session.execute(query.order_by(Revision.submitted_at, Revision.id).limit(200))
    return [Item("approve", f"{_title(doc, locale)} · {_('revision')} {rev.label}",
                 doc.id, note=rev.change_summary[:160]) for rev, doc in rows]


def reviews(user, today: date, locale: str) -> list[Item]:
    """Effective documents this person owns (or heads the department of) due for review."""
    mine = Document.owner_id == user.id
    heads = rules.departments_where(user, "documents.review")
    who = or_(mine, Document.department_id.in_(heads)) if heads else mine
    rows = db.session.execute(
        select(Document, review_overdue(today).label("overdue"))
        .where(Document.status == "effective", who,
               Document.next_review_date <= today + timedelta(days=REVIEW_HORIZON_DAYS))
        .order_by(Document.next_review_date, Document.id).limit(200))
    return [Item("review", _title(d, locale), d.id, d.next_review_date, bool(overdue))
            for d, overdue in rows]


def readings(user, today: date, locale: str) -> list[Item]:
    """Revisions in force this person is asked to read and has not confirmed."""
    items = []
    for ack in pending_for(user):
        doc = ack.revision.document
        due = clock.local_date(ack.requested_at) + timedelta(days=READ_WITHIN_DAYS)
        items.append(Item("read", f"{_title(doc, locale)} · {_('revision')} {ack.revision.label}",
                          doc.id, due, due < today))
    return items


def to_contain(user, today: date) -> list[Item]:
    """Corrective actions of the departments this person heads still waiting for their
    correction, due by their target date."""
    heads = rules.departments_where(user, "corrective.manage")
    if not heads:
        return []
    rows = db.session.scalars(
        select(CorrectiveAction).where(CorrectiveAction.status == "open",
                                       CorrectiveAction.department_id.in_(heads))
        .order_by(CorrectiveAction.raised_on, CorrectiveAction.id).limit(200))
    return [Item("contain", f"{ca.reference} · {ca.problem[:120]}", ca.id, ca.target_on,
                 ca.target_on is not None and ca.target_on < today) for ca in rows]


def actions(user, today: date) -> list[Item]:
    """Open corrective-action items this person owns, and overdue ones of departments headed."""
    heads = rules.departments_where(user, "corrective.manage")
    horizon = today + timedelta(days=ACTION_HORIZON_DAYS)
    whose = Action.owner_id == user.id
    if heads:
        whose = or_(whose, (CorrectiveAction.department_id.in_(heads)) & (Action.due_on < today))
    rows = db.session.execute(
        select(Action, CorrectiveAction)
        .join(CorrectiveAction, CorrectiveAction.id == Action.corrective_action_id)
        .where(Action.status == "open", Action.due_on <= horizon, whose)
        .order_by(Action.due_on, Action.id).limit(200))
    return [Item("action", f"{ca.reference} · {action.description[:120]}",
                 ca.id, action.due_on, action.due_on < today,
                 "" if action.owner_id == user.id else action.owner.name)
            for action, ca in rows]


def checks(user, today: date) -> list[Item]:
    """Pending effectiveness checks this person verifies, due within the horizon."""
    rows = db.session.execute(
        select(EffectivenessCheck, CorrectiveAction)
        .join(CorrectiveAction, CorrectiveAction.id == EffectivenessCheck.corrective_action_id)
        .where(EffectivenessCheck.status == "pending",
               EffectivenessCheck.due_on <= today + timedelta(days=ACTION_HORIZON_DAYS),
               or_(EffectivenessCheck.verifier_id == user.id,
                   (EffectivenessCheck.verifier_id.is_(None))
                   & (CorrectiveAction.verifier_id == user.id)))
        .order_by(EffectivenessCheck.due_on).limit(200))
    return [Item("check", f"{ca.reference} · {ca.problem[:120]}",
                 ca.id, check.due_on, check.due_on < today)
            for check, ca in rows]


def audits(user, today: date, locale: str) -> list[Item]:
    """Audits not yet reported that this person leads, joins, or whose department is audited."""
    in_team = select(audit_team.c.audit_id).where(audit_team.c.user_id == user.id)
    who = or_(Audit.lead_auditor_id == user.id, Audit.id.in_(in_team))
    audited = rules.departments_where(user, "audits.read")
    if audited:
        who = or_(who, Audit.department_id.in_(audited))
    found = db.session.scalars(
        select(Audit).where(Audit.status.in_(("planned", "in_progress")), who)
        .order_by(Audit.planned_start, Audit.id).limit(200))
    return [Item("audit", f"{a.reference} · {a.department.name(locale)}",
                 a.id, a.planned_start,
                 a.planned_end < today, _status_label(a.status)) for a in found]


def findings(user, today: date) -> list[Item]:
    """Findings of signed reports on the departments this person answers for (heads), until
    answered; overdue past their response due date."""
    departments = rules.departments_where(user, "audits.respond")
    return [Item("finding", f"{f.reference} · {f.description[:120]}", f.audit_id,
                 f.response_due_on,
                 f.response_due_on is not None and f.response_due_on < today)
            for f in audit_queries.findings_to_answer(departments)]


def recalls(user, locale: str) -> list[Item]:
    """Controlled copies of superseded revisions this person should destroy or return."""
    return [Item("recall", f"{_title(r.revision.document, locale)} · {_('revision')} "
                           f"{r.revision.label}", r.id)
            for r in recalls_pending_for(user)]


def objective_steps(user, today: date) -> list[Item]:
    """Plan items of quality objectives this person carries out, due within the horizon."""
    horizon = today + timedelta(days=ACTION_HORIZON_DAYS)
    return [Item("objective", f"{item.objective.year} · {item.description[:120]}",
                 item.objective_id, item.due_on, item.due_on < today)
            for item in objective_queries.open_items_of(user.id) if item.due_on <= horizon]


def _status_label(status: str) -> str:
    label = AUDIT_STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def my_work(user, today: date, locale: str) -> Work:
    """Everything that waits for this person, overdue first within each kind."""
    groups = {
        "approve": approvals(user, locale),
        "review": reviews(user, today, locale),
        "read": readings(user, today, locale),
        "contain": to_contain(user, today),
        "action": actions(user, today),
        "check": checks(user, today),
        "audit": audits(user, today, locale),
        "finding": findings(user, today),
        "recall": recalls(user, locale),
        "objective": objective_steps(user, today),
    }
    for items in groups.values():
        items.sort(key=lambda item: (not item.overdue, item.due or date.max))
    return Work(groups)
