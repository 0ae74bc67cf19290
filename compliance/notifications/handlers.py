"""This domain's signal receivers: people hear at once about events they must act on.

Received:
- `core.signals.audit_reported` — sender: the Audit whose report was issued; keyword
  `actor` (the user who issued it). The audited department's heads get an `audit_reported`
  notification (and its email in the outbox when they chose immediate email; the outbox job
  sends it after the request has committed).
- `core.signals.reading_requested` — sender: the Revision that came into force; keywords
  `document` and `user_ids` (the readers just asked to read it). Each reader hears at once
  (`ack_requested`), not only when the first reminder falls due a week later.
- `core.signals.audit_cancelled` — sender: the Audit; keywords `actor`, `reason`. The
  audited department's heads and the audit's auditors get `audit_cancelled`.
- `core.signals.audit_rescheduled` — sender: the Audit; keywords `actor`, `reason`,
  `before` (the old planned start and end). The same people get `audit_rescheduled`.
- `core.signals.copies_recalled` — sender: the superseded Revision; keywords `document`,
  `replaced_by`, `recalls` (CopyRecall rows). Each holder gets `copy_recalled`.
- `core.signals.corrective_action_raised` — sender: the CorrectiveAction just raised (by hand
  or for a finding); keyword `actor`. The heads of its department (the coordinators when it
  has none), but not the one who raised it, get `ca_raised` (`ca_raised_due` with its target
  date), keyed `ca:<id>:raised`.
- `core.signals.ca_action_reassigned` — sender: the Action given to someone else; keywords
  `actor`, `previous_owner_id`. The new owner (unless they gave it to themselves) gets
  `ca_action_assigned`.
- `core.signals.measure_target_missed` — sender: the Measure; keywords `values` (the values
  just recorded that miss its target), `actor`. The process owner (the department's heads
  when the process has none) and the coordinators, but not the one who recorded it, get
  `measure_missed` for each value, keyed `measure_value:<id>:missed`.
- `core.signals.measure_import_confirmed` — sender: the MeasureImport just written; keywords
  `missed` (its values that miss their target), `actor`. The same, for all of them at once.
- `core.signals.disposition_due` — sender: the first day of the month; keywords `items` (the
  revisions due for disposition by its end), `held` (how many are under a legal hold). The
  coordinators get `disposition_due`, once a month, keyed `disposition:<YYYY-MM>`.
"""

from __future__ import annotations

from functools import partial

from compliance.core import signals
from compliance.notifications.alerts_capa import announce
from compliance.notifications.alerts_work import audit_params
from compliance.notifications.recipients import coordinators, link
from compliance.notifications.services import Alert, raise_alerts
from compliance.org import queries as org


def _heads(audit) -> list[int]:
    return org.heads_by_department([audit.department_id]).get(audit.department_id, [])


def on_audit_reported(audit, actor=None, **_extra) -> None:
    """The audited department's heads learn that the report is out and what it found."""
    raise_alerts([Alert("audit_reported", f"audit:{audit.id}:reported", _heads(audit),
                        {**audit_params(audit), "findings": len(audit.findings)},
                        link("audits.conduct.detail", audit_id=audit.id), news=True)])


def on_reading_requested(revision, *, document, user_ids, **_extra) -> None:
    """The readers of a revision that came into force are asked to read it, at once."""
    raise_alerts([Alert("ack_requested", f"revision:{revision.id}:reading_requested", user_ids,
                        {"code": document.code, "title_vi": document.title_vi,
                         "title_en": document.title_en, "label": revision.label,
                         "effective": revision.effective_date},
                        link("documents.reading.to_read"), news=True)])


def on_audit_cancelled(audit, actor=None, reason: str = "", **_extra) -> None:
    """The audited department and the auditors learn that the audit will not take place."""
    raise_alerts([Alert("audit_cancelled", f"audit:{audit.id}:cancelled",
                        set(_heads(audit)) | audit.auditor_ids(),
                        {**audit_params(audit), "reason": reason},
                        link("audits.conduct.detail", audit_id=audit.id), news=True)])


def on_audit_rescheduled(audit, actor=None, reason: str = "", before=None, **_extra) -> None:
    """The audited department and the auditors learn the new dates (each move is news)."""
    old_start, old_end = before or (audit.planned_start, audit.planned_end)
    raise_alerts([Alert("audit_rescheduled",
                        f"audit:{audit.id}:rescheduled:{audit.version}",
                        set(_heads(audit)) | audit.auditor_ids(),
                        {**audit_params(audit), "old_start": old_start, "old_end": old_end,
                         "reason": reason},
                        link("audits.conduct.detail", audit_id=audit.id), news=True)])


