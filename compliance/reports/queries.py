"""The figures of a six-monthly report and of a management-review input pack, read through
the documents, audits and corrective-action domains' own queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from compliance.audits import queries as audit_queries
from compliance.audits.services import grades
from compliance.auth.models import User
from compliance.capa import queries as ca_queries
from compliance.core import clock
from compliance.core.collation import sorted_people
from compliance.core.extensions import db
from compliance.documents import queries as document_queries
from compliance.org.models import Department
from compliance.reports import rules
from compliance.reports.models import ManagementReview, ReportNote, scope_key
from compliance.reports.periods import HalfYear, Period


@dataclass
class SixMonthly:
    """One department's (or the organisation's) half-year."""

    period: HalfYear
    department: Department | None
    documents: list
    reviews_done: list
    reviews_overdue: list
    audits: list
    findings: list           # (grade, count), in grade order
    opened: list
    closed: list
    overdue: list
    note: ReportNote | None
    # The organisation's report only: the same figures for each department.
    departments: list = field(default_factory=list)

    @property
    def finding_total(self) -> int:
        """Findings of the audits held, all grades."""
        return sum(count for _grade, count in self.findings)


DEPARTMENT_FIGURES = ("documents", "reviews_done", "reviews_overdue", "audits", "findings",
                      "opened", "closed", "overdue")


@dataclass
class DepartmentRow:
    """One department's figures in the organisation's report."""

    department: Department
    figures: dict[str, int]

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(figure, count) in the columns' order."""
        return [(name, self.figures[name]) for name in DEPARTMENT_FIGURES]


def _per_department(report: SixMonthly) -> list[DepartmentRow]:
    """The organisation's figures split by department: the same records, counted where they
    belong, so that each row equals that department's own report."""
    owners = {
        "documents": [d.department_id for d, _r in report.documents],
        "reviews_done": [d.department_id for _r, d in report.reviews_done],
        "reviews_overdue": [d.department_id for d, _due in report.reviews_overdue],
        "audits": [a.department_id for a in report.audits],
        "findings": [a.department_id for a in report.audits for _f in a.findings],
        "opened": [ca.department_id for ca in report.opened],
        "closed": [ca.department_id for ca in report.closed],
        "overdue": [ca.department_id for ca in report.overdue],
    }
    counts = {name: Counter(ids) for name, ids in owners.items()}
    seen = {i for ids in owners.values() for i in ids}
    shown = [d for d in db.session.scalars(select(Department).order_by(Department.code))
             if d.active or d.id in seen]
    return [DepartmentRow(d, {name: counts[name][d.id] for name in DEPARTMENT_FIGURES})
            for d in shown]


def _zone() -> str:
    # The organisation's zone (the signed-in person's, or the one a job acts for).
    return clock.zone().key


def _by_grade(findings) -> list:
    counts = Counter(f.grade for f in findings)
    return [(grade, counts.get(grade.code, 0)) for grade in grades.all_grades()]


def note_for(department_id: int | None, period: HalfYear) -> ReportNote | None:
    """The coordinator's notes for this scope and half-year, if written."""
    return db.session.scalar(select(ReportNote).where(
        ReportNote.scope == scope_key(department_id), ReportNote.year == period.year,
        ReportNote.half == period.half))


def overdue_reviews(period: Period, today: date | None,
                    department_id: int | None = None) -> list:
    """(document, due date) of the reviews overdue at the end of the period, read from the
    documents' next review dates as My work and the alerts read them (never recomputed):
    those still not done, whose date fell before the period's end (or before today, for a
    period not yet over)."""
    on = min(period.as_of, today or clock.today())
    return [(document, document.next_review_date)
            for document in document_queries.reviews_overdue(on, department_id)]


def six_monthly(period: HalfYear, department: Department | None,
                today: date | None = None) -> SixMonthly:
    """Everything the six-monthly report shows."""
    dept_id = department.id if department is not None else None
    start, end = period.bounds_utc(_zone())
    audits = audit_queries.reported_between(start, end, dept_id)
    report = SixMonthly(
        period=period, department=department,
        documents=document_queries.in_force_at(period.as_of, end, dept_id),
        reviews_done=document_queries.reviews_between(start, end, dept_id),
        reviews_overdue=overdue_reviews(period, today, dept_id),
        audits=audits, findings=_by_grade(f for a in audits for f in a.findings),
        opened=ca_queries.opened_between(period.start, period.end, dept_id),
        closed=ca_queries.closed_between(period.start, period.end, dept_id),
        overdue=ca_queries.overdue_at(period.as_of, dept_id),
        note=note_for(dept_id, period))
    if department is None:
        report.departments = _per_department(report)
    return report


