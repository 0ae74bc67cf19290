"""Child blueprint `capa.analysis`: the immediate correction and the root-cause analysis."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user, login_required

from compliance.capa import rules, services
from compliance.capa.web.common import back, invalid, posted, readable, refused
from compliance.core import clock
from compliance.core.errors import DomainError

bp = Blueprint("analysis", __name__)


@bp.post("/<int:ca_id>/contain")
@login_required
def contain(ca_id: int):
    """Record the immediate correction."""
    ca = readable(ca_id, for_update=True)
    rules.ensure_manage(current_user, ca)
    form = posted("contain", ca)
    if not form.validate_on_submit():
        return invalid(ca, "contain", form)
    try:
        services.contain(current_user, ca, correction=form.correction.data,
                         corrected_on=form.corrected_on.data, today=clock.today(),
                         expected_version=form.version.data)
    except DomainError as error:
        return refused(ca, "contain", form, error)
    return back(ca, "#containment")


@bp.post("/<int:ca_id>/analyse")
@login_required
def analyse(ca_id: int):
    """Record the root-cause analysis."""
    ca = readable(ca_id, for_update=True)
    rules.ensure_manage(current_user, ca)
    form = posted("analysis", ca)
    if not form.validate_on_submit():
        return invalid(ca, "analysis", form)
    try:
        services.analyse(current_user, ca, whys=form.whys(), ishikawa=form.ishikawa.data,
                         extent=form.extent.data, affected_ids=form.affected_ids.data or [],
                         expected_version=form.version.data)
    except DomainError as error:
        return refused(ca, "analysis", form, error)
    return back(ca, "#analysis")
