"""The figures an annual report's sections are bound to: each reads the year's records
through the domains' own queries and says them in Vietnamese, the report's language (the
document is issued in Vietnamese only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from compliance.core import clock
from compliance.core.extensions import db
from compliance.core.locale import formal_vi
from compliance.documents.models import Revision
from compliance.quality.objectives import queries as objective_queries
from compliance.reports import queries
from compliance.reports.models import ManagementReview
from compliance.reports.periods import Period
from compliance.scope import handling_queries
from compliance.scope.models import Announcement, ScopeEntry

TEXT = "text"


@dataclass(frozen=True)
class Year(Period):
    """A calendar year, as the six-monthly figures read a period."""

    year: int = 0
    half: int = 0  # no half: the six-monthly notes of a half-year are not this report's

    @property
    def code(self) -> str:
        """e.g. 2026."""
        return str(self.year)

    @property
    def title(self) -> str:
        """'năm 2026'."""
        return f"năm {self.year}"


def year_of(year: int) -> Year:
    """The period of a calendar year."""
    return Year(date(year, 1, 1), date(year, 12, 31), year=year)


def _scope(period: Year, six: Callable) -> list[str]:
    rows = db.session.execute(select(ScopeEntry.kind, ScopeEntry.in_scope,
                                     ScopeEntry.created_at, ScopeEntry.updated_at)).all()
    start, end = period.bounds_utc(clock.zone().key)
    procedures = sum(1 for r in rows if r.in_scope and r.kind == "procedure")
    processes = sum(1 for r in rows if r.in_scope and r.kind == "process")
    added = sum(1 for r in rows if start <= r.created_at < end)
    changed = sum(1 for r in rows if start <= r.updated_at < end and r.created_at < start)
    return [f"Phạm vi áp dụng gồm {procedures} thủ tục hành chính và {processes} quy trình "
            f"nội bộ.",
            f"Trong {period.title}: bổ sung {added}, điều chỉnh {changed} nội dung phạm vi."]


def _percent(rate: float) -> str:
    return f"{rate:.1f}".replace(".", ",") + "%"


def _handling(period: Year, six: Callable) -> list[str]:
    totals = handling_queries.of_year(period.year)
    if not totals:
        return [f"Chưa có số liệu giải quyết thủ tục hành chính {period.title}."]
    year = handling_queries.Totals()
    for counts in totals.values():
        year.add(counts)
    lines = [f"Tiếp nhận {year.received} hồ sơ; giải quyết đúng hạn {year.on_time}, trễ hạn "
             f"{year.late}; {year.apologies} phiếu xin lỗi."
             + (f" Tỷ lệ đúng hạn {_percent(year.rate)}." if year.rate is not None else "")]
    entries = db.session.scalars(select(ScopeEntry).where(ScopeEntry.id.in_(totals))).all()
    for department, counts in handling_queries.by_department(list(entries), totals):
        if department is not None and counts.rate is not None:
            lines.append(f"{department.name_vi}: {counts.received} hồ sơ, đúng hạn "
                         f"{_percent(counts.rate)}.")
    return lines


def _announcements(period: Year, six: Callable) -> list[str]:
    issued = db.session.scalars(select(Announcement).where(
        Announcement.state == "issued", Announcement.issued_on >= period.start,
        Announcement.issued_on <= period.end).order_by(Announcement.issued_on)).all()
    if not issued:
        return [f"Không có quyết định công bố trong {period.title}."]
    return [f"Quyết định số {a.number:02d}/{a.symbol} {formal_vi(a.issued_on)} công bố hệ "
            f"thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia TCVN ISO 9001:2015."
            for a in issued]


def _documents(period: Year, six: Callable) -> list[str]:
    numbers = db.session.scalars(select(Revision.number).where(
        Revision.effective_date >= period.start, Revision.effective_date <= period.end)).all()
    new = sum(1 for n in numbers if n == 1)
    report = six()
    return [f"Ban hành mới {new} tài liệu, sửa đổi {len(numbers) - new} tài liệu.",
            f"Cuối {period.title} có {len(report.documents)} tài liệu đang có hiệu lực; "
            f"{len(report.reviews_done)} lượt xem xét định kỳ, {len(report.reviews_overdue)} "
            f"tài liệu quá hạn xem xét."]


def _audits(period: Year, six: Callable) -> list[str]:
    report = six()
    grades = ", ".join(f"{grade.name_vi}: {count}" for grade, count in report.findings)
    return [f"Thực hiện {len(report.audits)} cuộc đánh giá nội bộ; {report.finding_total} "
            f"phát hiện" + (f" ({grades})." if grades else ".")]


def _corrective_actions(period: Year, six: Callable) -> list[str]:
    report = six()
    return [f"Mở {len(report.opened)} hành động khắc phục, hoàn thành {len(report.closed)}; "
            f"{len(report.overdue)} hành động quá hạn cuối {period.title}."]


def _reviews(period: Year, six: Callable) -> list[str]:
    held = db.session.scalars(select(ManagementReview.held_on).where(
        ManagementReview.held_on >= period.start, ManagementReview.held_on <= period.end)
        .order_by(ManagementReview.held_on)).all()
    if not held:
        return [f"Không tổ chức xem xét của lãnh đạo trong {period.title}."]
    return [f"Tổ chức {len(held)} cuộc họp xem xét của lãnh đạo: "
            + "; ".join(formal_vi(day) for day in held) + "."]


def _objectives(period: Year, six: Callable) -> list[str]:
    counts = objective_queries.status_by_department(period.year)
    total = {state: sum(c[state] for c in counts.values()) for state in
             ("achieved", "partly_achieved", "not_achieved", "open")}
    return [f"Có {sum(total.values())} mục tiêu chất lượng {period.title}: đạt "
            f"{total['achieved']}, đạt một phần {total['partly_achieved']}, không đạt "
            f"{total['not_achieved']}, chưa đánh giá {total['open']}."]


@dataclass(frozen=True)
class Figure:
    """A figure a section may show: its name on the template page, and what computes it."""

    label: object
    compute: Callable[[Year, Callable], list[str]]


FIGURES = {
    "scope": Figure(_l("Scope and its changes"), _scope),
    "handling": Figure(_l("On-time handling of administrative procedures"), _handling),
    "announcements": Figure(_l("Announcements of conformity issued"), _announcements),
    "documents": Figure(_l("Documents issued and revised"), _documents),
    "audits": Figure(_l("Internal audits and their findings"), _audits),
    "corrective_actions": Figure(_l("Corrective actions"), _corrective_actions),
    "reviews": Figure(_l("Management reviews"), _reviews),
    "objectives": Figure(_l("Quality objectives and their results"), _objectives),
}
SOURCES = (*FIGURES, TEXT)


def compute(sections: list[dict], year: int, today: date) -> list[list[str]]:
    """The figure's lines for each section (none for a written one)."""
    period, cached = year_of(year), []

    def six():
        # The six-monthly report's figures for the whole year, read once for every section.
        if not cached:
            cached.append(queries.six_monthly(period, None, today))
        return cached[0]

    return [FIGURES[s["source"]].compute(period, six) if s["source"] in FIGURES else []
            for s in sections]