@dataclass
class TrendRow:
    """Corrective actions opened, closed and overdue for one month, grade or department."""

    label: object
    opened: int = 0
    closed: int = 0
    overdue: int = 0


@dataclass
class InputPack:
    """The inputs to a management review (clause 9.3.2) for a period."""

    period: Period
    last_review: ManagementReview | None
    audits: list
    findings: list                     # (grade, count)
    findings_by_department: list       # (department, {grade code: count})
    months: list = field(default_factory=list)
    by_grade: list = field(default_factory=list)
    by_department: list = field(default_factory=list)
    reviews_overdue: list = field(default_factory=list)


def last_review_before(end: date) -> ManagementReview | None:
    """The latest management review held on or before the given day."""
    return db.session.scalar(select(ManagementReview).where(ManagementReview.held_on <= end)
                             .order_by(ManagementReview.held_on.desc(),
                                       ManagementReview.id.desc()).limit(1))


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def _months(period: Period) -> list[TrendRow]:
    rows = []
    for year, month in period.months():
        span = Period(max(period.start, date(year, month, 1)),
                      min(period.end, _month_end(year, month)))
        rows.append(TrendRow(date(year, month, 1),
                             len(ca_queries.opened_between(span.start, span.end)),
                             len(ca_queries.closed_between(span.start, span.end)),
                             len(ca_queries.overdue_at(span.as_of))))
    return rows


def _grouped(opened, closed, overdue, key) -> dict:
    rows: dict = {}
    for name, items in (("opened", opened), ("closed", closed), ("overdue", overdue)):
        for ca in items:
            row = rows.setdefault(key(ca), TrendRow(key(ca)))
            setattr(row, name, getattr(row, name) + 1)
    return rows


def input_pack(period: Period, today: date | None = None) -> InputPack:
    """Everything the management-review input pack shows."""
    start, end = period.bounds_utc(_zone())
    audits = audit_queries.reported_between(start, end)
    findings = [f for a in audits for f in a.findings]
    per_department: dict = {}
    for audit in audits:
        counts = per_department.setdefault(audit.department, Counter())
        counts.update(f.grade for f in audit.findings)
    opened = ca_queries.opened_between(period.start, period.end)
    closed = ca_queries.closed_between(period.start, period.end)
    overdue = ca_queries.overdue_at(period.as_of)
    by_grade = _grouped(opened, closed, overdue, lambda ca: ca.grade)
    by_department = _grouped(opened, closed, overdue, lambda ca: ca.department)
    return InputPack(
        period=period, last_review=last_review_before(period.end), audits=audits,
        findings=_by_grade(findings),
        findings_by_department=sorted(per_department.items(), key=lambda kv: kv[0].code),
        months=_months(period),
        by_grade=[by_grade[g.code] for g in grades.all_grades() if g.code in by_grade],
        by_department=[by_department[d] for d in sorted(by_department, key=lambda d: d.code)],
        reviews_overdue=overdue_reviews(period, today))


def departments() -> list[Department]:
    """Active departments, by code."""
    return list(db.session.scalars(select(Department).where(Department.active.is_(True))
                                   .order_by(Department.code)))


def readable_departments(user) -> list[Department]:
    """Active departments whose report the user may read, by code."""
    stmt = select(Department).where(Department.active.is_(True)).order_by(Department.code)
    return list(db.session.scalars(rules.visible_departments(user, stmt)))


def reviews() -> list[ManagementReview]:
    """Management reviews, the latest held first."""
    return list(db.session.scalars(select(ManagementReview)
                                   .order_by(ManagementReview.held_on.desc())))


def owner_choices() -> list[tuple[int, str]]:
    """Active users who may own a review's action, in Vietnamese order (given name first)."""
    return [(u.id, u.name) for u in sorted_people(db.session.scalars(
        select(User).where(User.is_person())))]

