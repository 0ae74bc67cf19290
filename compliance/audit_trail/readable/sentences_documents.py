"""The sentences of controlled documents' events: registration, revisions, signatures,
copies, reviews, approval chains, retention and legal holds."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from compliance.audit_trail.readable.spec import (
    COMMENT,
    NOTE,
    REASON,
    labelled,
    localised,
    say,
    shown,
)
from compliance.documents.labels import (
    COPY_KIND_LABELS,
    OUTCOMES,
    RECALL_ANSWERS,
    STEP_MEANING_LABELS,
    TYPE_LABELS,
    step_label,
)
from compliance.documents.records.labels import DECISION_LABELS, describe_rule

REVISION = shown("label")


def describe_steps(items) -> str:
    """A chain's steps in words: "Step 1 · Approved for use — Department head; Step 2 · …"
    (each step recorded as [position, meaning, role] or as a dict of those)."""
    found = []
    for step in items:
        if isinstance(step, dict):
            step = (step.get("position"), step.get("meaning"), step.get("role"))
        if isinstance(step, list | tuple) and len(step) == 3 and isinstance(step[0], int):
            found.append(f"{_('Step %(n)d', n=step[0])} · {step_label(step[1], step[2])}")
    return "; ".join(found)


def steps(key: str = "steps"):
    """The chain recorded under a key, in words."""
    return lambda ctx: describe_steps(ctx.get(key) or []) or "—"


def one_step(ctx) -> str:
    """The step of the chain a signature answers ("" when it answers none)."""
    step = ctx.after.get("step")
    return describe_steps([step]) if isinstance(step, dict) else ""


def retention(ctx) -> str:
    """A document's own retention rule in words."""
    rule = ctx.get("retention")
    if isinstance(rule, list) and len(rule) >= 2 and (
            rule[0] == "permanent" or (rule[0] and isinstance(rule[1], int))):
        return describe_rule(rule[0], rule[1] or 0)
    return str(_l("the rule of its type"))


def rule_of_type(ctx) -> str:
    """A document type's retention rule in words."""
    basis, years = ctx.get("basis"), ctx.get("years")
    if basis == "permanent" or (basis and isinstance(years, int)):
        return describe_rule(basis, years or 0)
    return "—"


SIGNED = {
    "reviewed": say(_l("%(actor)s signed revision %(revision)s as reviewed (meaning: "
                       "%(meaning)s)"), notes=((one_step, _l("Step of the chain")), COMMENT),
                    revision=REVISION, meaning=labelled("meaning", STEP_MEANING_LABELS)),
    "checked": say(_l("%(actor)s signed revision %(revision)s as checked (meaning: "
                      "%(meaning)s)"), notes=((one_step, _l("Step of the chain")), COMMENT),
                   revision=REVISION, meaning=labelled("meaning", STEP_MEANING_LABELS)),
    "approved": say(_l("%(actor)s approved revision %(revision)s (meaning: %(meaning)s)"),
                    notes=((one_step, _l("Step of the chain")), COMMENT),
                    revision=REVISION, meaning=labelled("meaning", STEP_MEANING_LABELS)),
}
DOWNLOADED = {
    "controlled": _l("%(actor)s downloaded a controlled copy of revision %(revision)s"),
    "original": _l("%(actor)s downloaded the original file of revision %(revision)s"),
    "public": _l("%(actor)s downloaded revision %(revision)s from the public register"),
}
ANSWERED = {
    "destroyed": _l("%(actor)s destroyed their copy of revision %(revision)s"),
    "returned": _l("%(actor)s returned their copy of revision %(revision)s"),
}
REVIEWED = {
    "no_change": say(_l("%(actor)s reviewed the document: no change needed (next review "
                        "%(day)s)"), notes=(COMMENT,), day=shown("next_review_date")),
    "revise": say(_l("%(actor)s reviewed the document: it must be revised, a new draft "
                     "was opened"), notes=(COMMENT,)),
}

