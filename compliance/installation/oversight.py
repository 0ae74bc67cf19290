"""What an overseer reads: the organisations below their grants, and one row of figures for
each, from a handful of grouped queries (never one query per organisation).

Oversight reads and never writes, by construction: the overseer stays in their own
organisation everywhere else in the app (every `may_<write>` rule and the tenancy backstop
see only it), and the overseen organisations are read only here, by these queries and the
GET pages of `installation.oversight_web`; no write path consults a grant."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from compliance.audits.models import Audit
from compliance.capa.models import TARGET_STATES, CorrectiveAction
from compliance.core import clock, tenancy
from compliance.core.errors import NotFound
from compliance.core.extensions import db
from compliance.documents.models import Document
from compliance.installation import tree
from compliance.installation.models import OversightGrant
from compliance.org.models import Department, Organisation
from compliance.quality.objectives.models import Objective

DONE_AUDITS = ("reported", "closed")


@dataclass
class OversightRow:
    """One overseen organisation's figures."""

    organisation: Organisation
    depth: int
    certificate_expires_on: date | None = None
    documents_overdue: int = 0
    audits_done: int = 0
    audits_planned: int = 0
    actions_open: int = 0
    actions_overdue: int = 0
    objectives: dict[str, int] = field(default_factory=dict)


def overseen_ids(user) -> set[int]:
    """The organisations the person oversees: those granted and all below them."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    # Asked by the page and by its navigation: once per request.
    cache = g.setdefault("compliance_overseen", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = _overseen_ids(user)
    return set(cache[user.id])


def _overseen_ids(user) -> set[int]:
    with tenancy.across_organisations():
        granted = list(db.session.scalars(select(OversightGrant.organisation_id)
                                          .where(OversightGrant.user_id == user.id)))
    return tree.subtree_ids(granted) if granted else set()


def overseen_record(model, organisation_id: int, record_id: int):
    """One record of an overseen organisation (read acting for it), or NotFound: none of
    another organisation's, and no draft document (its people have not issued it)."""
    with tenancy.acting_for(organisation_id):
        found = db.session.get(model, record_id)
    if found is None or found.organisation_id != organisation_id or \
            (model is Document and found.status == "draft"):
        raise NotFound(_("No such record."))
    return found


def _grouped(stmt) -> dict:
    with tenancy.across_organisations():
        return {row[0]: row[1:] for row in db.session.execute(stmt).all()}


def overview(ids: set[int], today: date | None = None) -> list[OversightRow]:
    """One row per overseen organisation, in the tree's order."""
    if not ids:
        return []
    today = today or clock.today()
    rows = [OversightRow(o, depth) for o, depth in tree.ordered() if o.id in ids]
    org = {row.organisation.id: row for row in rows}
    for organisation_id, (expires,) in _grouped(
            select(Department.organisation_id, func.min(Department.certificate_expires_on))
            .where(Department.organisation_id.in_(ids), Department.active.is_(True))
            .group_by(Department.organisation_id)).items():
        org[organisation_id].certificate_expires_on = expires
    for organisation_id, (count,) in _grouped(
            # count(*), not count(id): the id is not in the index the count is read from.
            select(Document.organisation_id, func.count())
            .where(Document.organisation_id.in_(ids), Document.status == "effective",
                   Document.next_review_date < today)
            .group_by(Document.organisation_id)).items():
        org[organisation_id].documents_overdue = count
    _audits(org, ids, today)
    _actions(org, ids, today)
    with tenancy.across_organisations():
        for organisation_id, result, count in db.session.execute(
                select(Objective.organisation_id, Objective.result, func.count(Objective.id))
                .where(Objective.organisation_id.in_(ids), Objective.year == today.year)
                .group_by(Objective.organisation_id, Objective.result)).all():
            counts = org[organisation_id].objectives
            counts[result or "open"] = counts.get(result or "open", 0) + count
    return rows


def _audits(org: dict, ids: set[int], today: date) -> None:
    """Audits of this year's programme: done (reported or closed) against planned."""
    done = func.sum(case((Audit.status.in_(DONE_AUDITS), 1), else_=0))
    for organisation_id, (planned, finished) in _grouped(
            select(Audit.organisation_id, func.count(Audit.id), done)
            .where(Audit.organisation_id.in_(ids), Audit.status != "cancelled",
                   Audit.planned_start >= date(today.year, 1, 1),
                   Audit.planned_start <= date(today.year, 12, 31))
            .group_by(Audit.organisation_id)).items():
        org[organisation_id].audits_planned = planned
        org[organisation_id].audits_done = int(finished or 0)


def _actions(org: dict, ids: set[int], today: date) -> None:
    """Corrective actions still open, and those short of their plan after the target date."""
    overdue = func.sum(case((CorrectiveAction.status.in_(TARGET_STATES)
                             & (CorrectiveAction.target_on < today), 1), else_=0))
    for organisation_id, (still_open, late) in _grouped(
            select(CorrectiveAction.organisation_id, func.count(CorrectiveAction.id), overdue)
            .where(CorrectiveAction.organisation_id.in_(ids),
                   CorrectiveAction.status != "closed")
            .group_by(CorrectiveAction.organisation_id)).items():
        org[organisation_id].actions_open = still_open
        org[organisation_id].actions_overdue = int(late or 0)

