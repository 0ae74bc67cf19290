"""Revisions: upload a draft, submit, sign or reject, withdraw, download, acknowledge."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.auth.permissions import can, ensure
from compliance.core import clock
from compliance.core.db import utcnow
from compliance.core.errors import DomainError, PermissionDenied
from compliance.core.extensions import db, limiter
from compliance.core.http import attachment, writes
from compliance.core.pdf import Stamp, stamp_pdf
from compliance.core.storage import get_store
from compliance.documents import approval, reading, services
from compliance.documents.forms import (
    MEANING_LABELS,
    STATUS_LABELS,
    RejectForm,
    SignForm,
    UploadForm,
)

bp = Blueprint("revisions", __name__, url_prefix="/documents/<int:document_id>/revisions")


def _today():
    return clock.today()


def _load(document_id: int, revision_id: int, for_update: bool = True):
    document = services.get_document(document_id, for_update=for_update)
    return document, services.get_revision(document, revision_id, for_update=for_update)


def _back(document) -> Response:
    return redirect(url_for("documents.detail", document_id=document.id))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def upload(document_id: int):
    """Upload a file as a new draft revision."""
    document = services.get_document(document_id)
    if not can(current_user, "documents.draft", document.department_id):
        raise PermissionDenied(_("You may not revise this document."))
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            services.upload_revision(current_user, document, upload.stream, upload.filename,
                                     form.change_summary.data)
        except DomainError as error:
            if error.status == 403:
                raise
            db.session.rollback()
            form.file.errors.append(error.message)
            return render_template("documents/upload.html", form=form,
                                   document=document), error.status
        flash(_("Draft uploaded. Submit it for review when it is ready."), "success")
        return _back(document)
    status = 400 if form.is_submitted() else 200
    return render_template("documents/upload.html", form=form, document=document), status


@bp.post("/<int:revision_id>/submit")
@login_required
def submit(document_id: int, revision_id: int):
    """Send a draft to the approvers."""
    document, revision = _load(document_id, revision_id)
    services.submit_for_review(current_user, document, revision)
    flash(_("Revision %(label)s submitted for review.", label=revision.label), "success")
    return _back(document)


@bp.post("/<int:revision_id>/withdraw")
@login_required
def withdraw(document_id: int, revision_id: int):
    """Discard a draft."""
    document, revision = _load(document_id, revision_id)
    services.withdraw_draft(current_user, document, revision)
    flash(_("Draft withdrawn."), "success")
    return _back(document)


def _signature_key() -> str:
    return f"signature:{current_user.get_id()}"


def _wrong_password(response) -> bool:
    return response.status_code in (400, 403)


# A signature re-checks the password, so it is rate-limited like signing in.
SIGN_LIMIT = limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
                           key_func=_signature_key, methods=["POST"],
                           deduct_when=_wrong_password, scope="signature")


@bp.route("/<int:revision_id>/sign", methods=["GET", "POST"])
@login_required
@SIGN_LIMIT
def sign(document_id: int, revision_id: int):
    """Sign a revision in review (reviewed / approved), password re-entered."""
    document, revision = _load(document_id, revision_id)
    form = SignForm()
    if form.validate_on_submit():
        try:
            approval.sign_revision(current_user, document, revision,
                                   meaning=form.meaning.data, password=form.password.data,
                                   comment=form.comment.data,
                                   effective_date=form.effective_date.data, today=_today())
        except DomainError as error:
            if error.status == 409 or isinstance(error, PermissionDenied):
                raise
            db.session.rollback()
            form.password.errors.append(error.message)
        else:
            flash(_("Your signature was recorded."), "success")
            return _back(document)
    elif not can(current_user, "documents.approve", document.department_id):
        raise PermissionDenied(_("You may not sign this revision."))
    elif revision.author_id == current_user.id:
        raise PermissionDenied(_("You wrote this revision; someone else must approve it."))
    status = 400 if form.is_submitted() else 200
    return render_template("documents/sign.html", form=form, reject_form=RejectForm(),
                           document=document, revision=revision), status


@bp.post("/<int:revision_id>/reject")
@login_required
@SIGN_LIMIT
def reject(document_id: int, revision_id: int):
    """Send a revision back to draft with the reason."""
    document, revision = _load(document_id, revision_id)
    ensure(current_user, "documents.approve", document.department_id)
    form = RejectForm()
    if not form.validate_on_submit():
        raise DomainError(_("Say why the revision is rejected and enter your password."))
    approval.reject_revision(current_user, document, revision, password=form.password.data,
                             comment=form.comment.data)
    flash(_("Revision sent back to its author."), "success")
    return _back(document)


@bp.post("/<int:revision_id>/acknowledge")
@login_required
def acknowledge(document_id: int, revision_id: int):
    """Confirm having read the revision in force."""
    document, revision = _load(document_id, revision_id)
    reading.acknowledge(current_user, revision)
    flash(_("Thank you: your reading of %(code)s is recorded.", code=document.code), "success")
    return _back(document)


@bp.get("/<int:revision_id>/download")
@login_required
@writes
def download(document_id: int, revision_id: int):
    """A controlled copy: PDFs are stamped for the reader; every copy is logged."""
    document, revision = _load(document_id, revision_id, for_update=False)
    reading.ensure_may_read(current_user, document, revision)
    data = get_store().read(revision.blob_sha256)
    if revision.file_kind == "pdf":
        data = stamp_pdf(data, controlled_stamp(document, revision, current_user.name))
    reading.log_download(current_user, revision, "controlled")
    return attachment(data, revision.file_kind, f"{document.code}_{revision.label}")


@bp.get("/<int:revision_id>/original")
@login_required
@writes
def original(document_id: int, revision_id: int):
    """The stored file exactly as uploaded (its hash is checked on the way out)."""
    document, revision = _load(document_id, revision_id, for_update=False)
    if not can(current_user, "documents.original"):
        raise PermissionDenied(_("Only ISO coordinators can fetch original files."))
    data = get_store().read(revision.blob_sha256)
    reading.log_download(current_user, revision, "original")
    return attachment(data, revision.file_kind, f"{document.code}_{revision.label}_original")


def controlled_stamp(document, revision, issued_to: str) -> Stamp:
    """The header, footer and watermark printed on a copy."""
    status = str(STATUS_LABELS.get(revision.status, revision.status))
    effective = format_date(revision.effective_date, "short") if revision.effective_date else "—"
    header = _("%(code)s · revision %(label)s · %(status)s · effective %(date)s",
               code=document.code, label=revision.label, status=status, date=effective)
    footer = _("Issued to %(name)s at %(time)s · UNCONTROLLED WHEN PRINTED",
               name=issued_to, time=format_datetime(utcnow(), "short"))
    signatures = [_("%(meaning)s by %(name)s on %(time)s", meaning=MEANING_LABELS[a.meaning],
                    name=a.signer_name, time=format_datetime(a.signed_at, "short"))
                  for a in revision.approvals if a.meaning in ("reviewed", "approved")]
    if signatures:
        header = f"{header} · {'; '.join(signatures)}"
    watermark = None
    if revision.status in ("superseded", "obsolete"):
        watermark = _("SUPERSEDED — NOT FOR USE") if revision.status == "superseded" \
            else _("OBSOLETE — NOT FOR USE")
    elif revision.status != "effective":
        watermark = _("DRAFT — NOT IN FORCE")
    return Stamp(header=header, footer=footer, watermark=watermark)

