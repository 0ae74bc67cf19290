"""The quality system of a pack's scope, when the pack includes it: the objectives of the
years the period meets with their progress, the measures of the scope's processes with their
values in the period, and the risk register with its treatment actions. Objectives, measures
and risks belong to departments, so a department or audit scope reaches its department's and
the whole organisation reaches all (the organisation's own objectives included)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from compliance.core.extensions import db
from compliance.org.models import Department, Process
from compliance.quality.measures import queries as measure_queries
from compliance.quality.measures.models import Measure
from compliance.quality.objectives import queries as objective_queries
from compliance.quality.objectives.models import Objective
from compliance.quality.risks.models import Risk
from compliance.quality.risks.services.common import current_scale


@dataclass
class QualityPart:
    """What the pack's quality section prints."""

    objectives: list = field(default_factory=list)  # objectives.queries.Progress
    measures: list = field(default_factory=list)    # (Measure, measures.queries.Series)
    risks: list = field(default_factory=list)       # Risk, treatment actions loaded
    scale: object = None

    def entities(self) -> dict[str, set[int]]:
        """The records whose audit-trail events the pack's extract adds."""
        return {"objective": {p.objective.id for p in self.objectives},
                "measure": {m.id for m, _s in self.measures},
                "risk": {r.id for r in self.risks}}


def quality_of(scope, start: date, end: date, today: date) -> QualityPart:
    """The scope's objectives, measures with their values in the period, and risks."""
    department_id = None if scope.kind == "organisation" else scope.department_id
    objectives = (select(Objective).options(selectinload(Objective.items),
                                            selectinload(Objective.notes))
                  .outerjoin(Department, Department.id == Objective.department_id)
                  .where(Objective.year >= start.year, Objective.year <= end.year)
                  .order_by(Objective.year, case((Objective.department_id.is_(None), 0),
                                                 else_=1), Department.code, Objective.id))
    measures = (select(Measure).join(Process, Process.id == Measure.process_id)
                .order_by(Measure.code))
    risks = (select(Risk).options(selectinload(Risk.actions))
             .order_by(Risk.department_id, Risk.id))
    if department_id is not None:
        objectives = objectives.where(Objective.department_id == department_id)
        measures = measures.where(Process.department_id == department_id)
        risks = risks.where(Risk.department_id == department_id)
    on = min(end, today)
    return QualityPart(
        objectives=[objective_queries.progress_of(o, on)
                    for o in db.session.scalars(objectives).unique()],
        measures=[(m, measure_queries.series(m.id, start, end))
                  for m in db.session.scalars(measures).unique()],
        risks=list(db.session.scalars(risks)), scale=current_scale())
