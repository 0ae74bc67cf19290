"""The kinds of notification and their messages, the product areas, the email modes: the
translated labels that forms, services, e-mails and pages import."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    """A notification kind: its message and which area of the product it belongs to.

    The message is a lazy string formatted with the values, or, for a sentence that counts
    something, a function of the values that calls ngettext (real plurals, no "(s)").
    """

    message: object
    area: str
    date_keys: tuple[str, ...] = ()


def _findings_to_answer(values: dict) -> str:
    return ngettext("The report of audit %(reference)s of %(department)s is issued: "
                    "%(num)d finding to answer.",
                    "The report of audit %(reference)s of %(department)s is issued: "
                    "%(num)d findings to answer.", int(values["findings"]), **values)


KINDS: dict[str, Kind] = {
    "review_due": Kind(_l("The periodic review of %(code)s “%(title)s” is due on %(due)s."),
                       "documents", ("due",)),
    "review_due_today": Kind(_l("The periodic review of %(code)s “%(title)s” is due today."),
                             "documents"),
    "review_overdue": Kind(_l("The periodic review of %(code)s “%(title)s” was due on %(due)s "
                              "and is overdue."), "documents", ("due",)),
    "review_overdue_escalated": Kind(
        _l("The periodic review of %(code)s “%(title)s” (owner: %(owner)s) was due on %(due)s "
           "and is still not done."), "documents", ("due",)),
    "ack_requested": Kind(_l("%(code)s “%(title)s”, revision %(label)s, is in force from "
                             "%(effective)s: please read it and confirm that you have read it."),
                          "documents", ("effective",)),
    "ack_outstanding": Kind(_l("Please read and acknowledge %(code)s “%(title)s”, revision "
                               "%(label)s, sent to you on %(requested)s."),
                            "documents", ("requested",)),
    "ack_outstanding_escalated": Kind(
        _l("%(reader)s has not acknowledged %(code)s “%(title)s”, revision %(label)s, sent on "
           "%(requested)s."), "documents", ("requested",)),
    "ca_action_due": Kind(_l("Corrective action %(reference)s: your action “%(action)s” is due "
                             "on %(due)s."), "capa", ("due",)),
    "ca_action_due_today": Kind(_l("Corrective action %(reference)s: your action “%(action)s” "
                                   "is due today."), "capa"),
    "ca_action_overdue": Kind(_l("Corrective action %(reference)s: the action “%(action)s” "
                                 "(owner: %(owner)s) was due on %(due)s and is overdue."),
                              "capa", ("due",)),
    "ca_raised": Kind(_l("Corrective action %(reference)s is raised for %(department)s "
                         "(%(grade)s): “%(problem)s”. Record the correction."), "capa"),
    "ca_raised_due": Kind(_l("Corrective action %(reference)s is raised for %(department)s "
                             "(%(grade)s): “%(problem)s”. Record the correction; the root cause "
                             "and the action plan are due on %(due)s."), "capa", ("due",)),
    "ca_target_due": Kind(_l("Corrective action %(reference)s (%(state)s): the correction, the "
                             "root cause and the action plan are due on %(due)s."),
                          "capa", ("due",)),
    "ca_target_due_today": Kind(_l("Corrective action %(reference)s (%(state)s): the "
                                   "correction, the root cause and the action plan are due "
                                   "today."), "capa"),
    "ca_target_overdue": Kind(_l("Corrective action %(reference)s was due on %(due)s and is "
                                 "still %(state)s: record what is missing."), "capa", ("due",)),
    "ca_target_overdue_escalated": Kind(
        _l("Corrective action %(reference)s of %(department)s was due on %(due)s and is still "
           "%(state)s."), "capa", ("due",)),
    "ca_action_assigned": Kind(_l("Corrective action %(reference)s: the action “%(action)s” is "
                                  "now yours, due on %(due)s."), "capa", ("due",)),
    "effectiveness_check_due": Kind(_l("Corrective action %(reference)s: the effectiveness check "
                                       "is due on %(due)s."), "capa", ("due",)),
    # Risks and opportunities (quality/risks): reviews and treatment actions chased, and the
    # question asked when a corrective action closes (10.2.1 e).
    "risk_review_due": Kind(_l("%(kind)s %(reference)s of %(department)s is due for review on "
                               "%(due)s."), "risks", ("due",)),
    "risk_review_due_today": Kind(_l("%(kind)s %(reference)s of %(department)s is due for "
                                     "review today."), "risks"),
    "risk_review_overdue": Kind(_l("The review of %(kind)s %(reference)s of %(department)s was "
                                   "due on %(due)s and is overdue."), "risks", ("due",)),
    "risk_action_due": Kind(_l("%(kind)s %(reference)s: your treatment action “%(action)s” is "
                               "due on %(due)s."), "risks", ("due",)),
    "risk_action_due_today": Kind(_l("%(kind)s %(reference)s: your treatment action "
                                     "“%(action)s” is due today."), "risks"),
    "risk_action_overdue": Kind(_l("%(kind)s %(reference)s: the treatment action “%(action)s” "
                                   "(owner: %(owner)s) was due on %(due)s and is overdue."),
                                "risks", ("due",)),
    "ca_closed_risk_review": Kind(_l("Corrective action %(reference)s of %(department)s is "
                                     "closed: does the risk register need updating? Record "
                                     "your answer."), "risks"),
    "audit_upcoming": Kind(_l("Audit %(reference)s of %(department)s starts on %(start)s."),
                           "audits", ("start",)),
    "audit_report_late": Kind(_l("Audit %(reference)s of %(department)s ended on %(end)s and its "
                                 "report is not issued yet."), "audits", ("end",)),
    "audit_reported": Kind(_findings_to_answer, "audits"),
    "audit_cancelled": Kind(_l("Audit %(reference)s of %(department)s, planned from %(start)s to "
                               "%(end)s, is cancelled: %(reason)s"), "audits", ("start", "end")),
    "audit_rescheduled": Kind(_l("Audit %(reference)s of %(department)s moves to %(start)s – "
                                 "%(end)s (it was planned for %(old_start)s – %(old_end)s): "
                                 "%(reason)s"), "audits",
                              ("start", "end", "old_start", "old_end")),
    "finding_response_overdue": Kind(_l("Finding %(reference)s (%(department)s) was to be "
                                        "answered by %(due)s and still has no response."),
                                     "audits", ("due",)),
    "copy_recalled": Kind(_l("Revision %(label)s of %(code)s “%(title)s” is replaced by revision "
                             "%(new_label)s: destroy or return your controlled copy of revision "
                             "%(label)s and say which."), "documents"),
    "disposition_due": Kind(_l("Revisions due for disposition by the end of %(month)s: "
                               "%(count)s (under legal hold: %(held)s). Decide on each: "
                               "destroy, keep longer or transfer to the archive."), "documents"),
    "certificate_expiring": Kind(_l("The ISO 9001 certificate %(number)s of %(department)s "
                                    "expires on %(expires)s."), "org", ("expires",)),
    # The scope and its announcements of conformity (compliance/scope).
    "announcement_due": Kind(_l("The scope of the quality system changed after Decision "
                                "%(number)s of %(issued)s: a new announcement of conformity "
                                "is due. Its draft is ready to complete and sign."), "quality",
                             ("issued",)),
    "announcement_first_due": Kind(_l("The scope of the quality system is set but its "
                                      "conformity is not announced yet. The draft decision is "
                                      "ready to complete and sign."), "quality"),
    # The yearly plan for maintaining the quality system (compliance/steering).
    "plan_task_due": Kind(_l("Plan %(year)s for maintaining the quality system: your task "
                             "“%(task)s” is due on %(due)s."), "quality", ("due",)),
    "plan_task_overdue": Kind(_l("Plan %(year)s for maintaining the quality system: the task "
                                 "“%(task)s” was due on %(due)s and is not done yet."),
                              "quality", ("due",)),
    # The register of external documents (documents.external).
    "external_check_due": Kind(_l("External document %(number)s “%(title)s”: check by %(due)s "
                                  "whether it is still in force, amended or replaced."),
                               "documents", ("due",)),
    "external_check_overdue": Kind(_l("External document %(number)s “%(title)s” was to be "
                                      "checked by %(due)s and is not checked yet."),
                                   "documents", ("due",)),
    # Quality objectives and the context of the organisation (compliance/quality/objectives).
    "objective_item_due": Kind(_l("Quality objective %(year)s of %(department)s: your step "
                                  "“%(item)s” is due on %(due)s."), "quality", ("due",)),
    "objective_item_due_today": Kind(_l("Quality objective %(year)s of %(department)s: your "
                                        "step “%(item)s” is due today."), "quality"),
    "objective_item_overdue": Kind(_l("Quality objective %(year)s of %(department)s: the step "
                                      "“%(item)s” was due on %(due)s and is not done yet."),
                                   "quality", ("due",)),
    "objective_item_overdue_escalated": Kind(
        _l("Quality objective %(year)s of %(department)s: the step “%(item)s” (owner: "
           "%(owner)s) was due on %(due)s and is still not done."), "quality", ("due",)),
    "context_issue_review_due": Kind(_l("The context issue “%(name)s” is due for review on "
                                        "%(due)s."), "quality", ("due",)),
    "context_issue_review_overdue": Kind(_l("The context issue “%(name)s” was due for review "
                                            "on %(due)s and is overdue."), "quality", ("due",)),
    "interested_party_review_due": Kind(_l("The interested party “%(name)s” and its "
                                           "requirements are due for review on %(due)s."),
                                        "quality", ("due",)),
    "interested_party_review_overdue": Kind(_l("The interested party “%(name)s” was due for "
                                               "review on %(due)s and is overdue."),
                                            "quality", ("due",)),
    "measure_missed": Kind(_l("Measure %(code)s “%(name)s” (%(process)s) missed its target in "
                              "%(period)s: %(value)s %(unit)s against a target of %(target)s."),
                           "quality"),
    "measure_value_due": Kind(_l("The value of measure %(code)s “%(name)s” for %(period)s is "
                                 "due: the period ended on %(end)s."), "quality", ("end",)),
    "measure_value_overdue": Kind(_l("The value of measure %(code)s “%(name)s” (%(process)s) "
                                     "for %(period)s is still not recorded (recorder: "
                                     "%(recorder)s); the period ended on %(end)s."),
                                  "quality", ("end",)),
}

AREA_LABELS = {"documents": _l("Documents"), "capa": _l("Corrective actions"),
               "audits": _l("Audits"), "org": _l("Organisation"),
               "quality": _l("Quality system"),
               "risks": _l("Risks and opportunities")}

# How a person hears about notifications: each one by email at once, one email a day listing
# them (the digest), or none (in the app only).
EMAIL_MODES = ("immediate", "digest", "none")
EMAIL_MODE_CHOICES = [
    ("immediate", _l("Email me each notification as it is raised")),
    ("digest", _l("Send me one email a day listing everything (daily digest)")),
    ("none", _l("No email: I read notifications in the app")),
]


# How this domain's scheduled jobs report (alert sweeps, outbox, digest, housekeeping; the
# quality jobs' sweeps too), phrased in the reader's language when shown.
JOB_RESULTS = {
    "notifications.new": lambda p: ngettext(
        "%(num)d new notification", "%(num)d new notifications", p["count"]),
    "outbox.email_off": lambda p: gettext("Email is off (COMPLIANCE_SMTP_HOST is not set)"),
    "outbox.nothing_due": lambda p: gettext("Nothing to send"),
    "outbox.unreachable": lambda p: ngettext(
        "SMTP server unreachable (%(error)s); %(num)d email waits",
        "SMTP server unreachable (%(error)s); %(num)d emails wait", p["count"],
        error=p["error"]),
    "outbox.delivered": lambda p: ngettext(
        "%(num)d email sent, %(failed)d failed, %(left)d left for later",
        "%(num)d emails sent, %(failed)d failed, %(left)d left for later", p["sent"],
        failed=p["failed"], left=p["left"]),
    "digest.queued": lambda p: ngettext(
        "%(num)d digest queued", "%(num)d digests queued", p["count"]),
    "housekeeping.sessions_removed": lambda p: ngettext(
        "%(num)d old session record removed", "%(num)d old session records removed",
        p["count"]),
}
