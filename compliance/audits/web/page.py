"""The audit's page as every view of an audit renders it: its forms (blank, or the one a
refused post sent, with its input and messages), the state and what the person may do."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from compliance.audit_trail.readable import history_of
from compliance.audits import rules, services
from compliance.audits.forms import (
    CancelForm,
    DocumentEvidenceForm,
    DueForm,
    FileEvidenceForm,
    FindingForm,
    ItemForm,
    MeetingForm,
    ReportForm,
    RescheduleForm,
    ResponseForm,
    ResultForm,
)
from compliance.audits.labels import MEETING_LABELS, RESULT_LABELS, STATE_LABELS
from compliance.audits.services import grades
from compliance.audits.steps import audit_progress
from compliance.capa.queries import for_findings
from compliance.core import clock
from compliance.core.extensions import db
from compliance.core.http import form_error
from compliance.documents.models import Document

DETAIL = "audits/detail.html"
FORMS = {"item": ItemForm, "finding": FindingForm, "document": DocumentEvidenceForm,
         "file": FileEvidenceForm, "result": ResultForm, "meeting": MeetingForm,
         "report": ReportForm, "cancel": CancelForm, "reschedule": RescheduleForm,
         "due": DueForm, "response": ResponseForm}


def readable(audit_id: int, for_update: bool = False):
    """The audit, if the signed-in person may read it (404/403 otherwise)."""
    return services.get_readable_audit(current_user, audit_id, for_update=for_update)


def back(audit, anchor: str = ""):
    """Back to the audit's page, at the part that changed."""
    return redirect(url_for("audits.conduct.detail", audit_id=audit.id) + anchor)


def _choices(form, audit, locale: str) -> None:
    clause_choices = [(0, "—")] + [(c.id, f"{c.number} {c.title(locale)}")
                                   for c in audit.clauses]
    if hasattr(form, "clause_id"):
        form.clause_id.choices = clause_choices
    if hasattr(form, "grade"):
        form.grade.choices = [(g.code, g.name(locale)) for g in grades.all_grades()]
    if hasattr(form, "document_id"):
        documents = db.session.scalars(select(Document).where(Document.status == "effective")
                                       .order_by(Document.code)).all()
        form.document_id.choices = [(d.id, f"{d.code} {d.title(locale)}") for d in documents]


def sent(name: str, audit):
    """The form this post sent, with the choices it is checked against."""
    form = FORMS[name]()
    _choices(form, audit, str(get_locale()))
    return form


def _blank(audit, locale: str) -> dict:
    blank = {}
    for name, cls in FORMS.items():
        blank[name] = cls(formdata=None)
        _choices(blank[name], audit, locale)
    # The audit as it was shown: a cancel or a new date made on an older page is refused.
    for name in ("cancel", "reschedule"):
        blank[name].version.data = audit.version
    blank["reschedule"].planned_start.data = audit.planned_start
    blank["reschedule"].planned_end.data = audit.planned_end
    return blank


def _due_forms(audit, sent_form, finding_id: int | None) -> dict:
    """One response-due form per finding, holding that finding's date and version."""
    forms = {}
    for finding in audit.findings:
        if finding.id == finding_id and sent_form is not None:
            forms[finding.id] = sent_form
            continue
        form = DueForm(formdata=None)
        form.response_due_on.data = finding.response_due_on
        form.version.data = finding.version
        forms[finding.id] = form
    return forms


def page(audit, sent_name: str | None = None, sent_form=None, *, item_id: int | None = None,
         which: str | None = None, finding_id: int | None = None) -> dict:
    """What the audit's page shows; a refused form is shown again where it was sent from
    (its checklist item, meeting or finding), with its input and messages; the others are
    blank."""
    locale = str(get_locale())
    blank = _blank(audit, locale)
    forms = {**blank, **({sent_name: sent_form} if sent_name else {})}
    return {"audit": audit, "forms": forms, "blank": blank, "sent_item": item_id,
            "sent_meeting": which, "sent_finding": finding_id, "open_form": sent_name,
            "due_forms": _due_forms(audit, sent_form if sent_name == "due" else None,
                                    finding_id),
            "corrective": for_findings(f.id for f in audit.findings),
            "states": STATE_LABELS, "results": RESULT_LABELS, "meetings": MEETING_LABELS,
            "actions": rules.allowed_actions(current_user, audit),
            "grades": {g.code: g for g in grades.all_grades()},
            "today": clock.today(), "progress": audit_progress(audit),
            "history": history_of("audit", audit.id, limit=100)
            if rules.may_see_history(current_user, audit) else None}


def invalid(audit, name: str, form, **where):
    """The page again, 400, with the form's own messages at its fields."""
    return render_template(DETAIL, **page(audit, name, form, **where)), 400


def refused(audit, name: str, form, error, **where):
    """A service refusal at the field it concerns (403/404/409 keep their own page)."""
    return form_error(form, error, DETAIL, **page(audit, name, form, **where))
