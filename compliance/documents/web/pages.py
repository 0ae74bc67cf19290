"""The parent blueprint `documents`: the register (list, filters, export), registering and
editing a document, and the document page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from compliance.audit_trail.readable import history_of
from compliance.core import clock, registers
from compliance.core.day_input import parse_day
from compliance.core.errors import DomainError
from compliance.core.http import form_error, render_form
from compliance.core.kept import kept
from compliance.documents import chain, export, queries, reading, rules, services
from compliance.documents.forms import DocumentForm, ObsoleteForm, ReinstateForm, ReviewForm
from compliance.documents.labels import (
    COPY_KIND_LABELS,
    DOC_TYPES,
    MEANING_LABELS,
    OUTCOME_LABELS,
    RECALL_ANSWER_LABELS,
    REVISION_STATES,
    STATUS_LABELS,
    TYPE_LABELS,
    describe_active,
    step_label,
)
from compliance.documents.records import queries as records_queries
from compliance.documents.records import rules as records_rules
from compliance.documents.records.forms import DocumentRetentionForm
from compliance.documents.records.labels import DECISION_LABELS, DISPOSITION_LABELS, describe_rule
from compliance.documents.services import renditions
from compliance.documents.steps import revision_progress
from compliance.documents.web import register_rows
from compliance.org import clauses
from compliance.org import queries as org_queries

bp = Blueprint("documents", __name__, url_prefix="/documents")


def _locale() -> str:
    return str(get_locale())


# What the register remembers for each person (the page cursor is not among them).
FILTER_KEYS = ("q", "department", "type", "status", "clause", "owner", "review_before", "sort")


def _filter_from_args(args=None) -> queries.RegisterFilter:
    args = request.args if args is None else args
    review_before = None
    if args.get("review_before"):
        try:
            review_before = parse_day(args["review_before"])
        except ValueError:
            review_before = None
    sort = registers.sort_from(args.get("sort"), queries.SORTS, "code")
    return queries.RegisterFilter(
        department_id=_number(args.get("department")),
        doc_type=_choice(args, "type", DOC_TYPES),
        status=_choice(args, "status", ("draft", "effective", "obsolete")),
        clause_id=_number(args.get("clause")), owner_id=_number(args.get("owner")),
        review_before=review_before, q=(args.get("q") or "").strip()[:200] or None,
        sort=sort.key, descending=sort.descending)


def _number(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _choice(args, name: str, allowed) -> str | None:
    value = args.get(name)
    return value if value in allowed else None


@bp.get("/", endpoint="register")
@login_required
def register_page():
    """The document register."""
    chosen = registers.remembered(current_user, "documents", request.args, FILTER_KEYS)
    f = _filter_from_args(chosen.args)
    page = queries.register_page(current_user, f, request.args.get("after"))
    return render_template(
        "documents/register.html", page=page, f=f, short_date=register_rows.short_dates(),
        options=register_rows.options, register_rows=register_rows.rows,
        restored=chosen.restored, due=registers.due_marker(clock.today()),
        sort=registers.Sort(f.sort, f.descending),
        type_labels=register_rows.strings(TYPE_LABELS),
        status_labels=register_rows.strings(STATUS_LABELS),
        department_options=kept("department_options", (f.department_id,), lambda:
                                register_rows.options(queries.department_codes(),
                                                      f.department_id)),
        clause_options=kept("clause_options", (f.clause_id,), lambda:
                            register_rows.options(queries.clause_numbers(), f.clause_id)),
        owner_options=kept("owner_options", (f.owner_id,), lambda:
                           register_rows.options(queries.owner_choices(), f.owner_id)),
        args=chosen.args, may_create=rules.may_create(current_user))


@bp.get("/export.<any(csv, xlsx):fmt>")
@login_required
def export_register(fmt: str):
    """The filtered register as CSV or XLSX."""
    rows = queries.export_rows(current_user, _filter_from_args())
    return export.response(fmt, rows, _locale())


def _document_form(document=None) -> DocumentForm:
    form = DocumentForm(obj=document)
    locale = _locale()
    allowed = [(d, label) for d, label in org_queries.department_choices(locale)
               if rules.may_draft(current_user, d)]
    form.department_id.choices = allowed
    form.reader_department_ids.choices = org_queries.department_choices(locale)
    form.owner_id.choices = [(u.id, u.name) for u in org_queries.active_users()]
    form.clause_ids.choices = [(c.id, f"{c.number} {c.title(locale)}")
                               for c in clauses.all_clauses()]
    if not form.is_submitted() and document is not None:
        form.clause_ids.data = [c.id for c in document.clauses]
        form.reader_department_ids.data = [d.id for d in document.reader_departments]
        form.version.data = document.version
    return form


def _fields(form: DocumentForm) -> dict:
    return {"doc_type": form.doc_type.data, "department_id": form.department_id.data,
            "title_vi": form.title_vi.data, "title_en": form.title_en.data or "",
            "owner_id": form.owner_id.data,
            "review_interval_months": form.review_interval_months.data,
            "is_public": bool(form.is_public.data),
            "external_source": form.external_source.data,
            "external_edition": form.external_edition.data,
            "external_check_date": form.external_check_date.data,
            "clause_ids": form.clause_ids.data, "reader_ids": form.reader_department_ids.data,
            "code": form.code.data}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Register a new document."""
    form = _document_form()
    rules.ensure(bool(form.department_id.choices), _("You may not create documents."))
    context = {"document": None, "may_choose_code": rules.may_choose_code(current_user)}
    if not form.validate_on_submit():
        return render_form("documents/form.html", form, **context)
    try:
        document = services.create_document(current_user, **_fields(form))
    except DomainError as error:
        return form_error(form, error, "documents/form.html", **context)
    flash(_("Document %(code)s registered. Upload its first draft.", code=document.code),
          "success")
    return redirect(url_for("documents.revisions.upload", document_id=document.id))


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
@login_required
def edit(document_id: int):
    """Change a document's register entry."""
    document = services.get_document(document_id, for_update=request.method == "POST")
    rules.ensure(rules.may_revise(current_user, document),
                 _("You may not change this document."))
    services.ensure_not_obsolete(document)
    form = _document_form(document)
    context = {"document": document, "may_choose_code": rules.may_choose_code(current_user)}
    if not form.validate_on_submit():
        return render_form("documents/form.html", form, **context)
    try:
        services.update_document(current_user, document, form.version.data, **_fields(form))
    except DomainError as error:
        return form_error(form, error, "documents/form.html", **context)
    flash(_("Changes saved."), "success")
    return redirect(url_for("documents.detail", document_id=document.id))


