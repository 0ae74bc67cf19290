"""After a corrective action closes (10.2.1 e): the answer to "does the risk register need
updating?", recorded once per corrective action by whoever manages its department's risks.
"Updated" names the risk and links the corrective action to it."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.capa.models import CorrectiveAction
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.quality.risks import rules
from compliance.quality.risks.labels import OUTCOMES
from compliance.quality.risks.models import Risk, RiskCaReview
from compliance.quality.risks.services.risks import add_link


def get_ca(ca_id: int) -> CorrectiveAction:
    """The corrective action asked about, or NotFound."""
    ca = db.session.get(CorrectiveAction, ca_id)
    if ca is None:
        raise NotFound(_("No such corrective action."))
    return ca


def answer_of(ca_id: int) -> RiskCaReview | None:
    """The recorded answer for a corrective action, if any."""
    return db.session.scalar(select(RiskCaReview)
                             .where(RiskCaReview.corrective_action_id == ca_id))


def answer(actor, ca: CorrectiveAction, *, outcome: str, risk_id: int | None, note: str,
           today: date) -> RiskCaReview:
    """Record "risk register reviewed after <CA>: updated <risk> / no change needed"."""
    rules.ensure(rules.may_answer_ca_review(actor, ca.department_id),
                 _("Only a coordinator or the head of the department can answer this."))
    if ca.status != "closed":
        raise DomainError(_("The corrective action is not closed yet."), status=409)
    if answer_of(ca.id) is not None:
        raise DomainError(_("The risk register was already reviewed after this corrective "
                            "action."), status=409)
    if outcome not in OUTCOMES:
        raise DomainError(_("Say whether a risk was updated or no change was needed."),
                          field="outcome")
    risk = None
    if outcome == "updated":
        risk = db.session.get(Risk, risk_id or 0)
        if risk is None or risk.department_id != ca.department_id:
            raise DomainError(_("Choose the risk of this department that you updated."),
                              field="risk_id")
        if not any(link.corrective_action_id == ca.id for link in risk.links):
            add_link(actor, risk, corrective_action_id=ca.id, note=note, today=today,
                     field="risk_id")
    review = RiskCaReview(corrective_action_id=ca.id, outcome=outcome,
                          risk_id=risk.id if risk else None, note=(note or "").strip(),
                          recorded_by_id=getattr(actor, "id", None), recorded_on=today)
    db.session.add(review)
    db.session.flush()
    record(actor, "risk.ca_review", "corrective_action", ca.id,
           after={"outcome": outcome, "risk": risk.reference if risk else None,
                  "note": review.note})
    return review
