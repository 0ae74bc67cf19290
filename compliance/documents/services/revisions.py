"""Draft revisions: uploading a file (prepared first, recorded after), submitting for review,
withdrawing, and reopening a draft from the file in force.

An upload is two steps so that the long part never holds the write lock: `prepare_upload`
checks the request, reads, detects and stores the file, extracts its text and, for an office
file, makes its PDF rendition (services.renditions; no database write); `record_upload` then
opens or updates the draft in a short write transaction. The
web view calls `uow.begin_writing()` between the two; `upload_revision` does both at once for
scripts and the demo."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from compliance.audit_trail.services import record
from compliance.core.db import utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.files import Upload, accept_upload
from compliance.documents import chain, rules, search, text
from compliance.documents.models import Document, Revision, RevisionStep
from compliance.documents.services import renditions
from compliance.documents.services.holds import ensure_not_held
from compliance.documents.services.renditions import PreparedRendition

OPEN_STATES = ("draft", "in_review", "approved")


@dataclass(frozen=True)
class PreparedUpload:
    """A file accepted and stored, with its searchable text: ready to be recorded."""

    sha256: str
    size: int
    kind: str
    filename: str
    text: str
    # Active content found in a PDF (core.pdf.sanitise.KINDS): removed from every copy.
    active_content: tuple[str, ...] = ()
    # The PDF made of an office file; None for a PDF, or when no converter is installed.
    rendition: PreparedRendition | None = None

    @classmethod
    def of(cls, upload: Upload) -> PreparedUpload:
        """Make the rendition and extract the text of an accepted upload (the long part)."""
        kind = upload.kind.name
        rendition = renditions.prepare(kind, upload.sha256, upload.content)
        return cls(upload.sha256, upload.size, kind, upload.filename,
                   text.extract(kind, upload.content), upload.active_content, rendition)

    @property
    def unstamped(self) -> bool:
        """An office file kept without a rendition: its copies will be the original."""
        return self.kind in renditions.OFFICE_KINDS and self.rendition is None


def _open_revision(document: Document) -> Revision | None:
    return db.session.scalar(select(Revision).where(
        Revision.document_id == document.id, Revision.status.in_(OPEN_STATES)))


def check_upload(actor, document: Document, change_summary: str) -> None:
    """Refuse an upload before anything is stored: rights, state, summary."""
    rules.ensure(rules.may_revise(actor, document))
    if document.status == "obsolete":
        raise DomainError(_("This document is obsolete; it cannot be revised."))
    if not (change_summary or "").strip():
        raise DomainError(_("Describe what changed in this revision."), field="change_summary")
    current = _open_revision(document)
    if current is not None and current.status != "draft":
        raise DomainError(_("This document already has a revision in progress. "
                            "Finish or withdraw it first."), status=409)


def prepare_upload(actor, document: Document, stream, filename: str,
                   change_summary: str) -> PreparedUpload:
    """Check the request, then accept and store the file and extract its text: no writes
    to the database, so it may run before the write transaction."""
    check_upload(actor, document, change_summary)
    return PreparedUpload.of(accept_upload(stream, filename))


def record_upload(actor, document: Document, prepared: PreparedUpload,
                  change_summary: str) -> Revision:
    """Open a draft with a prepared file, or give the open draft the new file."""
    # Checked again: the document may have changed while the file was being prepared.
    check_upload(actor, document, change_summary)
    renditions.keep(prepared.sha256, prepared.rendition)
    current = _open_revision(document)
    if current is not None:
        return _replace_draft_file(actor, document, current, prepared, change_summary.strip())
    return _new_revision(actor, document, prepared, change_summary.strip())


def upload_revision(actor, document: Document, stream, filename: str,
                    change_summary: str) -> Revision:
    """Store a file and open a draft revision with it, in one go (scripts, the demo)."""
    prepared = prepare_upload(actor, document, stream, filename, change_summary)
    return record_upload(actor, document, prepared, change_summary)


def _replace_draft_file(actor, document: Document, draft: Revision, prepared: PreparedUpload,
                        change_summary: str) -> Revision:
    """A draft takes a new file (the one it had stays stored, as every original does)."""
    before = draft.snapshot()
    draft.blob_sha256, draft.file_size = prepared.sha256, prepared.size
    draft.file_kind, draft.filename = prepared.kind, prepared.filename
    draft.active_content = ",".join(prepared.active_content)
    draft.change_summary = change_summary
    draft.text_content = prepared.text
    db.session.flush()
    db.session.expire(draft, ["rendition"])  # found by the new file's SHA-256
    record(actor, "revision.replace_file", "document", document.id, before=before,
           after=draft.snapshot())
    if document.status != "effective":
        search.index_document(document)
    return draft


def _new_revision(actor, document: Document, prepared: PreparedUpload,
                  change_summary: str) -> Revision:
    number = (db.session.scalar(select(func.max(Revision.number))
                                .where(Revision.document_id == document.id)) or 0) + 1
    revision = Revision(document_id=document.id, number=number, label=f"{number:02d}",
                        status="draft", blob_sha256=prepared.sha256, file_size=prepared.size,
                        file_kind=prepared.kind, filename=prepared.filename,
                        change_summary=change_summary, author_id=actor.id, created_at=utcnow(),
                        text_content=prepared.text,
                        active_content=",".join(prepared.active_content))
    db.session.add(revision)
    db.session.flush()
    record(actor, "revision.create", "document", document.id, after=revision.snapshot())
    if document.status != "effective":
        search.index_document(document)
    return revision


def reopen_from_effective(actor, document: Document, change_summary: str) -> Revision:
    """A new draft that starts from the file in force (used by a 'revise' periodic review)."""
    effective = next((r for r in document.revisions if r.status == "effective"), None)
    if effective is None:
        raise DomainError(_("This document has no revision in force."))
    if effective.blob_destroyed_at is not None:
        raise DomainError(_("The file in force was destroyed (disposition): upload a new "
                            "draft instead."), status=409)
    if _open_revision(document) is not None:
        raise DomainError(_("This document already has a revision in progress. "
                            "Finish or withdraw it first."), status=409)
    # The same stored file, so the same text (copied, not extracted again) and the same
    # rendition (found by the file's SHA-256).
    prepared = PreparedUpload(effective.blob_sha256, effective.file_size, effective.file_kind,
                              effective.filename, effective.text_content or "",
                              tuple(effective.active_kinds))
    return _new_revision(actor, document, prepared, change_summary)


def withdraw_draft(actor, document: Document, revision: Revision) -> None:
    """Set a draft aside for good; it stays on record with any signatures it collected."""
    rules.ensure(rules.may_withdraw(actor, document, revision))
    if revision.status != "draft":
        raise DomainError(_("Only a draft can be withdrawn."), status=409)
    ensure_not_held(document, _("withdrawn"))
    before = revision.snapshot()
    revision.status = "withdrawn"
    db.session.flush()
    record(actor, "revision.withdraw", "document", document.id, before=before,
           after=revision.snapshot())


def submit_for_review(actor, document: Document, revision: Revision) -> Revision:
    """Send a draft to its signers: a new round of the document's approval chain, whose
    steps are copied onto the revision so that a later change of the chain leaves it be."""
    rules.ensure(rules.may_submit(actor, document, revision))
    if revision.status != "draft":
        raise DomainError(_("Only a draft can be submitted for review."), status=409)
    before = revision.snapshot()
    steps, source = chain.configured(document)
    revision.review_round = (revision.review_round or 0) + 1
    for position, meaning, role in steps:
        revision.steps.append(RevisionStep(round=revision.review_round, position=position,
                                           meaning=meaning, role=role))
    revision.status, revision.submitted_at = "in_review", utcnow()
    db.session.flush()
    record(actor, "revision.submit", "document", document.id, before=before,
           after={**revision.snapshot(), "round": revision.review_round,
                  "chain": source, "steps": [list(step) for step in steps]})
    return revision