FAMILIES = {
    "revision.sign.*": SIGNED,
    "revision.download.*": {kind: say(DOWNLOADED.get(kind, DOWNLOADED["controlled"]),
                                      revision=REVISION) for kind in COPY_KIND_LABELS},
    "revision.copy_*": {answer: say(ANSWERED[answer], notes=(NOTE,), revision=REVISION)
                        for answer in RECALL_ANSWERS},
    "document.review.*": {outcome: REVIEWED[outcome] for outcome in OUTCOMES},
}

SENTENCES = {
    "document.create": say(_l("%(actor)s registered the document %(code)s “%(title)s”"),
                           code=shown("code"), title=localised("title_vi", "title_en")),
    "document.update": say(_l("%(actor)s changed the document's register entry"),
                           changes=True),
    "document.obsolete": say(_l("%(actor)s made the document obsolete, signing with their "
                                "password"), notes=(REASON,)),
    "document.reinstate": say(_l("%(actor)s brought the document back into use, signing "
                                 "with their password"), notes=(REASON,)),
    "document.chain_override": say(_l("%(actor)s gave the document its own approval chain: "
                                      "%(steps)s"), notes=(REASON,), steps=steps()),
    "document.chain_reset": say(_l("%(actor)s put the document back on the approval chain "
                                   "of its type: %(steps)s"), notes=(REASON,), steps=steps()),
    "document.retention": say(_l("%(actor)s set how long the document is kept: %(rule)s"),
                              rule=retention),
    "document.disposition": say(_l("%(actor)s decided what becomes of revision "
                                   "%(revision)s: %(decision)s"), notes=(REASON,),
                                revision=shown("revision"),
                                decision=labelled("decision", DECISION_LABELS)),
    "revision.create": say(_l("%(actor)s uploaded revision %(revision)s as a draft (file "
                              "%(file)s)"), revision=REVISION, file=shown("filename")),
    "revision.replace_file": say(_l("%(actor)s replaced the file of draft %(revision)s "
                                    "(now %(file)s)"), revision=REVISION,
                                 file=shown("filename")),
    "revision.withdraw": say(_l("%(actor)s withdrew draft %(revision)s; it will not move "
                                "again"), revision=REVISION),
    "revision.submit": say(_l("%(actor)s submitted revision %(revision)s for approval "
                              "(round %(round)s): %(steps)s"), revision=REVISION,
                           round=shown("round"), steps=steps()),
    "revision.reject": say(_l("%(actor)s rejected revision %(revision)s; it went back to "
                              "its author as a draft"),
                           notes=((one_step, _l("Step of the chain")),
                                  ("comment", _l("Reason for rejection"))),
                           revision=REVISION),
    "revision.effective": say(_l("%(actor)s brought revision %(revision)s into force on "
                                 "%(day)s"), notes=(("supersedes", _l("Replaces revision")),
                                                    ("next_review_date", _l("Next review"))),
                              revision=REVISION, day=shown("effective_date")),
    "revision.copies_recalled": say(_l("%(actor)s asked the holders of copies of revision "
                                       "%(revision)s to destroy or return them (replaced by "
                                       "revision %(new)s)"), revision=REVISION,
                                    new=shown("replaced_by")),
    "revision.acknowledge": say(_l("%(actor)s confirmed having read revision %(revision)s"),
                                revision=REVISION),
    "revision.rendition": say(_l("%(actor)s made the PDF copy of revision %(revision)s "
                                 "that is stamped and handed out"), revision=REVISION),
    "legal_hold.place": say(_l("%(actor)s placed a legal hold"), notes=(REASON,)),
    "legal_hold.lift": say(_l("%(actor)s lifted the legal hold, signing with their "
                              "password"), notes=(("lift_reason", _l("Reason")),)),
    "approval_chain.edit": say(_l("%(actor)s changed the approval chain of the type "
                                  "%(type)s: %(steps)s"),
                               type=labelled("doc_type", TYPE_LABELS), steps=steps()),
    "retention_rule.update": say(_l("%(actor)s changed how long documents of the type "
                                    "%(type)s are kept: %(rule)s"),
                                 type=labelled("type", TYPE_LABELS), rule=rule_of_type),
}
