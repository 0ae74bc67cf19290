"""Approval chains, read: the steps a document's revisions go through (the document's own
chain, else its type's, else the single "approved for use" step), where a revision stands in
its round (each step, who signed it and when, which steps are open) and who is awaited.
Reads only; the changes are in services.chains and services.approval."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import or_, select

from compliance.audit_trail.services import recorded_for
from compliance.auth import reauth
from compliance.auth.labels import GLOBAL_ROLES
from compliance.auth.models import Membership, User, UserRole
from compliance.auth.permissions import DEPARTMENT_PERMISSIONS, PERMISSIONS
from compliance.core.extensions import db
from compliance.core.locale import format_moment
from compliance.documents.labels import step_label
from compliance.documents.models import Approval, ApprovalChain, Document, Revision

# (position, meaning, role): what every type's chain is until a coordinator changes it, and
# what revisions submitted before chains existed were signed under.
DEFAULT_STEPS = ((1, "approved", "approver"),)
MAX_STEPS = 6
# How many names of people awaited a page shows for one step.
AWAITED_NAMES = 10


@dataclass(frozen=True)
class Step:
    """A step of a revision's round: `id` is the stored step (None while not submitted, or
    for a revision submitted before chains existed); `open` when it may be signed now."""

    position: int
    meaning: str
    role: str
    id: int | None = None
    signature: Approval | None = None
    rejection: Approval | None = None
    open: bool = False


def type_chain(doc_type: str) -> ApprovalChain | None:
    """The chain configured for a document type (None: the default single step)."""
    return db.session.scalar(select(ApprovalChain).where(ApprovalChain.doc_type == doc_type))


def own_chain(document: Document) -> ApprovalChain | None:
    """The document's override of its type's chain, if a coordinator set one."""
    return db.session.scalar(select(ApprovalChain).where(
        ApprovalChain.document_id == document.id))


def as_tuples(chain: ApprovalChain | None) -> tuple[tuple[int, str, str], ...]:
    """A chain's steps as (position, meaning, role); the default for no chain."""
    if chain is None or not chain.steps:
        return DEFAULT_STEPS
    return tuple((s.position, s.meaning, s.role) for s in chain.steps)


def configured(document: Document) -> tuple[tuple[tuple[int, str, str], ...], str]:
    """The steps a new submission of this document gets, and where they come from
    ("document", "type" or "default")."""
    own = own_chain(document)
    if own is not None:
        return as_tuples(own), "document"
    by_type = type_chain(document.doc_type)
    return as_tuples(by_type), "type" if by_type is not None and by_type.steps else "default"


def _opened(steps: list[Step], in_review: bool) -> list[Step]:
    """Mark open the unsigned steps whose every earlier step (smaller position) is signed."""
    if not in_review:
        return steps
    waiting = {s.position for s in steps if s.signature is None}
    first = min(waiting, default=None)
    return [Step(s.position, s.meaning, s.role, s.id, s.signature, s.rejection,
                 s.signature is None and s.position == first) for s in steps]


def chain_of(document: Document, revision: Revision) -> list[Step]:
    """Where the revision stands: the steps of its current round with their signatures (the
    chain it will get, while never submitted; the single default step, signed or not, for a
    revision submitted before chains existed)."""
    in_review = revision.status == "in_review"
    if revision.review_round:
        stored = [s for s in revision.steps if s.round == revision.review_round]
        answers = {a.step_id: a for a in revision.approvals if a.step_id is not None}
        steps = [Step(s.position, s.meaning, s.role, s.id,
                      signature=_answer(answers, s.id, signed=True),
                      rejection=_answer(answers, s.id, signed=False)) for s in stored]
        return _opened(steps, in_review)
    if revision.status == "draft":
        return [Step(*step) for step in configured(document)[0]]
    # Signed before chains existed: the approval that released it fills the default step.
    released = next((a for a in reversed(revision.approvals)
                     if a.step_id is None and a.meaning == "approved"), None)
    return _opened([Step(*DEFAULT_STEPS[0], signature=released)], in_review)


