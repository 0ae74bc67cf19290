"""Child blueprint `documents.external`: the register of external documents (laws, decrees,
circulars, the standard) with its filters; adding one and changing its entry (coordinators);
each entry's history."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.audit_trail.readable import history_of
from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.http import form_error, render_form
from compliance.documents import rules as documents
from compliance.documents.external import queries, rules, services
from compliance.documents.external.forms import ExternalForm
from compliance.documents.external.labels import KIND_LABELS, STATUS_LABELS
from compliance.org import queries as org_queries

bp = Blueprint("external", __name__, url_prefix="/external")
FORM = "documents/external_form.html"


def _filter(args) -> queries.ExternalFilter:
    kind, status = args.get("kind"), args.get("status")
    return queries.ExternalFilter(
        text=(args.get("q") or "").strip()[:100],
        kind=kind if kind in KIND_LABELS else None,
        status=status if status in STATUS_LABELS else None,
        due_by=clock.today() if args.get("due") else None)


@bp.get("/", endpoint="index")
@login_required
def index():
    """The external documents, the next check first, filtered."""
    rules.ensure_read(current_user)
    chosen = _filter(request.args)
    return render_template("documents/external.html", chosen=chosen,
                           rows=queries.register(current_user, chosen), today=clock.today(),
                           kinds=KIND_LABELS, statuses=STATUS_LABELS,
                           may_keep=rules.may_keep(current_user))


def _form(document=None) -> ExternalForm:
    form = ExternalForm(obj=document)
    locale = str(get_locale())
    form.department_id.choices = [(d, label) for d, label in
                                  org_queries.department_choices(locale)
                                  if documents.may_draft(current_user, d)]
    form.replaced_by_id.choices = queries.replacement_choices(
        current_user, document.id if document else None)
    if document is not None and not form.is_submitted():
        form.version.data = document.version
    return form


def _texts(form: ExternalForm) -> dict:
    return {"title_vi": form.title_vi.data, "title_en": form.title_en.data or "",
            "today": clock.today(), **form.legal()}


@bp.route("/new", methods=["GET", "POST"], endpoint="create")
@login_required
def create():
    """Add an external document to the register."""
    rules.ensure_keep(current_user)
    form = _form()
    if not form.validate_on_submit():
        return render_form(FORM, form, row=None)
    try:
        row = services.add_external(current_user, department_id=form.department_id.data,
                                    **_texts(form))
    except DomainError as error:
        return form_error(form, error, FORM, row=None)
    flash(_("Document %(code)s registered.", code=row.code), "success")
    return redirect(url_for("documents.external.page", external_id=row.id))


@bp.route("/<int:external_id>", methods=["GET", "POST"], endpoint="page")
@login_required
def page(external_id: int):
    """One external document: its entry, its history, and (coordinators) its form."""
    rules.ensure_read(current_user)
    row = services.get_external(current_user, external_id)
    form = _form(row)
    del form.department_id  # the department is changed on the document's own page
    context = {"row": row, "kinds": KIND_LABELS, "statuses": STATUS_LABELS,
               "may_keep": rules.may_keep(current_user) and row.status != "obsolete",
               "history": history_of("document", row.id, limit=100), "today": clock.today()}
    if not form.is_submitted():
        return render_form(FORM, form, **context)
    rules.ensure_keep(current_user)
    if not form.validate():
        return render_form(FORM, form, **context)
    try:
        services.edit_external(current_user, row, form.version.data, **_texts(form))
    except DomainError as error:
        return form_error(form, error, FORM, **context)
    flash(_("Saved."), "success")
    return redirect(url_for("documents.external.page", external_id=row.id))

