"""Where a revision stands: draft → in review → approved → in force → superseded, what stands
before its next step and who must act (for a revision in review: the signers awaited on the
open steps of its approval chain). Data for templates/_macros/steps.html."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from compliance.auth.labels import ROLE_LABELS
from compliance.core.clock import today
from compliance.core.locale import format_day
from compliance.core.steps import Progress, progress
from compliance.documents import chain
from compliance.documents.labels import STATUS_LABELS, step_label
from compliance.documents.models import Document, Revision

PATH = (("draft", STATUS_LABELS["draft"]), ("in_review", STATUS_LABELS["in_review"]),
        ("approved", STATUS_LABELS["approved"]), ("effective", STATUS_LABELS["effective"]),
        ("superseded", STATUS_LABELS["superseded"]))
WITHDRAWN = _l("Withdrawn: this draft was set aside and will not move again.")
OBSOLETE = _l("Obsolete: the document was withdrawn from use; this revision is kept for the "
              "record.")


def revision_progress(document: Document, revision: Revision,
                      steps: list[chain.Step] | None = None,
                      awaited: dict[int, list[str]] | None = None) -> Progress:
    """The revision's place on its path (its chain's steps and the awaited signers may be
    given when the page has them already)."""
    title = _("Where revision %(label)s stands", label=revision.label)
    if revision.status == "withdrawn":
        return progress(title, PATH, "draft", left_after="draft", outcome=str(WITHDRAWN))
    if revision.status == "obsolete":
        was = revision.status_before_obsolete or "effective"
        return progress(title, PATH, was, left_after=was, outcome=str(OBSOLETE))
    blockers, actors = _next(document, revision, steps, awaited)
    return progress(title, PATH, revision.status, blockers=blockers, actors=actors)


def _next(document, revision, steps, awaited) -> tuple[list[str], list[str]]:
    if revision.status == "draft":
        return ([_("The draft must be submitted for review.")],
                _heads(document) + [_("an ISO coordinator")])
    if revision.status == "in_review":
        return _in_review(document, revision, steps, awaited)
    if revision.status == "approved":
        day = revision.effective_date
        if day is not None and day > today():
            return ([_("It comes into force on %(day)s, by itself.", day=format_day(day))], [])
        return [_("It comes into force at the next scheduled run, by itself.")], []
    if revision.status == "effective":
        return ([_("It stays in force until a newer revision is approved and comes into "
                   "force.")], [])
    return [], []


def _in_review(document, revision, steps, awaited) -> tuple[list[str], list[str]]:
    """The open steps of the chain, each a blocker, and the people who may sign them."""
    steps = steps if steps is not None else chain.chain_of(document, revision)
    awaited = awaited if awaited is not None else chain.awaited(document, revision, steps)
    blockers, actors = [], []
    for index, step in enumerate(steps):
        if not step.open:
            continue
        blockers.append(_("Step %(n)d must be signed: %(step)s", n=step.position,
                          step=step_label(step.meaning, step.role)))
        actors.extend(awaited.get(index) or [_role_name(step.role)])
    return blockers, actors


def _role_name(role: str) -> str:
    """Who signs a step when nobody holds its role yet: the role itself."""
    if role == "approver":
        return _("an approver of the department")
    return str(ROLE_LABELS.get(role, role))


def _heads(document: Document) -> list[str]:
    """The department's heads, who submit its drafts."""
    return sorted(user.name for user in document.department.heads() if user.active)
