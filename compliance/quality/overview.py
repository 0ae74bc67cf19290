"""One department's quality system on one page (the auditor's "show me the objectives of this
department, how they are doing, and the risks of its processes"): its objectives of a year
with their progress, its processes' measures with their latest values, and its risks and
opportunities by process. Reads only, through each sub-domain's rule book."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from compliance.auth.permissions import roles_of
from compliance.core.errors import NotFound
from compliance.core.extensions import db
from compliance.org.models import Department, Process
from compliance.quality.measures import queries as measure_queries
from compliance.quality.objectives import queries as objective_queries
from compliance.quality.objectives import rules as objective_rules
from compliance.quality.risks import queries as risk_queries
from compliance.quality.risks import rules as risk_rules
from compliance.quality.risks.services.common import current_scale


@dataclass
class ProcessRisks:
    """A process of the department (None: the department's risks tied to no process) with
    its risks and opportunities, highest level first."""

    process: Process | None
    risks: list = field(default_factory=list)


@dataclass
class Overview:
    """What the department's quality page shows."""

    department: Department
    year: int
    objectives: list  # objectives.queries.Progress
    measures: list    # measures.queries.Latest
    processes: list[ProcessRisks]
    scale: object


def may_open(user, department_id: int) -> bool:
    """Readers of the department's objectives or of its risk register."""
    if not roles_of(user):
        return False
    return (objective_rules.may_read_all(user)
            or department_id in objective_rules.readable_department_ids(user)
            or risk_rules.may_read_department(user, department_id))


def half_year_code(year: int, today: date) -> str:
    """The half-year whose report shows the year best: the current one for this year, the
    second of a past year, the first of a year to come."""
    if year == today.year:
        return f"{year}-H{1 if today.month <= 6 else 2}"
    return f"{year}-H{2 if year < today.year else 1}"


def _by_process(department: Department, risks: list) -> list[ProcessRisks]:
    groups = {p.id: ProcessRisks(p) for p in sorted(department.processes, key=lambda p: p.code)}
    loose = ProcessRisks(None)
    for risk in sorted(risks, key=lambda r: (r.status == "closed", -(r.score or 0), r.id)):
        groups.get(risk.process_id, loose).risks.append(risk)
    return [*groups.values(), *([loose] if loose.risks else [])]


def department_overview(user, department_id: int, year: int | None, today: date) -> Overview:
    """The department's objectives of the year, measures and risks, as the user may read them;
    without a year, this year's, or (in January, before they are set) the latest year's."""
    department = db.session.get(Department, department_id)
    if department is None:
        raise NotFound(_("No such department."))
    objectives = objective_queries.objective_list(user, year or today.year, department_id,
                                                  today)
    if year is None:
        year = today.year
        earlier = [y for y in objective_queries.years(user, today) if y < year]
        if not objectives and earlier:
            year = earlier[0]
            objectives = objective_queries.objective_list(user, year, department_id, today)
    measures = measure_queries.listing(user, department_id=department_id)
    scale = current_scale()
    risks = risk_queries.register(risk_queries.Filters(department_id=department_id), scale,
                                  user=user)
    return Overview(department, year, objectives, [m for m in measures if m.measure.active],
                    _by_process(department, risks), scale)
