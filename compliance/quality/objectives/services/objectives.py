"""An objective: setting it, changing how it reads and is measured, noting progress during
the year, and the year-end evaluation."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from compliance.audit_trail.services import record
from compliance.core.db import utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.locale import format_day
from compliance.org.models import Department
from compliance.quality.objectives import queries, rules
from compliance.quality.objectives.models import (
    DIRECTIONS,
    MEASUREMENTS,
    RESULTS,
    Objective,
    ProgressNote,
)
from compliance.quality.objectives.services.common import (
    SHORT_LIMIT,
    check_version,
    check_year,
    clean,
    number,
    require_open,
)


def _department(department_id: int | None) -> int | None:
    if department_id is None:
        return None
    department = db.session.get(Department, department_id)
    if department is None or not department.active:
        raise DomainError(_("Choose one of the departments listed."), field="department_id")
    return department.id


def _measured(*, measurement: str, measure_id: int | None, target: float | None, unit: str,
              direction: str) -> dict:
    """The measurement columns, checked: a measure that exists, or a target by hand."""
    if measurement not in MEASUREMENTS:
        raise DomainError(_("Choose how the objective is measured."), field="measurement")
    if direction not in DIRECTIONS:
        raise DomainError(_("Choose whether a higher or a lower value is better."),
                          field="direction")
    values = {"measurement": measurement, "direction": direction,
              "unit": clean(unit, field="unit", limit=40)}
    if measurement == "measure":
        if measure_id not in dict(queries.measure_choices("vi")):
            raise DomainError(_("Choose one of the process measures listed."),
                              field="measure_id")
        values.update(measure_id=measure_id, target=number(target, field="target"))
    else:
        values.update(measure_id=None, target=number(
            target, field="target", missing=_("Give the target value to reach.")))
    return values


def _statements(statement_vi: str, statement_en: str) -> dict:
    return {"statement_vi": clean(statement_vi, field="statement_vi", limit=SHORT_LIMIT,
                                  missing=_("State the objective in Vietnamese.")),
            "statement_en": clean(statement_en, field="statement_en", limit=SHORT_LIMIT)}


def create_objective(actor, *, year: int, department_id: int | None, statement_vi: str,
                     statement_en: str = "", measurement: str = "manual",
                     measure_id: int | None = None, target: float | None = None,
                     unit: str = "", direction: str = "higher", today: date) -> Objective:
    """Set an objective for a department (None: the organisation) and a year."""
    rules.ensure_manage_in(actor, department_id)
    objective = Objective(year=check_year(year, today), department_id=_department(department_id),
                          created_by_id=getattr(actor, "id", None),
                          **_statements(statement_vi, statement_en),
                          **_measured(measurement=measurement, measure_id=measure_id,
                                      target=target, unit=unit, direction=direction))
    db.session.add(objective)
    db.session.flush()
    record(actor, "objective.create", "objective", objective.id, after=objective.snapshot())
    return objective


def edit_objective(actor, objective: Objective, *, statement_vi: str, statement_en: str,
                   measurement: str, measure_id: int | None, target: float | None, unit: str,
                   direction: str, expected_version: int | None) -> Objective:
    """Reword an objective or change how it is measured (department and year stay)."""
    rules.ensure_manage(actor, objective)
    require_open(objective)
    check_version(objective, expected_version)
    values = {**_statements(statement_vi, statement_en),
              **_measured(measurement=measurement, measure_id=measure_id, target=target,
                          unit=unit, direction=direction)}
    before = objective.snapshot()
    for name, value in values.items():
        setattr(objective, name, value)
    db.session.flush()
    record(actor, "objective.edit", "objective", objective.id, before=before,
           after=objective.snapshot())
    return objective


def record_progress(actor, objective: Objective, *, noted_on: date | None, text: str,
                    value: float | None = None, today: date) -> ProgressNote:
    """A dated progress note; with a value (objectives checked by hand), the current value
    becomes the one of the latest date."""
    rules.ensure(rules.may_note_progress(actor, objective),
                 _("Only a coordinator or the head of the department can do this."))
    require_open(objective)
    if noted_on is None:
        raise DomainError(_("Give the date of the note."), field="noted_on")
    if noted_on > today:
        raise DomainError(_("The date cannot be in the future."), field="noted_on")
    if noted_on < date(objective.year, 1, 1):
        raise DomainError(_("The date must fall in %(year)d or later.", year=objective.year),
                          field="noted_on")
    body = clean(text, field="text", missing=_("Say how the objective is doing."))
    value = number(value, field="value")
    if value is not None and objective.measurement == "measure":
        raise DomainError(_("This objective is measured by a process measure: its values are "
                            "recorded with the measure."), field="value")
    note = ProgressNote(objective_id=objective.id, noted_on=noted_on, text=body, value=value,
                        author_id=getattr(actor, "id", None), created_at=utcnow())
    db.session.add(note)
    before = {"current_value": objective.current_value, "current_on": objective.current_on}
    # Notes are only ever added, so the latest-dated value is kept as they come (a note
    # dated the same day as the current value, entered later, replaces it).
    if value is not None and (objective.current_on is None or noted_on >= objective.current_on):
        objective.current_value, objective.current_on = value, noted_on
    db.session.flush()
    record(actor, "objective.progress", "objective", objective.id, before=before,
           after={"note": note.id, "noted_on": noted_on, "text": body, "value": value,
                  "current_value": objective.current_value,
                  "current_on": objective.current_on})
    return note


def evaluate(actor, objective: Objective, *, result: str, comment: str, today: date,
             expected_version: int | None) -> Objective:
    """The year-end evaluation: achieved, partly achieved or not achieved, with a comment;
    given again, it corrects the earlier one."""
    rules.ensure(rules.may_evaluate(actor, objective),
                 _("Only a coordinator or the head of the department can do this."))
    opens = rules.evaluation_opens(objective.year)
    if today < opens:
        raise DomainError(_("The year-end evaluation of %(year)d opens on %(date)s.",
                            year=objective.year, date=format_day(opens)), status=409)
    check_version(objective, expected_version)
    if result not in RESULTS:
        raise DomainError(_("Choose whether the objective was achieved."), field="result")
    comment = clean(comment, field="comment",
                    missing=_("Say what the evaluation rests on."))
    before = objective.snapshot()
    objective.result, objective.evaluation_comment = result, comment
    objective.evaluated_by_id, objective.evaluated_on = getattr(actor, "id", None), today
    db.session.flush()
    record(actor, "objective.evaluate", "objective", objective.id, before=before,
           after=objective.snapshot())
    return objective
