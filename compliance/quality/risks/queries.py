"""Reads of the risk register for its pages, the jobs, and the dashboard, reports and packs
to come: data only (rows, counts, dataclasses), never URLs. A read that takes `user` limits
itself to what the user may see; the figures for reports take none, and their callers ask
`rules` first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from compliance.audits.models import Audit, Finding
from compliance.auth.models import User
from compliance.capa.models import CorrectiveAction
from compliance.core.collation import sorted_people
from compliance.core.extensions import db
from compliance.quality.risks import heatmap, levels, rules
from compliance.quality.risks.labels import ACTIVE_STATES
from compliance.quality.risks.models import Risk, RiskAction, RiskCaReview, RiskLink


@dataclass
class Filters:
    """What the register is narrowed to."""

    department_id: int | None = None
    process_id: int | None = None
    kind: str | None = None
    status: str | None = None
    level: str | None = None


def register(filters: Filters, scale: levels.Scale, *, user=None) -> list[Risk]:
    """Risks by department and reference (only those the user may see, when one is named);
    the level filter reads the level before treatment on the scale given."""
    query = select(Risk).options(selectinload(Risk.actions), selectinload(Risk.links))
    if user is not None:
        query = rules.visible_risks(user, query)
    if filters.department_id:
        query = query.where(Risk.department_id == filters.department_id)
    if filters.process_id:
        query = query.where(Risk.process_id == filters.process_id)
    if filters.kind:
        query = query.where(Risk.kind == filters.kind)
    if filters.status:
        query = query.where(Risk.status == filters.status)
    if filters.level:
        band = scale.band(filters.level)
        query = query.where(Risk.score.between(band.low, band.high)) if band else \
            query.where(Risk.id.is_(None))
    rows = db.session.scalars(query.order_by(Risk.department_id, Risk.id))
    return list(rows)


def for_process(user, process_id: int) -> list[Risk]:
    """The risks and opportunities of one process that the user may see, highest first."""
    query = rules.visible_risks(user, select(Risk).where(Risk.process_id == process_id))
    return list(db.session.scalars(query.order_by(Risk.status == "closed",
                                                  Risk.score.desc(), Risk.id)))


def linked_to_ca(user, ca_id: int) -> list[Risk]:
    """The risks (that the user may see) linked to a corrective action."""
    query = rules.visible_risks(user, select(Risk).join(RiskLink, RiskLink.risk_id == Risk.id)
                                .where(RiskLink.corrective_action_id == ca_id))
    return list(db.session.scalars(query.order_by(Risk.id)))


def ca_reviews_of_risk(risk_id: int) -> list[RiskCaReview]:
    """The answers after closed corrective actions that named this risk as updated."""
    return list(db.session.scalars(select(RiskCaReview).where(RiskCaReview.risk_id == risk_id)
                                   .order_by(RiskCaReview.id)))


# Figures for the heat map, the dashboard, the six-monthly report and the review's input ----

def _ratings(after: bool):
    if after:
        return (func.coalesce(Risk.residual_likelihood, Risk.likelihood),
                func.coalesce(Risk.residual_impact, Risk.impact))
    return Risk.likelihood, Risk.impact


def heat_counts(*, department_id: int | None = None, after: bool = False,
                kind: str = "risk",
                statuses: tuple[str, ...] = ACTIVE_STATES) -> dict[tuple[int, int], int]:
    """(likelihood, impact) → number of risks not closed, for the organisation or one
    department; after treatment, a risk not rated again counts at its first rating."""
    likelihood, impact = _ratings(after)
    query = (select(likelihood, impact, func.count()).where(Risk.kind == kind,
                                                           Risk.status.in_(statuses))
             .group_by(likelihood, impact))
    if department_id is not None:
        query = query.where(Risk.department_id == department_id)
    return {(int(lk), int(im)): n for lk, im, n in db.session.execute(query)}


def heat_map(scale: levels.Scale, *, department_id: int | None = None, after: bool = False,
             kind: str = "risk") -> heatmap.HeatMap:
    """The heat map's grid with its counts (draw it with `heatmap.svg`)."""
    return heatmap.build(scale, heat_counts(department_id=department_id, after=after,
                                            kind=kind))