def on_copies_recalled(revision, document=None, replaced_by=None, recalls=(), **_extra) -> None:
    """Each holder of a copy of the superseded revision is asked to destroy or return it."""
    params = {"code": document.code, "title_vi": document.title_vi,
              "title_en": document.title_en, "label": revision.label,
              "new_label": replaced_by.label}
    raise_alerts([Alert("copy_recalled", f"copy_recall:{recall.id}", [recall.user_id], params,
                        link("documents.reading.old_copies", _anchor=f"copy-{recall.id}"),
                        news=True)
                  for recall in recalls])


def on_corrective_action_raised(ca, actor=None, **_extra) -> None:
    """Those who must act hear at once that a corrective action waits for its correction."""
    announce(ca, getattr(actor, "id", None))


def on_ca_action_reassigned(action, actor=None, **_extra) -> None:
    """The new owner of an action hears that it is theirs now, and by when."""
    people = {action.owner_id} - {getattr(actor, "id", None)}
    ca = action.corrective_action
    raise_alerts([Alert("ca_action_assigned",
                        f"ca_action:{action.id}:assigned:{action.owner_id}:{action.version}",
                        people, {"reference": ca.reference, "action": action.description[:200],
                                 "due": action.due_on},
                        link("capa.detail", ca_id=ca.id), news=True)])


def _shown(number) -> str:
    return "—" if number is None else f"{number:g}"


def _missed_alerts(values, actor) -> list[Alert]:
    """One `measure_missed` per value: to its process owner (the heads when the process has
    none) and the coordinators, never to the one who recorded it."""
    departments = {v.measure.process.department_id for v in values}
    heads = org.heads_by_department(departments) if departments else {}
    staff = set(coordinators()) - {getattr(actor, "id", None)}
    alerts = []
    for value in values:
        measure = value.measure
        process = measure.process
        owners = {process.owner_id} if process.owner_id else set(
            heads.get(process.department_id, []))
        params = {"code": measure.code, "name_vi": measure.name_vi,
                  "name_en": measure.name_en or measure.name_vi, "unit": measure.unit,
                  "process_vi": f"{process.code} {process.name_vi}",
                  "process_en": f"{process.code} {process.name_en}",
                  "period": value.period, "value": _shown(value.value),
                  "target": _shown(value.target)}
        alerts.append(Alert("measure_missed", f"measure_value:{value.id}:missed",
                            (owners - {getattr(actor, "id", None)}) | staff, params,
                            partial(link, "quality.measures.value", measure_id=measure.id,
                                    value_id=value.id), news=True))
    return alerts


def on_measure_target_missed(measure, values=(), actor=None, **_extra) -> None:
    """The process owner and the coordinators hear at once of a value that missed its
    target."""
    raise_alerts(_missed_alerts(values, actor))


def on_measure_import_confirmed(upload, missed=(), actor=None, **_extra) -> None:
    """The same for every value of an import that missed its target, raised together."""
    raise_alerts(_missed_alerts(missed, actor))


def on_disposition_due(first_day, items=(), held: int = 0, **_extra) -> None:
    """The coordinators hear, once a month, how many revisions wait for a disposition."""
    month = f"{first_day:%Y-%m}"
    raise_alerts([Alert("disposition_due", f"disposition:{month}", coordinators(),
                        {"month": f"{first_day:%m/%Y}", "count": len(items), "held": held},
                        link("documents.retention.due", month=month))])


def connect(app) -> None:
    """Listen for the domain events that people should hear about at once."""
    # Module-level receivers, so blinker's weak reference lives as long as the process and a
    # second app (tests build many) connects the same receiver once.
    signals.audit_reported.connect(on_audit_reported)
    signals.reading_requested.connect(on_reading_requested)
    signals.audit_cancelled.connect(on_audit_cancelled)
    signals.audit_rescheduled.connect(on_audit_rescheduled)
    signals.copies_recalled.connect(on_copies_recalled)
    signals.corrective_action_raised.connect(on_corrective_action_raised)
    signals.ca_action_reassigned.connect(on_ca_action_reassigned)
    signals.measure_target_missed.connect(on_measure_target_missed)
    signals.measure_import_confirmed.connect(on_measure_import_confirmed)
    signals.disposition_due.connect(on_disposition_due)