def _answer(answers: dict, step_id: int, *, signed: bool) -> Approval | None:
    answer = answers.get(step_id)
    if answer is None or (answer.meaning != "rejected") != signed:
        return None
    return answer


def others(revision: Revision, steps: list[Step]) -> list[Approval]:
    """The revision's signatures that answer none of these steps: extra "reviewed" ones,
    and those of earlier rounds (a rejected round stays on record)."""
    shown = {id(s.signature) for s in steps} | {id(s.rejection) for s in steps}
    return [a for a in revision.approvals if id(a) not in shown]


def complete(steps: list[Step]) -> bool:
    """Whether every step is signed."""
    return bool(steps) and all(s.signature is not None for s in steps)


def signers_of(role: str) -> tuple[frozenset[str], frozenset[str]]:
    """The organisation-wide roles and the department roles that sign a step of this role:
    an approver is whoever approves documents for the department."""
    if role == "approver":
        return PERMISSIONS["documents.approve"], DEPARTMENT_PERMISSIONS["documents.approve"]
    if role in GLOBAL_ROLES:
        return frozenset({role}), frozenset()
    return frozenset(), frozenset({role})


def holds(user, role: str, department_id: int) -> bool:
    """Whether the user holds a step's role for the document's department."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    everywhere, in_department = signers_of(role)
    return bool(user.global_roles & everywhere) or any(
        m.department_id == department_id and m.role in in_department for m in user.memberships)


def awaited(document: Document, revision: Revision, steps: list[Step]) -> dict[int, list[str]]:
    """For each unsigned step (by its index), the names of the people who may still sign it:
    holders of its role, never the author nor someone who signed another step."""
    signed = {s.signature.signer_id for s in steps if s.signature is not None}
    names = {}
    for index, step in enumerate(steps):
        if step.signature is not None:
            continue
        everywhere, in_department = signers_of(step.role)
        names[index] = list(db.session.scalars(
            select(User.name).where(
                User.is_person(), User.id != revision.author_id,
                User.id.not_in(signed or {-1}),
                or_(User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(everywhere))),
                    User.id.in_(select(Membership.user_id).where(
                        Membership.department_id == document.department_id,
                        Membership.role.in_(in_department)))))
            .order_by(User.name).limit(AWAITED_NAMES)))
    return names


def printed(document: Document, revision: Revision) -> list[str]:
    """The revision's chain as copies print it, one phrase a step: its meaning and role, who
    signed it and when, or that it is awaited (nothing for a draft never submitted)."""
    if revision.status == "draft" and not revision.review_round:
        return []
    phrases, proofs = [], signature_proofs(document)
    for step in chain_of(document, revision):
        what = _("Step %(n)d · %(step)s", n=step.position,
                 step=step_label(step.meaning, step.role))
        if step.signature is not None:
            phrases.append(_proved(_("%(step)s: %(name)s, %(time)s", step=what,
                                     name=step.signature.signer_name,
                                     time=format_moment(step.signature.signed_at)),
                                   proof_of(proofs, step.signature)))
        elif step.rejection is not None:
            phrases.append(_proved(_("%(step)s: rejected by %(name)s, %(time)s", step=what,
                                     name=step.rejection.signer_name,
                                     time=format_moment(step.rejection.signed_at)),
                                   proof_of(proofs, step.rejection)))
        else:
            phrases.append(_("%(step)s: awaited", step=what))
    return phrases


def signature_proofs(*documents: Document) -> dict[int, dict]:
    """What the trail recorded of each signature (and rejection) on the documents, by the
    approval's id: how the signer was proved again, and when (auth.reauth)."""
    return {after["approval_id"]: after for _id, after in recorded_for(
        "document", [d.id for d in documents], "revision.") if after.get("approval_id")}


def proof_of(proofs: dict[int, dict], approval: Approval | None) -> str:
    """How the signer of this approval was proved again, as printed ("" when not recorded)."""
    return reauth.printed(proofs.get(approval.id)) if approval is not None else ""


def _proved(phrase: str, proof: str) -> str:
    return f"{phrase} ({proof})" if proof else phrase
