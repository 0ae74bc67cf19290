"""This domain's signal receivers: each raises a webhook event in the sender's unit of work
(services.raise_event), so a change that rolls back posts nothing; the webhook outbox job
(delivery.deliver) posts them once committed.

Received:
- `revision_published` (sender: the Revision now in force; `document`, `superseded`):
  `revision.in_force`, and `revision.superseded` for the revision it replaced.
- `finding_raised` (sender: the Finding, sent when its grade calls for corrective action):
  `finding.raised`.
- `measure_target_missed` (sender: the Measure; `values`) and `measure_import_confirmed`
  (sender: the MeasureImport; `missed`): `measure.below_target`, one per value.
- `evidence_pack_ready` (sender: the EvidencePack): `evidence_pack.ready`.
`corrective_action.overdue` has no signal: the daily job in jobs.py raises it.
"""

from __future__ import annotations

from compliance.core import signals
from compliance.webhooks.services import hooks_wanting, raise_event


def _revision(document, revision) -> dict:
    return {"document": {"id": document.id, "code": document.code,
                         "title_vi": document.title_vi, "title_en": document.title_en},
            "revision": {"id": revision.id, "label": revision.label,
                         "status": revision.status, "effective_date": revision.effective_date}}


def on_revision_published(revision, *, document, superseded=None, **_extra) -> None:
    """A revision in force, and the one it superseded."""
    raise_event(document.organisation_id, "revision.in_force",
                f"revision:{revision.id}:in_force", _revision(document, revision))
    if superseded is not None:
        raise_event(document.organisation_id, "revision.superseded",
                    f"revision:{superseded.id}:superseded",
                    {**_revision(document, superseded), "replaced_by": revision.id})


def on_finding_raised(finding, **_extra) -> None:
    """A finding that calls for corrective action."""
    raise_event(finding.organisation_id, "finding.raised", f"finding:{finding.id}:raised",
                {"finding": {"id": finding.id, "audit_id": finding.audit_id,
                             "number": finding.number, "grade": finding.grade,
                             "description": finding.description}})


def _missed(values) -> None:
    # One look for the hooks per organisation, not per value (an import may miss hundreds).
    wanting: dict[int, list] = {}
    for value in values:
        measure = value.measure
        if measure.organisation_id not in wanting:
            wanting[measure.organisation_id] = hooks_wanting(measure.organisation_id,
                                                             "measure.below_target")
        if not wanting[measure.organisation_id]:
            continue
        raise_event(measure.organisation_id, "measure.below_target",
                    f"measure_value:{value.id}:missed",
                    {"measure": {"id": measure.id, "code": measure.code,
                                 "unit": measure.unit},
                     "value": {"id": value.id, "period": value.period, "value": value.value,
                               "target": value.target}},
                    hooks=wanting[measure.organisation_id])


def on_measure_target_missed(measure, values=(), **_extra) -> None:
    """Values just recorded that miss their measure's target."""
    _missed(values)


def on_measure_import_confirmed(upload, missed=(), **_extra) -> None:
    """An import's values that miss their targets."""
    _missed(missed)


def on_evidence_pack_ready(pack, **_extra) -> None:
    """An evidence pack built and stored."""
    raise_event(pack.organisation_id, "evidence_pack.ready", f"evidence_pack:{pack.id}:ready",
                {"pack": {"id": pack.id, "reference": pack.reference,
                          "period_start": pack.period_start, "period_end": pack.period_end,
                          "sha256": pack.blob_sha256, "pages": pack.pages}})


def connect() -> None:
    """Listen for the events hooks may want (module-level receivers: connected once)."""
    signals.revision_published.connect(on_revision_published)
    signals.finding_raised.connect(on_finding_raised)
    signals.measure_target_missed.connect(on_measure_target_missed)
    signals.measure_import_confirmed.connect(on_measure_import_confirmed)
    signals.evidence_pack_ready.connect(on_evidence_pack_ready)
