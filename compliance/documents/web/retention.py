"""Child blueprint `documents.retention`: what falls due for disposition (by month), the
decision on each revision (signed), the retention rules of document types, and a document's
own retention."""

from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.auth.reauth import attempt_limit
from compliance.core import clock
from compliance.core.errors import DomainError, NotFound
from compliance.core.http import form_error, render_form
from compliance.documents import rules, services
from compliance.documents.labels import STATUS_LABELS, TYPE_LABELS
from compliance.documents.records import periods, queries
from compliance.documents.records import rules as records
from compliance.documents.records.forms import DispositionForm, DocumentRetentionForm, RuleForm
from compliance.documents.records.labels import DECISION_LABELS, describe_rule
from compliance.documents.services import retention
from compliance.documents.web.pages import at_field, detail_context

bp = Blueprint("retention", __name__)
DETAIL = "documents/detail.html"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month() -> tuple[int, int]:
    """The month asked for (?month=YYYY-MM), else this month."""
    found = _MONTH.match(request.args.get("month", ""))
    today = clock.today()
    if found and 1 <= int(found.group(2)) <= 12 and 2000 <= int(found.group(1)) <= 2999:
        return int(found.group(1)), int(found.group(2))
    return today.year, today.month


@bp.get("/retention/due", endpoint="due")
@login_required
def due():
    """What falls due for disposition by the end of a month, overdue items first."""
    rules.ensure(records.may_dispose(current_user),
                 _("Only ISO coordinators decide dispositions."))
    year, month = _month()
    first, last = periods.month_bounds(year, month)
    previous = periods.month_bounds(*((year - 1, 12) if month == 1 else (year, month - 1)))[0]
    following = periods.month_bounds(*((year + 1, 1) if month == 12 else (year, month + 1)))[0]
    return render_template("documents/disposition_due.html", items=queries.due_items(last),
                           first=first, last=last, today=clock.today(), previous=previous,
                           following=following, type_labels=TYPE_LABELS,
                           status_labels=STATUS_LABELS, describe_rule=describe_rule)


def _decision_context(document, revision) -> dict:
    rule = queries.rule_for(document)
    return {"document": document, "revision": revision, "rule": rule,
            "kept_until": periods.retained_until(rule, revision, document),
            "holds": queries.holds_on(document), "today": clock.today(),
            "describe_rule": describe_rule, "status_labels": STATUS_LABELS,
            "decision_labels": DECISION_LABELS}


@bp.route("/<int:document_id>/revisions/<int:revision_id>/dispose", methods=["GET", "POST"],
          endpoint="dispose")
@login_required
@attempt_limit("document.disposition", "document", "document_id")
def dispose(document_id: int, revision_id: int):
    """Decide on a revision whose retention has ended: destroy, keep longer, transfer."""
    rules.ensure(records.may_dispose(current_user),
                 _("Only ISO coordinators decide dispositions."))
    writing = request.method == "POST"
    document = services.get_document(document_id, for_update=writing)
    revision = services.get_revision(document, revision_id, for_update=writing)
    form = DispositionForm()
    if not form.is_submitted():
        form.version.data = revision.retention_version
    template = "documents/dispose.html"
    if not form.validate_on_submit():
        return render_form(template, form, **_decision_context(document, revision))
    try:
        retention.dispose(current_user, document, revision, form.version.data,
                          decision=form.decision.data, reason=form.reason.data,
                          extended_until=form.extended_until.data,
                          credential=form.password.data, today=clock.today())
    except DomainError as error:
        return form_error(form, at_field(error), template,
                          **_decision_context(document, revision))
    flash(_("Your decision on revision %(label)s of %(code)s is recorded.",
            label=revision.label, code=document.code), "success")
    return redirect(url_for("documents.retention.due"))


@bp.get("/retention/rules", endpoint="rules")
@login_required
def rules_page():
    """The retention rule of every document type."""
    rules.ensure(records.may_see_holds(current_user), _("You may not see the retention rules."))
    return render_template("documents/retention_rules.html", rules=queries.type_rules(),
                           type_labels=TYPE_LABELS, describe_rule=describe_rule,
                           may_edit=records.may_manage_retention(current_user))


@bp.route("/retention/rules/<doc_type>", methods=["GET", "POST"], endpoint="edit_rule")
@login_required
def edit_rule(doc_type: str):
    """Change the retention rule of one document type."""
    rules.ensure(records.may_manage_retention(current_user),
                 _("Only ISO coordinators can change the retention rules."))
    current = queries.type_rules().get(doc_type)
    if current is None:
        raise NotFound(_("Unknown document type."))
    form = RuleForm(obj=current)
    if not form.is_submitted():
        form.version.data = current.version
    context = {"doc_type": doc_type, "type_label": TYPE_LABELS[doc_type]}
    if not form.validate_on_submit():
        return render_form("documents/retention_rule.html", form, **context)
    try:
        retention.update_rule(current_user, doc_type, form.version.data,
                              basis=form.basis.data, years=form.years.data)
    except DomainError as error:
        return form_error(form, error, "documents/retention_rule.html", **context)
    flash(_("Retention rule saved."), "success")
    return redirect(url_for("documents.retention.rules"))


@bp.post("/<int:document_id>/retention", endpoint="document_rule")
@login_required
def document_rule(document_id: int):
    """Give a document a retention of its own (or its type's again), with the reason."""
    document = services.get_document(document_id, for_update=True)
    rules.ensure(records.may_manage_retention(current_user),
                 _("Only ISO coordinators can change a document's retention."))
    form = DocumentRetentionForm()
    try:
        if not form.validate_on_submit():
            return render_template(DETAIL, **detail_context(document, retention_form=form)), 400
        retention.set_document_retention(current_user, document, form.version.data,
                                         basis=form.basis.data or None, years=form.years.data,
                                         reason=form.reason.data)
    except DomainError as error:
        return form_error(form, error, DETAIL, **detail_context(document, retention_form=form))
    flash(_("The retention of %(code)s is saved.", code=document.code), "success")
    return redirect(url_for("documents.detail", document_id=document.id))
