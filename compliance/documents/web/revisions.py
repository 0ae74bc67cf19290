"""Child blueprint `documents.revisions`: upload a draft, submit, withdraw, sign or reject,
acknowledge, and the controlled and original copies."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.auth.reauth import attempt_limit
from compliance.core import clock, uow
from compliance.core.errors import DomainError
from compliance.core.http import attachment, browser_link, form_error, render_form, writes_later
from compliance.documents import chain, rules, services
from compliance.documents.forms import RejectForm, SignForm, UploadForm
from compliance.documents.labels import (
    EXTRA_REVIEW_LABEL,
    MEANING_LABELS,
    describe_active,
    step_label,
)
from compliance.documents.services import acknowledgements, approval, copies, renditions
from compliance.documents.web.pages import at_field, detail_context

bp = Blueprint("revisions", __name__, url_prefix="/<int:document_id>/revisions")


def _load(document_id: int, revision_id: int, for_update: bool = True):
    document = services.get_document(document_id, for_update=for_update)
    return document, services.get_revision(document, revision_id, for_update=for_update)


def _back(document) -> Response:
    return redirect(url_for("documents.detail", document_id=document.id))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@writes_later
def upload(document_id: int):
    """Upload a file as a new draft revision: the file is read and stored, its text extracted
    and (an office file) its PDF rendition made, before the short write transaction that
    records the draft."""
    document = services.get_document(document_id)
    rules.ensure(rules.may_revise(current_user, document),
                 _("You may not revise this document."))
    form = UploadForm()
    if not form.validate_on_submit():
        return render_form("documents/upload.html", form, document=document)
    summary = form.change_summary.data
    try:
        prepared = services.prepare_upload(current_user, document, form.file.data.stream,
                                           form.file.data.filename, summary)
        uow.begin_writing()
        document = services.get_document(document_id, for_update=True)
        services.record_upload(current_user, document, prepared, summary)
    except DomainError as error:
        return form_error(form, error, "documents/upload.html", document=document)
    flash(_("Draft uploaded. Submit it for review when it is ready."), "success")
    if not prepared.text:
        flash(_("No text could be read from this file, so a search will not find the document "
                "by the words in it, only by its code and title."), "warning")
    if prepared.unstamped:
        flash(_("The server has no converter for office files (LibreOffice), so no PDF copy "
                "of this %(kind)s file was made: its copies will be the original file, "
                "without the controlled-copy stamp. Ask the administrator to install the "
                "converter, or upload the file as PDF.", kind=prepared.kind.upper()),
              "warning")
    if prepared.active_content:
        flash(_("This PDF contains %(found)s. They will be removed from every copy the "
                "product issues (controlled copies, public copies and evidence packs); the "
                "original file is kept unchanged.",
                found=describe_active(prepared.active_content)), "warning")
    return _back(document)


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


def _meaning_choices(mine) -> list[tuple[str, str]]:
    """One choice per meaning of the steps awaiting this signer, then the extra "reviewed"
    signature (as before chains existed) unless a step already means that."""
    choices = {}
    for step in mine:
        choices.setdefault(step.meaning, _("%(step)s (step %(n)d)",
                                           step=step_label(step.meaning, step.role),
                                           n=step.position))
    if "reviewed" not in choices:
        choices["reviewed"] = str(EXTRA_REVIEW_LABEL)
    return list(choices.items())


def _sign_context(document, revision, *, sign_form=None, reject_form=None) -> dict:
    steps = chain.chain_of(document, revision)
    mine = rules.open_steps_for(current_user, document, revision, steps)
    # A form shown afresh offers its first step; one sent back keeps what was chosen.
    fresh = sign_form is None or not sign_form.is_submitted()
    # formdata=None: the page holds two forms with fields of the same names.
    sign_form = sign_form or SignForm(formdata=None)
    sign_form.meaning.choices = _meaning_choices(mine)
    if fresh and mine and sign_form.meaning.data not in dict(sign_form.meaning.choices):
        sign_form.meaning.data = mine[0].meaning
    return {"document": document, "revision": revision, "steps": steps, "mine": mine,
            "awaited": chain.awaited(document, revision, steps), "step_label": step_label,
            "others": chain.others(revision, steps),
            "meaning_labels": MEANING_LABELS, "sign_form": sign_form,
            "reject_form": reject_form or RejectForm(formdata=None)}


@bp.route("/<int:revision_id>/sign", methods=["GET", "POST"])
@login_required
@attempt_limit("revision.sign", "document", "document_id")
def sign(document_id: int, revision_id: int):
    """Sign an open step of a revision's approval chain, password re-entered; the page shows
    the whole chain (each step, who signed it and when, who is awaited)."""
    document, revision = _load(document_id, revision_id, for_update=request.method == "POST")
    rules.ensure_sign(current_user, document, revision)
    form = SignForm()
    context = _sign_context(document, revision, sign_form=form)
    if not form.validate_on_submit():
        return render_form("documents/sign.html", form, **context)
    try:
        approval.sign_revision(current_user, document, revision, meaning=form.meaning.data,
                               credential=form.password.data, comment=form.comment.data,
                               effective_date=form.effective_date.data, today=clock.today())
    except DomainError as error:
        return form_error(form, at_field(error), "documents/sign.html", **context)
    flash(_("Your signature was recorded."), "success")
    return _back(document)


@bp.post("/<int:revision_id>/reject")
@login_required
@attempt_limit("revision.reject", "document", "document_id")
def reject(document_id: int, revision_id: int):
    """Send a revision back to draft with the reason, at the signer's open step."""
    document, revision = _load(document_id, revision_id)
    rules.ensure_sign(current_user, document, revision)
    form = RejectForm()
    context = _sign_context(document, revision, reject_form=form)
    if not form.validate_on_submit():
        return render_form("documents/sign.html", form, **context)
    try:
        approval.reject_revision(current_user, document, revision,
                                 credential=form.password.data, comment=form.comment.data)
    except DomainError as error:
        return form_error(form, at_field(error), "documents/sign.html", **context)
    flash(_("Revision sent back to its author."), "success")
    return _back(document)