def by_level(scale: levels.Scale, *, department_ids=None, after: bool = False,
             kind: str = "risk") -> dict[int, dict[str, int]]:
    """department id → level → number of risks not closed (every level of the scale
    present, zeros included)."""
    score = func.coalesce(Risk.residual_score, Risk.score) if after else Risk.score
    query = (select(Risk.department_id, score, func.count())
             .where(Risk.kind == kind, Risk.status.in_(ACTIVE_STATES))
             .group_by(Risk.department_id, score))
    if department_ids is not None:
        query = query.where(Risk.department_id.in_(set(department_ids)))
    found: dict[int, dict[str, int]] = {}
    for department_id, value, count in db.session.execute(query):
        per = found.setdefault(department_id, dict.fromkeys(scale.levels, 0))
        level = scale.level_of(value)
        if level is not None:
            per[level] += count
    return found


@dataclass(frozen=True)
class Effectiveness:
    """Treatment actions due in a period: done by their date, done after it, still open
    (not due yet on the day asked about) and open past their date."""

    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        """Every action counted."""
        return self.on_time + self.late + self.open + self.overdue


def action_effectiveness(today: date, *, start: date | None = None, end: date | None = None,
                         department_id: int | None = None) -> Effectiveness:
    """How the treatment actions due from start to end (all, when not given) went, as on
    `today` (9.3.2 e: the effectiveness of the actions taken on risks and opportunities)."""
    done = RiskAction.status == "done"
    outcome = case((done & (RiskAction.done_on <= RiskAction.due_on), "on_time"),
                   (done, "late"), (RiskAction.due_on < today, "overdue"), else_="open")
    query = select(outcome, func.count()).group_by(outcome)
    if department_id is not None:
        query = query.join(Risk, Risk.id == RiskAction.risk_id).where(
            Risk.department_id == department_id)
    if start is not None:
        query = query.where(RiskAction.due_on >= start)
    if end is not None:
        query = query.where(RiskAction.due_on <= end)
    return Effectiveness(**{name: n for name, n in db.session.execute(query)})


def opportunities(*, department_id: int | None = None,
                  statuses: tuple[str, ...] = ACTIVE_STATES) -> list[Risk]:
    """Opportunities not closed (9.3.2 f), highest rated first."""
    query = select(Risk).where(Risk.kind == "opportunity", Risk.status.in_(statuses))
    if department_id is not None:
        query = query.where(Risk.department_id == department_id)
    return list(db.session.scalars(query.order_by(Risk.score.desc(), Risk.id)))


# For the alert jobs: ranges of the (status, review_on) and (status, due_on) indexes --------

def reviews_due_by(day: date) -> list[Risk]:
    """Risks not closed whose review date is on or before day (overdue ones included)."""
    return list(db.session.scalars(
        select(Risk).where(Risk.status.in_(ACTIVE_STATES), Risk.review_on <= day)
        .order_by(Risk.review_on, Risk.id)))


def actions_due_by(day: date) -> list[RiskAction]:
    """Open treatment actions of risks not closed, due on or before day (overdue included)."""
    return list(db.session.scalars(
        select(RiskAction).join(Risk, Risk.id == RiskAction.risk_id)
        .where(RiskAction.status == "open", RiskAction.due_on <= day,
               Risk.status.in_(ACTIVE_STATES))
        .options(selectinload(RiskAction.risk)).order_by(RiskAction.due_on, RiskAction.id)))


# Choices for the forms ------------------------------------------------------------------

def owner_choices() -> list[User]:
    """People who may own a treatment action: every active user."""
    return sorted_people(db.session.scalars(select(User).where(User.is_person())))


def link_choices(department_id: int) -> tuple[list[CorrectiveAction], list[Finding]]:
    """The department's corrective actions and audit findings, newest first."""
    cas = db.session.scalars(select(CorrectiveAction)
                             .where(CorrectiveAction.department_id == department_id)
                             .order_by(CorrectiveAction.id.desc())).all()
    findings = db.session.scalars(select(Finding).join(Audit, Audit.id == Finding.audit_id)
                                  .where(Audit.department_id == department_id)
                                  .order_by(Finding.id.desc())).all()
    return list(cas), list(findings)


def department_risks(department_id: int) -> list[Risk]:
    """Every risk of a department not closed, by reference (to name the one updated)."""
    return list(db.session.scalars(select(Risk).where(Risk.department_id == department_id,
                                                      Risk.status != "closed")
                                   .order_by(Risk.id)))


def is_action_overdue(action: RiskAction, today: date) -> bool:
    """Open past its due date."""
    return action.status == "open" and action.due_on < today

