"""Recording a measure's value for a period, and raising a corrective action from a value
that missed its target.

Sends `core.signals.measure_target_missed` (sender: the Measure; `values`: the values just
recorded that miss its target; `actor`) once a missed value is flushed, so the process owner
and the coordinators hear of it at once (notifications.handlers)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.capa import services as capa
from compliance.capa.models import CorrectiveAction
from compliance.core import signals
from compliance.core.db import utcnow
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.files import accept_upload
from compliance.quality.measures import rules
from compliance.quality.measures.labels import REFUSALS
from compliance.quality.measures.models import Measure, MeasureValue
from compliance.quality.measures.services.common import Refusal, check_period, reading


def _refused(refusal: Refusal) -> DomainError:
    return DomainError(str(REFUSALS[refusal.code]), field=refusal.field)


def record_value(actor, measure: Measure, *, period: str, today: date, value=None,
                 received=None, on_time=None, late=None, note: str = "", stream=None,
                 filename: str | None = None) -> MeasureValue:
    """Record the value of one period (with an optional note and evidence file); a value
    that misses the measure's target is marked and announced."""
    rules.ensure_record(actor, measure)
    if not measure.active:
        raise DomainError(_("This measure is no longer recorded."), status=409)
    try:
        checked = reading(measure, check_period(measure, period, today), value=value,
                          received=received, on_time=on_time, late=late)
    except Refusal as refusal:
        raise _refused(refusal) from None
    taken = db.session.scalar(select(MeasureValue.id).where(
        MeasureValue.measure_id == measure.id, MeasureValue.period == checked.period.code))
    if taken is not None:
        raise DomainError(_("A value is already recorded for %(period)s.",
                            period=checked.period.code), field="period")
    row = MeasureValue(measure_id=measure.id, period=checked.period.code,
                       period_start=checked.period.start, period_end=checked.period.end,
                       value=checked.value, received=checked.received,
                       on_time=checked.on_time, late=checked.late, target=measure.target,
                       missed=measure.misses(checked.value), note=(note or "").strip(),
                       source="form", recorded_by_id=getattr(actor, "id", None),
                       recorded_at=utcnow())
    if stream is not None and filename:
        upload = accept_upload(stream, filename)
        row.blob_sha256, row.file_size = upload.sha256, upload.size
        row.file_kind, row.filename = upload.kind.name, upload.filename
    row.measure = measure
    db.session.add(row)
    db.session.flush()
    record(actor, "measure_value.record", "measure", measure.id, after=row.snapshot())
    if row.missed:
        signals.measure_target_missed.send(measure, values=[row], actor=actor)
    return row


def corrective_action_of(value: MeasureValue) -> CorrectiveAction | None:
    """The corrective action raised for this value, if any."""
    return db.session.scalar(select(CorrectiveAction).where(
        CorrectiveAction.measure_value_id == value.id))


def problem_statement(value: MeasureValue, locale: str) -> str:
    """The nonconformity a missed value states, as the raise form offers it."""
    measure = value.measure
    return _("%(code)s %(name)s: %(value)s %(unit)s in %(period)s, target %(target)s.",
             code=measure.code, name=measure.name(locale), value=_shown(value.value),
             unit=measure.unit, period=value.period, target=_shown(value.target)).strip()


def _shown(number: float | None) -> str:
    if number is None:
        return "—"
    return f"{number:g}"


def raise_corrective_action(actor, value: MeasureValue, *, today: date, grade: str,
                            problem: str, verifier_id: int | None = None,
                            target_on: date | None = None) -> CorrectiveAction:
    """A corrective action (source "process") for a value that missed its target, linked to
    it; at most one per value."""
    measure = value.measure
    rules.ensure_read(actor, measure)
    if not value.missed:
        raise DomainError(_("This value meets its target: there is nothing to correct."),
                          status=409)
    ca = capa.raise_by_hand(actor, today=today, source="process",
                            department_id=measure.department_id, grade=grade, problem=problem,
                            verifier_id=verifier_id, target_on=target_on,
                            measure_value_id=value.id)
    record(actor, "measure_value.corrective_action", "measure", measure.id,
           after={"period": value.period, "value_id": value.id, "reference": ca.reference})
    return ca
