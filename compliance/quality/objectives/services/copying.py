"""Copying one year's objectives into another in one step: the statements, how each is
measured and the plan items (due dates moved by as many years, nothing done yet). Progress,
values and evaluations stay with the year they belong to."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.core.db import utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.org.models import Department
from compliance.quality.objectives import rules
from compliance.quality.objectives.models import Objective, PlanItem
from compliance.quality.objectives.services.common import check_year

# The scope meaning every department and the organisation (for those who manage them all).
EVERYWHERE = "all"


def _moved(day: date, years: int) -> date:
    """The same day so many years on (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _scope(statement, scope):
    if scope == EVERYWHERE:
        return statement
    if scope is None:
        return statement.where(Objective.department_id.is_(None))
    return statement.where(Objective.department_id == scope)


def _scope_name(scope, locale: str) -> str:
    if scope == EVERYWHERE:
        return _("the departments and the organisation")
    if scope is None:
        return _("the organisation as a whole")
    department = db.session.get(Department, scope)
    return department.name(locale) if department else str(scope)


def copy_year(actor, *, from_year: int | None, to_year: int | None, scope, today: date,
              locale: str = "vi") -> list[Objective]:
    """Copy the objectives of `from_year` for the scope (a department id, None for the
    organisation, or EVERYWHERE) into `to_year`; refused when `to_year` has some already."""
    if scope == EVERYWHERE:
        rules.ensure(rules.managed_department_ids(actor) is None,
                     _("Only a coordinator copies every department's objectives at once."))
    else:
        rules.ensure_manage_in(actor, scope)
    from_year = check_year(from_year, today, "from_year")
    to_year = check_year(to_year, today, "to_year")
    if from_year == to_year:
        raise DomainError(_("Choose another year to copy into."), field="to_year")
    sources = list(db.session.scalars(_scope(select(Objective), scope)
                                      .where(Objective.year == from_year)
                                      .order_by(Objective.department_id, Objective.id)))
    # A department closed since keeps its old objectives but gets no new ones.
    sources = [o for o in sources if o.department is None or o.department.active]
    if not sources:
        raise DomainError(_("%(scope)s has no objectives in %(year)d to copy.",
                            scope=_scope_name(scope, locale).capitalize(), year=from_year),
                          field="from_year")
    already = db.session.scalar(_scope(select(db.func.count(Objective.id)), scope)
                                .where(Objective.year == to_year))
    if already:
        raise DomainError(ngettext(
            "%(year)d already has %(num)d objective for %(scope)s: nothing was copied. Add to "
            "it by hand, or copy into another year.",
            "%(year)d already has %(num)d objectives for %(scope)s: nothing was copied. Add to "
            "them by hand, or copy into another year.", already, year=to_year,
            scope=_scope_name(scope, locale)), field="to_year")
    return [_copy(actor, source, to_year) for source in sources]


def _copy(actor, source: Objective, to_year: int) -> Objective:
    years = to_year - source.year
    copy = Objective(year=to_year, department_id=source.department_id,
                     statement_vi=source.statement_vi, statement_en=source.statement_en,
                     measurement=source.measurement, measure_id=source.measure_id,
                     target=source.target, unit=source.unit, direction=source.direction,
                     copied_from_id=source.id, created_by_id=getattr(actor, "id", None))
    for item in source.items:
        # An owner who has left cannot be chased: the one who copies takes the step over.
        owner_id = item.owner_id if item.owner.active else getattr(actor, "id", item.owner_id)
        copy.items.append(PlanItem(description=item.description, resources=item.resources,
                                   owner_id=owner_id, due_on=_moved(item.due_on, years),
                                   evaluation_method=item.evaluation_method, done=False,
                                   created_at=utcnow()))
    db.session.add(copy)
    db.session.flush()
    record(actor, "objective.copy", "objective", copy.id,
           after={**copy.snapshot(), "copied_from_id": source.id,
                  "items": [i.snapshot() for i in copy.items]})
    return copy