@bp.post("/<int:revision_id>/acknowledge")
@login_required
def acknowledge(document_id: int, revision_id: int):
    """Confirm having read the revision in force; a reader who has not opened it yet gets
    the document page again (409) with the reason beside the button."""
    document, revision = _load(document_id, revision_id)
    try:
        acknowledgements.acknowledge(current_user, revision)
    except acknowledgements.NotOpened as error:
        from_page = detail_context(document, refused={revision.id: error.message})
        return render_template("documents/detail.html", **from_page), error.status
    flash(_("Thank you: your reading of %(code)s is recorded.", code=document.code), "success")
    return _back(document)


@bp.get("/<int:revision_id>/download")
@login_required
def download(document_id: int, revision_id: int):
    """A controlled copy: PDFs, and the PDF renditions of office files, are stamped for the
    reader; an office file without one is handed out as it is, with a warning; every copy is
    logged. The stamping runs in a read transaction; only the log's insert takes the write
    lock."""
    document, revision = _load(document_id, revision_id, for_update=False)
    data, kind, stem = copies.controlled_copy(current_user, document, revision)
    unstamped = _unstamped_warning(document, revision)
    revision_id = revision.id
    uow.begin_writing()
    copies.record_copy(current_user, revision_id, "controlled")
    if unstamped:
        flash(unstamped, "warning")
    return attachment(data, kind, stem)


def _unstamped_warning(document, revision) -> str | None:
    """What to tell the reader of an office file handed out without a stamp, and why."""
    if not renditions.needs_rendition(revision):
        return None
    values = {"code": document.code, "label": revision.label,
              "kind": revision.file_kind.upper()}
    if not renditions.renderer_installed():
        return _("Your copy of %(code)s revision %(label)s is the original %(kind)s file, "
                 "without the controlled-copy stamp: the server has no converter for office "
                 "files (LibreOffice). Check that it is the revision in force before using "
                 "it, and ask the administrator to install the converter.", **values)
    return _("Your copy of %(code)s revision %(label)s is the original %(kind)s file, "
             "without the controlled-copy stamp: the revision was uploaded while the server "
             "had no converter for office files. Check that it is the revision in force "
             "before using it, and ask the administrator to make its PDF copy.", **values)


@bp.get("/<int:revision_id>/original")
@login_required
def original(document_id: int, revision_id: int):
    """The stored file exactly as uploaded (its hash is checked on the way out)."""
    document, revision = _load(document_id, revision_id, for_update=False)
    rules.ensure(rules.may_download_original(current_user),
                 _("Only ISO coordinators can fetch original files."))
    copies.ensure_file_kept(document, revision)
    stem, kind, revision_id = (f"{document.code}_{revision.label}_original", revision.file_kind,
                               revision.id)
    link = browser_link(revision.blob_sha256, kind, stem)
    data = copies.copy_of(revision.blob_sha256, kind, None) if link is None else b""
    uow.begin_writing()
    copies.record_copy(current_user, revision_id, "original")
    return link if link is not None else attachment(data, kind, stem)
