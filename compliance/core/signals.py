"""Signals between domains: senders never know who listens (DESIGN §3.5).

Each sender documents its keyword arguments in its module; the newest ones here too:
- measure_target_missed: sender the Measure (quality.measures.services.values); `values`: the
  MeasureValue rows just recorded for it that miss its target; `actor`: who recorded them.
- measure_import_confirmed: sender the MeasureImport whose rows were just written
  (quality.measures.services.imports); `missed`: the values written that miss their target
  (measures loaded); `actor`: who confirmed it. Sent only when some value misses.
- disposition_due: sender the first day of the month (a date), by the monthly job of
  documents.jobs; `items`: the revisions due for disposition by the month's end
  (documents.records.queries.DueItem), `held`: how many of them are under a legal hold. Sent
  only when some item is due.
- evidence_pack_ready: sender the EvidencePack just stored as ready (evidence.progress, in the
  worker's unit of work); no keywords.
"""

from blinker import Namespace

_signals = Namespace()

user_created = _signals.signal("user-created")
user_deactivated = _signals.signal("user-deactivated")
membership_changed = _signals.signal("membership-changed")
department_changed = _signals.signal("department-changed")
revision_published = _signals.signal("revision-published")
reading_requested = _signals.signal("reading-requested")
finding_raised = _signals.signal("finding-raised")
audit_reported = _signals.signal("audit-reported")
audit_cancelled = _signals.signal("audit-cancelled")
audit_rescheduled = _signals.signal("audit-rescheduled")
copies_recalled = _signals.signal("copies-recalled")
corrective_action_raised = _signals.signal("corrective-action-raised")
ca_action_reassigned = _signals.signal("ca-action-reassigned")
# Sender: the CorrectiveAction just closed (after an effective check, or by a decision);
# keyword `actor`. Sent by capa.services.verification; quality.risks asks whether the risk
# register needs updating (ISO 9001 10.2.1 e).
corrective_action_closed = _signals.signal("corrective-action-closed")

measure_target_missed = _signals.signal("measure-target-missed")
measure_import_confirmed = _signals.signal("measure-import-confirmed")
disposition_due = _signals.signal("disposition-due")
evidence_pack_ready = _signals.signal("evidence-pack-ready")
