"""The annual report's template: its default sections (the common structure of the reports
agencies send the provincial Department of Science and Technology), and the template as the
coordinator writes it, one section a line: "title | source"."""

from __future__ import annotations

import json

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.core.db import check_version
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.reports.annual.figures import SOURCES, TEXT
from compliance.reports.annual.models import AnnualTemplate

DEFAULT = (
    ("Phạm vi áp dụng và những thay đổi", "scope"),
    ("Kết quả giải quyết thủ tục hành chính đúng hạn", "handling"),
    ("Công bố hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia TCVN ISO 9001:2015",
     "announcements"),
    ("Tài liệu ban hành mới và sửa đổi", "documents"),
    ("Đào tạo, tập huấn về hệ thống quản lý chất lượng", TEXT),
    ("Đánh giá nội bộ và các phát hiện", "audits"),
    ("Hành động khắc phục", "corrective_actions"),
    ("Xem xét của lãnh đạo", "reviews"),
    ("Mục tiêu chất lượng và kết quả thực hiện", "objectives"),
    ("Khó khăn, vướng mắc và kiến nghị, đề xuất", TEXT),
)
SEPARATOR = "|"


def default_sections() -> list[dict]:
    """The default structure."""
    return [{"title": title, "source": source} for title, source in DEFAULT]


def current() -> AnnualTemplate | None:
    """The organisation's template, if the coordinator saved one."""
    return db.session.scalar(select(AnnualTemplate))


def sections() -> list[dict]:
    """The sections a new report follows: the saved template's, else the default."""
    found = current()
    return found.section_list() if found else default_sections()


def as_text(items: list[dict]) -> str:
    """The sections as the template's text area shows them."""
    return "\n".join(f"{s['title']} {SEPARATOR} {s['source']}" for s in items)


def parse(text: str) -> list[dict]:
    """Sections from the text area: a title and a source on each line."""
    found = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        title, _sep, source = line.rpartition(SEPARATOR)
        title, source = title.strip(), source.strip()
        if not title or source not in SOURCES:
            raise DomainError(_("Line %(number)d: write a title, “|” and one of the sources "
                                "listed below.", number=number), field="sections")
        if len(title) > 300:
            raise DomainError(_("Line %(number)d: a title has at most 300 characters.",
                                number=number), field="sections")
        found.append({"title": title, "source": source})
    if not found:
        raise DomainError(_("A report has at least one section."), field="sections")
    if len(found) > 40:
        raise DomainError(_("A report has at most 40 sections."), field="sections")
    return found


def save(actor, text: str, expected_version: int | None) -> AnnualTemplate:
    """Save the template (the first save starts from version 0: none saved yet)."""
    items = parse(text)
    row = current()
    message = _("Someone else changed this record while you were editing it. Reload the page "
                "and apply your change again.")
    if row is None:
        if expected_version != 0:
            raise DomainError(message, status=409)
        row = AnnualTemplate(sections="[]")
        db.session.add(row)
        before = {"sections": [f"{s['title']} | {s['source']}" for s in default_sections()]}
    else:
        check_version(row, expected_version, message)
        before = row.snapshot()
    row.sections = json.dumps(items, ensure_ascii=False)
    db.session.flush()
    record(actor, "annual_template.edit", "annual_report_template", row.id, before=before,
           after=row.snapshot())
    return row
