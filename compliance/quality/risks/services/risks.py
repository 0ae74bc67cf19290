"""Risks and opportunities: add one to a department's register, rate it before and after
treatment, review it, change its status, link the findings and corrective actions that
changed it. Every change is an audit event on the risk."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.audits.models import Finding
from compliance.capa.models import CorrectiveAction
from compliance.core.counters import next_value
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.org.models import Department, Process
from compliance.quality.risks import levels, rules
from compliance.quality.risks.labels import KINDS, STATE_LABELS, STATES, TRANSITIONS
from compliance.quality.risks.models import Risk, RiskLink
from compliance.quality.risks.services.common import check_version, current_scale


def a_year_after(day: date) -> date:
    """The same day a year later (28 February for 29 February)."""
    return day.replace(year=day.year + 1,
                       day=min(day.day, monthrange(day.year + 1, day.month)[1]))


def require_open(risk: Risk) -> None:
    """Refuse (409) a change to a closed risk: it is reopened first."""
    if risk.status == "closed":
        raise DomainError(_("This risk is closed: reopen it first."), status=409)


def _rating(scale: levels.Scale, value, field: str, what: str, *, optional: bool = False):
    if optional and not value:
        return None
    if not isinstance(value, int) or not 1 <= value <= scale.size:
        raise DomainError(_("Choose the %(what)s, from 1 to %(size)d.", what=what,
                            size=scale.size), field=field)
    return value


def _ratings(likelihood, impact, residual_likelihood=None, residual_impact=None) -> dict:
    scale = current_scale()
    values = {"likelihood": _rating(scale, likelihood, "likelihood", _("likelihood")),
              "impact": _rating(scale, impact, "impact", _("impact")),
              "residual_likelihood": _rating(scale, residual_likelihood, "residual_likelihood",
                                             _("likelihood after treatment"), optional=True),
              "residual_impact": _rating(scale, residual_impact, "residual_impact",
                                         _("impact after treatment"), optional=True)}
    if (values["residual_likelihood"] is None) != (values["residual_impact"] is None):
        missing = "residual_impact" if values["residual_impact"] is None else \
            "residual_likelihood"
        raise DomainError(_("Rate both the likelihood and the impact after treatment, or "
                            "neither."), field=missing)
    values["score"] = levels.score(values["likelihood"], values["impact"])
    values["residual_score"] = levels.score(values["residual_likelihood"],
                                            values["residual_impact"])
    return values


def _texts(kind: str, description: str, cause: str, consequence: str) -> dict:
    if kind not in KINDS:
        raise DomainError(_("Choose whether this is a risk or an opportunity."), field="kind")
    if not (description or "").strip():
        raise DomainError(_("Describe the risk or opportunity."), field="description")
    return {"kind": kind, "description": description.strip(),
            "cause": (cause or "").strip(), "consequence": (consequence or "").strip()}


def _process(process_id: int | None, department_id: int) -> int | None:
    if not process_id:
        return None
    process = db.session.get(Process, process_id)
    if process is None or process.department_id != department_id:
        raise DomainError(_("Choose one of the department's processes, or none."),
                          field="process_id")
    return process.id


def _review_on(review_on: date | None, today: date) -> date:
    if review_on is None:
        return a_year_after(today)
    if review_on < today:
        raise DomainError(_("The review date cannot be in the past."), field="review_on")
    return review_on


def create_risk(actor, *, department_id: int, kind: str, description: str, cause: str = "",
                consequence: str = "", likelihood: int, impact: int,
                process_id: int | None = None, review_on: date | None = None,
                today: date) -> Risk:
    """Add a risk or an opportunity to a department's register, rated before treatment."""
    department = db.session.get(Department, department_id or 0)
    if department is None:
        raise DomainError(_("Choose a department."), field="department_id")
    rules.ensure_create(actor, department.id)
    values = {**_texts(kind, description, cause, consequence),
              **_ratings(likelihood, impact),
              "process_id": _process(process_id, department.id),
              "review_on": _review_on(review_on, today)}
    number = next_value("risk", department.organisation_id)
    risk = Risk(reference=f"R-{number:02d}", department_id=department.id,
                organisation_id=department.organisation_id,
                status="open", raised_by_id=getattr(actor, "id", None), raised_on=today,
                **values)
    db.session.add(risk)
    db.session.flush()
    record(actor, "risk.create", "risk", risk.id, after=risk.snapshot())
    return risk