def _chain_context(document, revisions, chains: dict) -> dict:
    """The approval chain the document's next submission gets, each revision's round (who is
    awaited, for those in review) and the signatures not among the round's steps."""
    steps, source = chain.configured(document)
    return {"chains": chains, "chain_source": source, "next_steps": steps,
            "own_chain_reason": chain.own_chain(document).reason if source == "document"
            else None, "step_label": step_label,
            "awaited": {r.id: chain.awaited(document, r, chains[r.id]) for r in revisions
                        if r.status == "in_review"},
            "other_signatures": {r.id: chain.others(r, chains[r.id]) for r in revisions}}


def at_field(error: DomainError) -> DomainError:
    """A wrong password is a mistake in the form (shown at its field, 400, and counted by the
    signature limit), not a refusal of the person."""
    if error.field == "password":
        return DomainError(error.message, status=400, field="password")
    return error


def detail_context(document, *, review_form: FlaskForm | None = None,
                   obsolete_form: FlaskForm | None = None,
                   reinstate_form: FlaskForm | None = None,
                   retention_form: FlaskForm | None = None,
                   refused: dict[int, str] | None = None) -> dict:
    """What the document page shows; the review, obsolete, reinstate and retention forms may
    come back refused, and a refused button (revision id → message) says why beside it."""
    revisions = rules.readable_revisions(current_user, document)
    rules.ensure(bool(revisions) or rules.may_revise(current_user, document),
                 _("You may not open this document."))
    actions = rules.allowed_actions(current_user, document)
    recalls = reading.recalls_of(document) if "copies" in actions else {}
    unstamped = {r.id for r in revisions if renditions.needs_rendition(r)}
    chains = {r.id: chain.chain_of(document, r) for r in revisions}
    chain_context = _chain_context(document, revisions, chains)
    return {
        **chain_context, "progress": _progress(document, revisions, chains, chain_context),
        "document": document, "revisions": revisions, "actions": actions,
        "revision_actions": {r.id: rules.allowed_actions(current_user, document, r)
                             for r in revisions},
        "type_labels": TYPE_LABELS, "status_labels": STATUS_LABELS, "states": REVISION_STATES,
        "meaning_labels": MEANING_LABELS, "outcome_labels": OUTCOME_LABELS,
        "copy_kind_labels": COPY_KIND_LABELS, "describe_active": describe_active,
        "reviews": queries.reviews_of(document),
        "downloads": queries.copies_issued(document) if "copies" in actions else [],
        "recalls": recalls, "unanswered": reading.unanswered(recalls),
        "recall_labels": RECALL_ANSWER_LABELS, "refused": refused or {},
        "history": history_of("document", document.id, limit=100)
        if rules.may_see_history(current_user, document) else None,
        # formdata=None: a post to one of the page's forms must not fill in the other.
        "review_form": review_form or ReviewForm(formdata=None),
        "obsolete_form": obsolete_form or ObsoleteForm(formdata=None, version=document.version),
        "reinstate_form": reinstate_form or ReinstateForm(formdata=None,
                                                          version=document.version),
        # Two revisions this person may read can be compared.
        "comparable": len(revisions) >= 2,
        # Office files without a PDF rendition, whose copies are the original, unstamped.
        "unstamped": unstamped,
        "no_renderer": bool(unstamped) and not renditions.renderer_installed(),
        **records_context(document, retention_form)}


def _progress(document, revisions, chains: dict, chain_context: dict):
    """Where the newest revision (a withdrawn draft only when there is no other) stands."""
    shown = next((r for r in revisions if r.status != "withdrawn"),
                 revisions[0] if revisions else None)
    if shown is None:
        return None
    return revision_progress(document, shown, chains[shown.id],
                             chain_context["awaited"].get(shown.id))


def records_context(document, retention_form: FlaskForm | None) -> dict:
    """The page's retention part: the rule, each revision's last day, dispositions, holds
    (for those who read the history), and the coordinator's form for the document's own rule."""
    actions = records_rules.allowed_actions(current_user)
    return {"records": records_queries.retention_of(document) if "see_holds" in actions
            else None, "records_actions": actions, "describe_rule": describe_rule,
            "disposition_labels": DISPOSITION_LABELS, "decision_labels": DECISION_LABELS,
            "retention_form": retention_form or DocumentRetentionForm(
                formdata=None, version=document.version, basis=document.retention_basis or "",
                years=document.retention_years)}


@bp.get("/<int:document_id>")
@login_required
def detail(document_id: int):
    """Everything about one document: revisions, signatures, reviews, downloads, history."""
    document = services.get_document(document_id)
    return render_template("documents/detail.html", **detail_context(document))
