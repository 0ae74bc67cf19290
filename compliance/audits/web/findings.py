"""Child blueprint `audits.findings`: the date by which the audited department answers a
finding (auditors, coordinators) and its answer (the department's head)."""

from __future__ import annotations

from flask import Blueprint, flash
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.audits import rules
from compliance.audits.services import findings
from compliance.audits.web.page import back, invalid, readable, refused, sent
from compliance.core import clock
from compliance.core.errors import DomainError

bp = Blueprint("findings", __name__, url_prefix="/<int:audit_id>/findings")


@bp.post("/<int:finding_id>/due")
@login_required
def set_due(audit_id: int, finding_id: int):
    """Set or move a finding's response due date."""
    audit = readable(audit_id, for_update=True)
    rules.ensure(rules.may_set_due(current_user, audit),
                 _("Only the auditors assigned to this audit can record it."))
    finding = findings.get_finding(audit, finding_id)
    form = sent("due", audit)
    if not form.validate_on_submit():
        return invalid(audit, "due", form, finding_id=finding.id)
    try:
        findings.set_response_due(current_user, audit, finding,
                                  due_on=form.response_due_on.data,
                                  expected_version=form.version.data, today=clock.today())
    except DomainError as error:
        return refused(audit, "due", form, error, finding_id=finding.id)
    flash(_("Response due date of %(ref)s saved.", ref=finding.reference), "success")
    return back(audit, "#findings")


@bp.post("/<int:finding_id>/response")
@login_required
def respond(audit_id: int, finding_id: int):
    """Record the audited department's answer to a finding."""
    audit = readable(audit_id, for_update=True)
    rules.ensure(rules.may_respond(current_user, audit),
                 _("Only the head of the audited department answers its findings."))
    finding = findings.get_finding(audit, finding_id)
    form = sent("response", audit)
    if not form.validate_on_submit():
        return invalid(audit, "response", form, finding_id=finding.id)
    try:
        findings.respond(current_user, audit, finding, response=form.response.data)
    except DomainError as error:
        return refused(audit, "response", form, error, finding_id=finding.id)
    flash(_("Response to %(ref)s recorded.", ref=finding.reference), "success")
    return back(audit, "#findings")