def update_risk(actor, risk: Risk, *, kind: str, description: str, cause: str,
                consequence: str, likelihood: int, impact: int,
                residual_likelihood: int | None, residual_impact: int | None,
                process_id: int | None, review_on: date | None, today: date,
                expected_version: int | None) -> Risk:
    """Edit a risk: its wording, process, ratings before and after treatment, review date."""
    rules.ensure_manage(actor, risk)
    require_open(risk)
    check_version(risk, expected_version)
    before = risk.snapshot()
    values = {**_texts(kind, description, cause, consequence),
              **_ratings(likelihood, impact, residual_likelihood, residual_impact),
              "process_id": _process(process_id, risk.department_id)}
    if review_on != risk.review_on:
        values["review_on"] = _review_on(review_on, today)
    for name, value in values.items():
        setattr(risk, name, value)
    db.session.flush()
    record(actor, "risk.update", "risk", risk.id, before=before, after=risk.snapshot())
    return risk


def change_status(actor, risk: Risk, *, status: str, note: str, today: date,
                  expected_version: int | None) -> Risk:
    """Treated (residual rated, every action done), accepted or closed (with the reason),
    or open again."""
    rules.ensure_manage(actor, risk)
    check_version(risk, expected_version)
    if status not in STATES:
        raise DomainError(_("Choose the new status."), field="status")
    if status not in TRANSITIONS[risk.status]:
        raise DomainError(_("A risk that is %(now)s cannot become %(next)s.",
                            now=str(STATE_LABELS[risk.status]).lower(),
                            next=str(STATE_LABELS[status]).lower()), field="status")
    note = (note or "").strip()
    if status == "treated":
        if risk.residual_score is None:
            raise DomainError(_("Rate the risk after treatment first (edit the risk)."),
                              field="status")
        if any(a.status == "open" for a in risk.actions):
            raise DomainError(_("Every treatment action must be done first."), field="status")
    if status in ("accepted", "closed") and not note:
        raise DomainError(_("Give the reason."), field="note")
    before = risk.status
    risk.status, risk.status_note = status, note
    db.session.flush()
    record(actor, "risk.status", "risk", risk.id, before={"status": before},
           after={"status": status, "note": note, "on": today})
    return risk


def record_review(actor, risk: Risk, *, note: str, next_review_on: date | None, today: date,
                  expected_version: int | None) -> Risk:
    """The periodic review: looked at today, next one on the date given."""
    rules.ensure_manage(actor, risk)
    require_open(risk)
    check_version(risk, expected_version)
    if next_review_on is None or next_review_on <= today:
        raise DomainError(_("The next review must be after today."), field="next_review_on")
    before = {"review_on": risk.review_on, "reviewed_on": risk.reviewed_on}
    risk.reviewed_on, risk.review_on = today, next_review_on
    db.session.flush()
    record(actor, "risk.review", "risk", risk.id, before=before,
           after={"reviewed_on": today, "review_on": next_review_on,
                  "note": (note or "").strip()})
    return risk


def add_link(actor, risk: Risk, *, finding_id: int | None = None,
             corrective_action_id: int | None = None, note: str = "", today: date,
             field: str = "target") -> RiskLink:
    """Link a finding or a corrective action of the risk's department that changed it."""
    rules.ensure_manage(actor, risk)
    require_open(risk)
    if bool(finding_id) == bool(corrective_action_id):
        raise DomainError(_("Choose a finding or a corrective action."), field=field)
    if corrective_action_id:
        ca = db.session.get(CorrectiveAction, corrective_action_id)
        if ca is None or ca.department_id != risk.department_id:
            raise DomainError(_("Choose a corrective action of this department."), field=field)
        known = any(link.corrective_action_id == ca.id for link in risk.links)
    else:
        finding = db.session.get(Finding, finding_id)
        if finding is None or finding.audit.department_id != risk.department_id:
            raise DomainError(_("Choose a finding of this department."), field=field)
        known = any(link.finding_id == finding.id for link in risk.links)
    if known:
        raise DomainError(_("This risk is linked to it already."), field=field)
    link = RiskLink(risk=risk, finding_id=finding_id or None,
                    corrective_action_id=corrective_action_id or None,
                    note=(note or "").strip(), added_by_id=getattr(actor, "id", None),
                    added_on=today)
    db.session.add(link)
    db.session.flush()
    record(actor, "risk.link", "risk", risk.id,
           after={"finding_id": link.finding_id,
                  "corrective_action_id": link.corrective_action_id, "note": link.note})
    return link
