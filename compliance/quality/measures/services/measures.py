"""Defining a measure and changing it."""

from __future__ import annotations

import math
import re

from flask_babel import gettext as _
from sqlalchemy import exists, select

from compliance.audit_trail.services import record
from compliance.auth.models import User
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.org.models import Process
from compliance.quality.measures import periods, rules
from compliance.quality.measures.labels import PERIOD_EXAMPLES
from compliance.quality.measures.models import DIRECTIONS, Measure, MeasureValue
from compliance.quality.measures.services.common import check_version

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,31}$")
FIELDS = ("code", "process_id", "name_vi", "name_en", "unit", "direction", "target",
          "frequency", "first_period", "recorder_id", "ratio", "customer_feedback", "active")


def _process(process_id: int | None) -> Process:
    process = db.session.get(Process, process_id or 0)
    if process is None:
        raise DomainError(_("Choose the process this measure belongs to."), field="process_id")
    return process


def _clean(own_id: int | None, fields: dict) -> dict:
    """The fields as they will be stored; a refusal names the field at fault."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"not measure fields: {sorted(unknown)}")
    code = (fields.get("code") or "").strip().upper()
    if not CODE_PATTERN.match(code):
        raise DomainError(_("A code is 1 to 32 capital letters, digits, '.', '-' or '_'."),
                          field="code")
    taken = db.session.scalar(select(Measure.id).where(Measure.code == code))
    if taken is not None and taken != own_id:
        raise DomainError(_("The code %(code)s is already used.", code=code), field="code")
    name_vi = (fields.get("name_vi") or "").strip()
    if not name_vi:
        raise DomainError(_("Give the measure's name in Vietnamese."), field="name_vi")
    if fields.get("direction") not in DIRECTIONS:
        raise DomainError(_("Choose whether a higher or a lower value is better."),
                          field="direction")
    frequency = fields.get("frequency")
    if frequency not in periods.FREQUENCIES:
        raise DomainError(_("Choose how often the measure is recorded."), field="frequency")
    target = fields.get("target")
    if not isinstance(target, int | float) or not math.isfinite(target):
        raise DomainError(_("Give the target as a number."), field="target")
    ratio = bool(fields.get("ratio"))
    if ratio and not 0 <= target <= 100:
        raise DomainError(_("A ratio is a percentage: give a target from 0 to 100."),
                          field="target")
    first = _first_period(fields.get("first_period"), frequency)
    recorder_id = fields.get("recorder_id") or None
    if recorder_id is not None:
        recorder = db.session.get(User, recorder_id)
        if recorder is None or not recorder.active:
            raise DomainError(_("Choose an active person to record the values."),
                              field="recorder_id")
    return {"code": code, "process_id": fields.get("process_id"), "name_vi": name_vi,
            "name_en": (fields.get("name_en") or "").strip(),
            "unit": (fields.get("unit") or "").strip(), "direction": fields["direction"],
            "target": float(target), "frequency": frequency, "first_period": first,
            "recorder_id": recorder_id, "ratio": ratio,
            "customer_feedback": bool(fields.get("customer_feedback")),
            "active": bool(fields.get("active", True))}


def _first_period(text: str | None, frequency: str) -> str:
    try:
        period = periods.parse(text or "")
    except ValueError:
        period = None
    if period is None or period.frequency != frequency:
        raise DomainError(_("Write the first period as %(example)s.",
                            example=PERIOD_EXAMPLES[frequency]), field="first_period")
    return period.code


def create_measure(actor, **fields) -> Measure:
    """Define a measure of a process (coordinators, or the head of the process's department)."""
    process = _process(fields.get("process_id"))
    rules.ensure_manage_in(actor, process.department_id)
    clean = _clean(None, fields)
    measure = Measure(**clean)
    measure.process = process
    db.session.add(measure)
    db.session.flush()
    record(actor, "measure.create", "measure", measure.id, after=measure.snapshot())
    return measure


def update_measure(actor, measure: Measure, expected_version: int | None, **fields) -> Measure:
    """Change a measure; refuses if someone else changed it first. A new target applies to
    values recorded from now on: those recorded keep the target they were judged against."""
    rules.ensure_manage_in(actor, measure.department_id)
    check_version(measure, expected_version)
    process = _process(fields.get("process_id"))
    if process.department_id != measure.department_id:
        rules.ensure_manage_in(actor, process.department_id)
    clean = _clean(measure.id, fields)
    has_values = db.session.scalar(select(exists().where(MeasureValue.measure_id == measure.id)))
    if has_values and (clean["frequency"] != measure.frequency
                       or clean["ratio"] != measure.ratio):
        raise DomainError(_("Values are recorded already: the frequency and the way the "
                            "value is computed cannot change."), field="frequency")
    before = measure.snapshot()
    for name, value in clean.items():
        setattr(measure, name, value)
    measure.process = process
    db.session.flush()
    record(actor, "measure.update", "measure", measure.id, before=before,
           after=measure.snapshot())
    return measure
