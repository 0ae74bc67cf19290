"""The rule book of controlled documents: who may do what to which document or revision, and
which documents a person may see. Services `ensure` these, templates show buttons from
`allowed_actions`, lists, exports and search filter with `visible_documents`.

The `may_*` functions answer "is this person entitled to", whatever the state of the record;
the state machine (a draft is submitted, a revision in review is signed) is the services'
business and answers 409. `allowed_actions` combines both, for the buttons of a page."""

from __future__ import annotations

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import or_, select

from compliance.auth.permissions import DEPARTMENT_PERMISSIONS, PERMISSIONS, can, roles_of
from compliance.core import tenancy
from compliance.core.errors import PermissionDenied
from compliance.core.extensions import db
from compliance.documents.approval_rules import (  # noqa: F401 - the rule book's approval part
    ensure_sign,
    may_approve_in,
    may_edit_chains,
    may_override_chain,
    may_see_chains,
    may_sign,
    open_steps_for,
    signable_revisions,
    wrote,
)
from compliance.documents.models import (
    Acknowledgement,
    CopyRecall,
    Document,
    DownloadLog,
    Revision,
    document_reader_department,
)

# Copies that count as having opened a revision: the stamped copy and the original.
OPENING_KINDS = ("controlled", "original")

# Revision states of work in progress: its authors and approvers see it to do their part.
IN_PROGRESS = ("draft", "in_review", "approved", "withdrawn")


def ensure(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied (with the reason, when there is one) unless allowed."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this."))


# Reading.

def _reader_departments(document: Document) -> set[int]:
    return {document.department_id} | {d.id for d in document.reader_departments}


def is_reader(user, document: Document) -> bool:
    """A member (any role) of the document's department or of a department asked to read it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    departments = _reader_departments(document)
    return any(m.department_id in departments for m in user.memberships)


def may_read(user, document: Document, revision: Revision) -> bool:
    """In force: the department's readers; in progress: its authors and approvers; the
    rest (superseded, obsolete): history readers (coordinators, auditors)."""
    if revision.status == "effective":
        return can(user, "documents.read", document.department_id) or is_reader(user, document)
    if revision.status in IN_PROGRESS:
        return may_draft(user, document.department_id) or \
            can(user, "documents.approve", document.department_id) or may_read_history(user)
    return may_read_history(user)


def ensure_read(user, document: Document, revision: Revision) -> None:
    """Raise PermissionDenied unless the user may open this revision."""
    ensure(may_read(user, document, revision), _("You may not open this revision."))


def readable_revisions(user, document: Document) -> list[Revision]:
    """The document's revisions this user may open, newest first."""
    return [r for r in document.revisions if may_read(user, document, r)]


def may_open(user, document: Document) -> bool:
    """The document page: for whoever may open one of its revisions, or revise it."""
    return bool(readable_revisions(user, document)) or may_revise(user, document)


def may_compare(user, document: Document, first: Revision, second: Revision) -> bool:
    """Compare two revisions: whoever may open both."""
    return may_read(user, document, first) and may_read(user, document, second)


def may_read_history(user) -> bool:
    """Superseded and obsolete revisions and the log of copies issued."""
    return can(user, "documents.read_history")


def may_see_history(user, document: Document) -> bool:
    """The document's history (every change, signature, copy issued and reading): its
    department's heads (who draft and sign there), coordinators, auditors and administrators;
    never staff (who read what is in force), nor the heads of other departments."""
    return may_read_history(user) or may_revise(user, document) or \
        can(user, "documents.approve", document.department_id)


def may_download_original(user) -> bool:
    """The stored file exactly as uploaded, unstamped."""
    return can(user, "documents.original")


def may_see_coverage(user) -> bool:
    """The people × documents matrix of who has read what."""
    return can(user, "documents.coverage")


# Drafting.

def may_draft(user, department_id: int) -> bool:
    """Register documents in a department and write their drafts."""
    return can(user, "documents.draft", department_id)


def may_create(user) -> bool:
    """Register documents in at least one department (the register's "new" button)."""
    if can(user, "documents.draft"):
        return True
    scoped = DEPARTMENT_PERMISSIONS["documents.draft"]
    return bool(roles_of(user)) and any(m.role in scoped for m in user.memberships)


def may_revise(user, document: Document) -> bool:
    """Change a document's register entry, upload, submit and withdraw its drafts."""
    return may_draft(user, document.department_id)


def may_choose_code(user) -> bool:
    """Give a document a code by hand instead of the generated one."""
    return can(user, "documents.manage")


def may_submit(user, document: Document, revision: Revision) -> bool:
    """Send a draft to the approvers."""
    return may_revise(user, document)


def may_withdraw(user, document: Document, revision: Revision) -> bool:
    """Set a draft aside for good."""
    return may_revise(user, document)


# Approval: the chains and their steps (approval_rules, re-exported here).


# Review and withdrawal.

def may_review(user, document: Document) -> bool:
    """The owner reviews their document; so may those who review in its department."""
    return getattr(user, "id", None) == document.owner_id or \
        can(user, "documents.review", document.department_id)


