"""Child blueprint `capa.verification`: the effectiveness check, closure, closure by decision."""

from __future__ import annotations

from flask import Blueprint, flash
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.capa import rules, services
from compliance.capa.web.common import back, invalid, posted, readable, refused
from compliance.core import clock
from compliance.core.errors import DomainError

bp = Blueprint("verification", __name__)


@bp.post("/<int:ca_id>/check")
@login_required
def record_check(ca_id: int):
    """The verifier records whether the actions worked."""
    ca = readable(ca_id, for_update=True)
    rules.ensure_verify(current_user, ca)
    form = posted("check", ca)
    if not form.validate_on_submit():
        return invalid(ca, "check", form)
    upload = form.file.data
    try:
        services.record_check(current_user, ca, effective=form.result.data == "effective",
                              notes=form.notes.data, today=clock.today(),
                              stream=upload.stream if upload else None,
                              filename=upload.filename if upload else "")
    except DomainError as error:
        return refused(ca, "check", form, error)
    return back(ca, "#verification")


@bp.post("/<int:ca_id>/close")
@login_required
def close(ca_id: int):
    """Close after an effective check (no password: closure is not a signature)."""
    ca = readable(ca_id, for_update=True)
    rules.ensure_verify(current_user, ca)
    form = posted("close", ca)
    if not form.validate_on_submit():
        return invalid(ca, "close", form)
    try:
        services.close(current_user, ca, note=form.note.data, today=clock.today(),
                       expected_version=form.version.data)
    except DomainError as error:
        return refused(ca, "close", form, error)
    flash(_("Corrective action closed."), "success")
    return back(ca)


@bp.post("/<int:ca_id>/decision")
@login_required
def decide(ca_id: int):
    """Close an observation or opportunity for improvement with a recorded decision."""
    ca = readable(ca_id, for_update=True)
    rules.ensure_manage(current_user, ca)
    form = posted("decision", ca)
    if not form.validate_on_submit():
        return invalid(ca, "decision", form)
    try:
        services.close_by_decision(current_user, ca, decision=form.decision.data,
                                   today=clock.today(), expected_version=form.version.data)
    except DomainError as error:
        return refused(ca, "decision", form, error)
    flash(_("Corrective action closed."), "success")
    return back(ca)
