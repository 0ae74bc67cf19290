"""What every risk service needs: loading through the rule book, version checks, the scale."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.core import tenancy
from compliance.core.db import check_version as core_check_version
from compliance.core.db import get_child
from compliance.core.errors import NotFound, PermissionDenied
from compliance.core.extensions import db
from compliance.quality.risks import levels, rules
from compliance.quality.risks.models import Risk, RiskAction, RiskBand, RiskScale


def check_version(row, expected: int | None) -> None:
    """Refuse (409) an edit made on another version of the risk (or one naming none)."""
    core_check_version(row, expected, _("Someone else changed this risk while you were "
                                        "editing it. Reload the page and apply your change "
                                        "again."))


def get(risk_id: int, for_update: bool = False) -> Risk:
    """Load a risk or raise NotFound."""
    lock = {"of": Risk} if for_update else None
    risk = db.session.get(Risk, risk_id, with_for_update=lock)
    if risk is None:
        raise NotFound(_("No such risk."))
    return risk


def get_readable(user, risk_id: int, *, for_update: bool = False) -> Risk:
    """A risk the user may read; 403 otherwise (404 only for those who read all)."""
    try:
        risk = get(risk_id, for_update=for_update)
    except NotFound:
        # Those who read only some registers learn nothing from a missing id.
        if not rules.may_read_all(user):
            raise PermissionDenied(_("You may not open this risk.")) from None
        raise
    rules.ensure_read(user, risk)
    return risk


def get_action(risk: Risk, action_id: int) -> RiskAction:
    """A treatment action of this risk, or NotFound."""
    return get_child(db.session, RiskAction, action_id, _("No such action."), risk_id=risk.id)


def current_scale() -> levels.Scale:
    """The organisation's scale as stored, or the default until its coordinator sets one."""
    organisation_id = tenancy.acting_organisation_id()
    row = scale_row(organisation_id)
    if row is None:
        return levels.DEFAULT
    bands = db.session.scalars(select(RiskBand).where(
        RiskBand.organisation_id == organisation_id).order_by(RiskBand.low)).all()
    return levels.Scale(row.size, tuple(levels.Band(b.level, b.low, b.high) for b in bands),
                        version=row.version)


def scale_row(organisation_id: int, *, for_update: bool = False) -> RiskScale | None:
    """The organisation's stored scale, if it set one."""
    query = select(RiskScale).where(RiskScale.organisation_id == organisation_id)
    if for_update:
        query = query.with_for_update(of=RiskScale)
    return db.session.scalar(query)