def ensure_review(user, document: Document) -> None:
    """Raise PermissionDenied unless the user may record a periodic review."""
    ensure(may_review(user, document),
           _("Only the document's owner or an approver can review it."))


def may_obsolete(user, document: Document) -> bool:
    """Withdraw a document from use (ISO coordinators)."""
    return can(user, "documents.manage")


def may_reinstate(user, document: Document) -> bool:
    """Bring an obsolete document back into use: whoever may withdraw it."""
    return may_obsolete(user, document)


# Acknowledgement.

def asked_to_read(user, revision: Revision) -> bool:
    """Whether the user has an open request to acknowledge this revision."""
    if getattr(user, "id", None) is None:
        return False
    return db.session.scalar(select(Acknowledgement.id).where(
        Acknowledgement.revision_id == revision.id, Acknowledgement.user_id == user.id,
        Acknowledgement.acknowledged_at.is_(None))) is not None


def reading_requires_opening() -> bool:
    """Whether a reading is confirmed only after the reader opened the revision (the
    COMPLIANCE_READING_REQUIRES_OPENING setting; on unless an organisation relaxes it)."""
    return bool(current_app.config.get("READING_REQUIRES_OPENING", True)) \
        if has_app_context() else True


def has_opened(user, revision: Revision) -> bool:
    """Whether the user downloaded (opened) this revision at least once."""
    if getattr(user, "id", None) is None:
        return False
    return db.session.scalar(select(DownloadLog.id).where(
        DownloadLog.revision_id == revision.id, DownloadLog.user_id == user.id,
        DownloadLog.kind.in_(OPENING_KINDS)).limit(1)) is not None


def may_acknowledge(user, revision: Revision) -> bool:
    """A reader asked to read the revision in force confirms it once they have opened it
    (or at once, where the organisation does not require opening)."""
    return revision.status == "effective" and asked_to_read(user, revision) and (
        not reading_requires_opening() or has_opened(user, revision))


# Superseded copies.

def may_answer_recall(user, recall: CopyRecall) -> bool:
    """Only the holder of the copy says what they did with it, once."""
    return getattr(user, "id", None) is not None and recall.user_id == user.id \
        and recall.answered_at is None


def visible_recalls(user, stmt):
    """Limit a select of copy recalls to the person's own."""
    return stmt.where(CopyRecall.user_id == getattr(user, "id", None))


# Rows a person may see.

def visible_departments(user) -> set[int] | None:
    """None when the user reads every department, else the departments they may read."""
    if roles_of(user) & PERMISSIONS["documents.read"]:
        return None
    scoped = DEPARTMENT_PERMISSIONS["documents.read"]
    return {m.department_id for m in user.memberships if m.role in scoped}


def read_by(department_ids):
    """Ids of documents that the given departments are asked to read as extra readers."""
    return select(document_reader_department.c.document_id).where(
        document_reader_department.c.department_id.in_(department_ids or {-1}))


def visible_documents(user, stmt):
    """Limit a select of documents to those the user may see in the register."""
    # The organisation first, in one place (issue 14): nothing of another's is seen.
    stmt = tenancy.in_organisation(user, stmt, Document)
    visible = visible_departments(user)
    if visible is None:
        return stmt
    # Staff read what is in force in their department, or what they are asked to read.
    return stmt.where(Document.status == "effective",
                      or_(Document.department_id.in_(visible or {-1}),
                          Document.id.in_(read_by(visible))))


# Buttons.

def allowed_actions(user, document: Document, revision: Revision | None = None) -> frozenset:
    """What the user may do now: to the document, or (given one) to a revision of it."""
    if revision is None:
        actions = set()
        if document.status != "obsolete" and may_revise(user, document):
            actions.add("edit")
            # A draft may be replaced; a revision in review or approved blocks a new one
            # (services.revisions.check_upload), so the button is not offered then.
            if not any(r.status in ("in_review", "approved") for r in document.revisions):
                actions.add("upload")
        if document.status == "effective" and may_review(user, document):
            actions.add("review")
        if document.status != "obsolete" and may_obsolete(user, document):
            actions.add("obsolete")
        if document.status == "obsolete" and may_reinstate(user, document):
            actions.add("reinstate")
        if may_read_history(user):
            actions.add("copies")
        if document.status != "obsolete" and may_override_chain(user, document):
            actions.add("chain")
        return frozenset(actions)
    actions = set()
    kept = revision.blob_destroyed_at is None  # a destroyed file has no copy to hand out
    if kept and may_read(user, document, revision):
        actions.add("download")
    if kept and may_download_original(user):
        actions.add("original")
    if revision.status == "draft" and may_submit(user, document, revision):
        actions.add("submit")
    if revision.status == "draft" and may_withdraw(user, document, revision):
        actions.add("withdraw")
    if revision.status == "in_review" and may_sign(user, document, revision):
        actions |= {"sign", "reject"}
    if revision.status == "effective" and asked_to_read(user, revision):
        # Asked, but not opened yet where opening is required: the page says so at the button.
        opened = not reading_requires_opening() or has_opened(user, revision)
        actions.add("acknowledge" if opened else "open_first")
    return frozenset(actions)
