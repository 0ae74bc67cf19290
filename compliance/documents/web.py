"""The register: list, filters, export, creation, editing and the document page."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from sqlalchemy import select

from compliance.audit_trail.services import history
from compliance.auth.models import User
from compliance.auth.permissions import can
from compliance.core.errors import Conflict, DomainError, PermissionDenied
from compliance.core.extensions import db
from compliance.documents import export, queries, services
from compliance.documents import jobs as documents_jobs
from compliance.documents.forms import (
    STATUS_LABELS,
    TYPE_LABELS,
    DocumentForm,
    ObsoleteForm,
    RejectForm,
    ReviewForm,
    SignForm,
    UploadForm,
)
from compliance.documents.models import DOC_TYPES, REVISION_STATES, DownloadLog, Revision
from compliance.documents.reading import may_read, pending_for
from compliance.documents.reading_views import bp as reading_bp
from compliance.documents.revision_views import bp as revisions_bp
from compliance.org import clauses
from compliance.org import queries as org_queries

bp = Blueprint("documents", __name__, url_prefix="/documents")


def _locale() -> str:
    return str(get_locale())


def _filter_from_args() -> queries.RegisterFilter:
    args = request.args
    review_before = None
    if args.get("review_before"):
        try:
            review_before = date.fromisoformat(args["review_before"])
        except ValueError:
            review_before = None
    return queries.RegisterFilter(
        department_id=args.get("department", type=int), doc_type=_choice("type", DOC_TYPES),
        status=_choice("status", ("draft", "effective", "obsolete")),
        clause_id=args.get("clause", type=int), owner_id=args.get("owner", type=int),
        review_before=review_before, q=(args.get("q") or "").strip()[:200] or None,
        sort=_choice("sort", tuple(queries.SORTS)) or "code")


def _choice(name: str, allowed) -> str | None:
    value = request.args.get(name)
    return value if value in allowed else None


@bp.get("/", endpoint="register")
@login_required
def register_page():
    """The document register."""
    f = _filter_from_args()
    page = queries.register_page(current_user, f, request.args.get("after"))
    return render_template(
        "documents/register.html", page=page, f=f, short_date=_short_dates(), options=_options,
        type_labels=_strings(TYPE_LABELS),
        status_labels=_strings(STATUS_LABELS), departments=queries.department_codes(),
        clauses=queries.clause_numbers(), owners=queries.owner_choices(),
        args=request.args.to_dict())


def _options(pairs, selected) -> Markup:
    """<option> tags for (value, label) pairs, joined in Python: a Jinja loop over the clause
    catalogue and the owners cost more than the 50 rows of the page."""
    return Markup("".join(  # noqa: S704 - every value and label is escaped below
        f'<option value="{escape(value)}"{" selected" if value == selected else ""}>'
        f"{escape(label)}</option>" for value, label in pairs))


def _short_dates():
    """A date formatter bound once per page: flask-babel's filter looks the locale up per call,
    which cost more than the rest of a 50-row page."""
    from babel.dates import format_date

    locale = get_locale()
    cache: dict = {}

    def short(value):
        if value not in cache:
            cache[value] = format_date(value, "short", locale=locale) if value else "—"
        return cache[value]

    return short


def _strings(labels: dict) -> dict[str, str]:
    # Translate once per page rather than once per row.
    return {key: str(value) for key, value in labels.items()}


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
               if can(current_user, "documents.draft", d)]
    form.department_id.choices = allowed
    form.reader_department_ids.choices = org_queries.department_choices(locale)
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
    form.owner_id.choices = [(u.id, u.name) for u in users]
    form.clause_ids.choices = [(c.id, f"{c.number} {c.title(locale)}")
                               for c in clauses.all_clauses()]
    if not form.is_submitted():
        if document is not None:
            form.clause_ids.data = [c.id for c in document.clauses]
            form.reader_department_ids.data = [d.id for d in document.reader_departments]
            form.version.data = document.version
        else:
            form.owner_id.data = current_user.id
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
    if not form.department_id.choices:
        raise PermissionDenied(_("You may not create documents."))
    if form.validate_on_submit():
        try:
            document = services.create_document(current_user, **_fields(form))
        except DomainError as error:
            if error.status == 403:
                raise
            form.code.errors.append(error.message)
        else:
            flash(_("Document %(code)s registered. Upload its first draft.",
                    code=document.code), "success")
            return redirect(url_for("revisions.upload", document_id=document.id))
    status = 400 if form.is_submitted() else 200
    return render_template("documents/form.html", form=form, document=None), status


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
@login_required
def edit(document_id: int):
    """Change a document's register entry."""
    document = services.get_document(document_id, for_update=request.method == "POST")
    if not can(current_user, "documents.draft", document.department_id):
        raise PermissionDenied(_("You may not change this document."))
    if document.status == "obsolete":
        raise DomainError(_("This document is obsolete; it cannot be changed."), status=409)
    form = _document_form(document)
    if form.validate_on_submit():
        try:
            services.update_document(current_user, document, form.version.data, **_fields(form))
        except (Conflict, PermissionDenied):
            raise
        except DomainError as error:
            form.code.errors.append(error.message)
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("documents.detail", document_id=document.id))
    status = 400 if form.is_submitted() else 200
    return render_template("documents/form.html", form=form, document=document), status


@bp.get("/<int:document_id>")
@login_required
def detail(document_id: int):
    """Everything about one document: revisions, signatures, reviews, downloads, history."""
    document = services.get_document(document_id)
    visible = [r for r in document.revisions if may_read(current_user, document, r)]
    if not visible and not can(current_user, "documents.draft", document.department_id):
        raise PermissionDenied(_("You may not open this document."))
    downloads = []
    if can(current_user, "documents.read_history"):
        downloads = db.session.scalars(
            select(DownloadLog).join(Revision, Revision.id == DownloadLog.revision_id)
            .where(Revision.document_id == document.id)
            .order_by(DownloadLog.downloaded_at.desc()).limit(100)).all()
    return render_template(
        "documents/detail.html", document=document, revisions=visible,
        type_labels=TYPE_LABELS, status_labels=STATUS_LABELS, states=REVISION_STATES,
        reviews=_reviews(document), downloads=downloads,
        to_acknowledge={a.revision_id for a in pending_for(current_user)},
        events=history("document", document.id, limit=100),
        sign_form=SignForm(), reject_form=RejectForm(), upload_form=UploadForm(),
        review_form=ReviewForm(), obsolete_form=ObsoleteForm())


def _reviews(document):
    from compliance.documents.models import PeriodicReview

    return db.session.scalars(select(PeriodicReview).where(
        PeriodicReview.document_id == document.id)
        .order_by(PeriodicReview.reviewed_at.desc())).all()


def register(app) -> None:
    """Mount this domain's pages."""
    app.register_blueprint(bp)
    app.register_blueprint(revisions_bp)
    app.register_blueprint(reading_bp)
    documents_jobs.register(app)
