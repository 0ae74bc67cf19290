"""The coordinator's notes on six-monthly reports, and who reads which report."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.core.db import check_version
from compliance.core.errors import Conflict, NotFound
from compliance.core.extensions import db
from compliance.org.models import Department
from compliance.reports import rules
from compliance.reports.models import (
    ReportNote,
    scope_key,
)
from compliance.reports.periods import HalfYear
from compliance.reports.services.text import TEXT_LIMIT, clean_text

# The version a notes form carries when the half-year had no notes yet.
NO_NOTE_YET = 0


def _conflict_message() -> str:
    return _("Someone else changed these notes while you were editing them. "
             "Reload the page and apply your change again.")


def get_department(department_id: int) -> Department:
    """A department by id, or 404."""
    department = db.session.get(Department, department_id)
    if department is None:
        raise NotFound(_("No such department."))
    return department


def ensure_may_read_report(user, department_id: int | None) -> None:
    """Org-wide readers read every report; a department head only their department's."""
    rules.ensure(rules.may_read_report(user, department_id), _("You may not read this report."))


def save_note(actor, *, department_id: int | None, period: HalfYear, shortcomings: str,
              planned_actions: str, expected_version: int | None,
              check: bool = True) -> ReportNote:
    """Write the shortcomings and planned actions of a department's (or the whole
    organisation's) half-year. The version is the one the form was shown with, 0 when there
    were no notes yet; another one, or none, is a conflict."""
    if check:
        rules.ensure(rules.may_edit_notes(actor),
                     _("Only an ISO coordinator can write the report's notes."))
    if department_id is not None:
        get_department(department_id)
    fields = {"shortcomings": clean_text(shortcomings, TEXT_LIMIT, _("Shortcomings"),
                                    "shortcomings"),
              "planned_actions": clean_text(planned_actions, TEXT_LIMIT, _("Planned actions"),
                                       "planned_actions")}
    note = db.session.scalar(select(ReportNote).where(
        ReportNote.scope == scope_key(department_id), ReportNote.year == period.year,
        ReportNote.half == period.half))
    if note is None:
        if expected_version != NO_NOTE_YET:
            raise Conflict(_conflict_message())
        note = ReportNote(scope=scope_key(department_id), department_id=department_id,
                          year=period.year, half=period.half, **fields,
                          updated_by_id=getattr(actor, "id", None))
        db.session.add(note)
        db.session.flush()
        record(actor, "report_note.create", "report_note", note.id, after=note.snapshot())
        return note
    check_version(note, expected_version, _conflict_message())
    before = note.snapshot()
    for name, value in fields.items():
        setattr(note, name, value)
    note.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    record(actor, "report_note.update", "report_note", note.id, before=before,
           after=note.snapshot())
    return note
