"""The approval part of the documents rule book (rules re-exports it): who signs which step
of a revision's approval chain, and who configures the chains.

A step is signed by someone holding its role for the document's department; never by the
revision's author, and by one person at most one step of a round. Whether a step is open
(every earlier step signed) is the state of the record: refused with 409, not 403."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from compliance.auth.permissions import can
from compliance.core.errors import PermissionDenied
from compliance.documents import chain
from compliance.documents.models import STEP_ROLES, Approval, Document, Revision, RevisionStep


def _ensure(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def may_approve_in(user, document: Document) -> bool:
    """Hold the approver's role for the document's department."""
    return can(user, "documents.approve", document.department_id)


def wrote(user, revision: Revision) -> bool:
    """Whether the user is the revision's author."""
    return getattr(user, "id", None) is not None and revision.author_id == user.id


def signed_step(user, steps: list[chain.Step]) -> chain.Step | None:
    """The step of this round the user signed already, if any."""
    uid = getattr(user, "id", None)
    return next((s for s in steps if s.signature is not None
                 and s.signature.signer_id == uid), None)


def open_steps_for(user, document: Document, revision: Revision,
                   steps: list[chain.Step] | None = None) -> list[chain.Step]:
    """The open steps awaiting this user's signature now (none for the author, nor for
    someone who signed a step of this round already)."""
    steps = chain.chain_of(document, revision) if steps is None else steps
    if wrote(user, revision) or signed_step(user, steps) is not None:
        return []
    return [s for s in steps if s.open and chain.holds(user, s.role, document.department_id)]


def may_sign(user, document: Document, revision: Revision) -> bool:
    """Sign (or reject) a revision now: a step of its chain is open and awaits this user."""
    return bool(open_steps_for(user, document, revision))


def ensure_sign(user, document: Document, revision: Revision) -> None:
    """Raise PermissionDenied, saying why, unless the user is one of the revision's signers:
    holder of a step's role not yet signed, not its author, no step of the round signed."""
    steps = chain.chain_of(document, revision)
    department = document.department_id
    _ensure(any(chain.holds(user, s.role, department) for s in steps),
            _("You may not sign this revision."))
    _ensure(not wrote(user, revision),
            _("You wrote this revision; someone else must approve it."))
    mine = signed_step(user, steps)
    _ensure(mine is None, _("You signed step %(n)d of this revision's approval; each step "
                            "needs a different person.", n=mine.position if mine else 0))
    _ensure(any(s.signature is None and chain.holds(user, s.role, department) for s in steps),
            _("The steps of this approval that you may sign are signed already."))


def _holds_sql(user, role: str):
    """SQL: the user holds this role for the document's department (chain.holds)."""
    everywhere, in_department = chain.signers_of(role)
    if user.global_roles & everywhere:
        return true()
    departments = {m.department_id for m in user.memberships if m.role in in_department}
    return Document.department_id.in_(departments) if departments else false()


def _role_condition(user, role_column):
    """SQL: the step's role is one the user holds for the document's department."""
    return or_(*(and_(role_column == role, _holds_sql(user, role)) for role in STEP_ROLES))


def signable_revisions(user, stmt):
    """Limit a select joining Revision and Document to the revisions in review whose chain
    awaits the user's signature now: the query form of may_sign."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return stmt.where(false())
    stmt = stmt.where(Revision.status == "in_review", Revision.author_id != user.id)
    step, earlier, mine = aliased(RevisionStep), aliased(RevisionStep), aliased(RevisionStep)

    def signed(of):
        return exists().where(Approval.step_id == of.id, Approval.meaning != "rejected")

    this_round = and_(step.revision_id == Revision.id, step.round == Revision.review_round)
    # Said of the step, not of the revision: two levels down, the revision would not be
    # correlated and the subquery would read every revision.
    waits_for_earlier = exists().where(
        earlier.revision_id == step.revision_id, earlier.round == step.round,
        earlier.position < step.position, ~signed(earlier))
    open_for_user = exists().where(this_round, ~signed(step), ~waits_for_earlier,
                                   _role_condition(user, step.role))
    signed_by_user = exists(select(Approval.id).join(mine, mine.id == Approval.step_id).where(
        mine.revision_id == Revision.id, mine.round == Revision.review_round,
        Approval.signer_id == user.id, Approval.meaning != "rejected"))
    legacy = and_(Revision.review_round == 0, _holds_sql(user, chain.DEFAULT_STEPS[0][2]))
    return stmt.where(or_(and_(Revision.review_round > 0, open_for_user, ~signed_by_user),
                          legacy))


# Configuring the chains.

def may_see_chains(user) -> bool:
    """The list of every type's chain: coordinators, administrators and auditors."""
    return can(user, "documents.read_history")


def may_edit_chains(user) -> bool:
    """Change a document type's chain (ISO coordinators, administrators)."""
    return can(user, "documents.manage")


def may_override_chain(user, document: Document) -> bool:
    """Give one document a chain of its own, or put it back on its type's."""
    return can(user, "documents.manage")
