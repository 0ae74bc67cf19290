"""The sentences of internal audits' events: programmes, plans, the checklist, findings,
meetings and the report; the question bank and the grades."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from compliance.audit_trail.readable.spec import (
    REASON,
    but_num,
    entity,
    labelled,
    number,
    say,
    shown,
)
from compliance.audits.labels import MEETINGS, RESULT_LABELS

ITEM = shown("item")


def started(ctx, found: dict) -> str:
    """The audit started, with the size of its checklist."""
    return ngettext("%(actor)s started the audit; its checklist has %(num)d question",
                    "%(actor)s started the audit; its checklist has %(num)d questions",
                    found["num"], **but_num(found))


def signed(ctx, found: dict) -> str:
    """The report signed, with the number of findings it holds."""
    return ngettext("%(actor)s signed the audit report (%(num)d finding)",
                    "%(actor)s signed the audit report (%(num)d findings)",
                    found["num"], **but_num(found))


def grade_of_entity(ctx) -> str:
    """The grade an event about a grade concerns, by its name."""
    return ctx.lookups.grade(entity(ctx))


MEETING = {
    "opening": _l("%(actor)s recorded the opening meeting, held %(at)s"),
    "closing": _l("%(actor)s recorded the closing meeting, held %(at)s"),
}

FAMILIES = {
    "audit.meeting_*": {which: say(MEETING[which], notes=(("attendees", _l("Attendees")),),
                                   at=shown("at")) for which in MEETINGS},
}

SENTENCES = {
    "programme.create": say(_l("%(actor)s created the audit programme “%(title)s” "
                               "(%(start)s – %(end)s)"), title=shown("title"),
                            start=shown("period_start"), end=shown("period_end")),
    "programme.update": say(_l("%(actor)s changed the audit programme"), changes=True),
    "audit.plan": say(_l("%(actor)s planned the audit %(reference)s of %(department)s "
                         "(%(start)s – %(end)s)"), reference=shown("reference"),
                      department=shown("department_id"), start=shown("planned_start"),
                      end=shown("planned_end")),
    "audit.update": say(_l("%(actor)s changed the audit plan"), changes=True),
    "audit.cancel": say(_l("%(actor)s cancelled the audit"), notes=(REASON,)),
    "audit.reschedule": say(_l("%(actor)s moved the audit to %(start)s – %(end)s"),
                            changes=("planned_start", "planned_end"),
                            notes=(REASON,), start=shown("planned_start"),
                            end=shown("planned_end")),
    "audit.start": say(started, num=number("items")),
    "audit.item_add": say(_l("%(actor)s added a question to the checklist: “%(question)s”"),
                          question=shown("question")),
    "audit.item_result": say(_l("%(actor)s recorded the result of checklist question "
                                "%(item)s: %(result)s"), notes=(("notes", _l("Notes")),),
                             item=ITEM, result=labelled("result", RESULT_LABELS)),
    "audit.evidence_document": say(_l("%(actor)s cited revision %(revision)s of a controlled "
                                      "document as evidence for checklist question %(item)s"),
                                   revision=shown("revision"), item=ITEM),
    "audit.evidence_file": say(_l("%(actor)s attached the file %(file)s as evidence for "
                                  "checklist question %(item)s"), file=shown("filename"),
                               item=ITEM),
    "audit.finding": say(_l("%(actor)s recorded finding %(number)s: %(grade)s"),
                         notes=(("description", _l("Description")),),
                         number=shown("number"), grade=shown("grade")),
    "audit.report_signed": say(signed, num=number("findings")),
    "audit.close": say(_l("%(actor)s closed the audit")),
    "audit.finding_due": say(_l("%(actor)s set the date by which finding %(number)s must be "
                                "answered: %(day)s"), changes=("response_due_on",),
                             number=shown("number"), day=shown("response_due_on")),
    "audit.finding_response": say(_l("%(actor)s recorded the department's answer to finding "
                                     "%(number)s"), notes=(("response", _l("Answer")),),
                                  number=shown("number")),
    "question.save": say(_l("%(actor)s saved a question of the question bank"),
                         notes=(("text_vi", _l("Question (Vietnamese)")),)),
    "grade.update": say(_l("%(actor)s changed the rules of the grade “%(grade)s”"),
                        grade=grade_of_entity),
}
