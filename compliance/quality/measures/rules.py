"""The rule book of process measures: who may define, record, read and act on them.

Coordinators (and administrators) manage every measure; a department head manages the
measures of their department's processes and their values; the person named as a measure's
recorder records its values; auditors read every measure; staff read their department's.
`may_<verb>` answers who; the services answer when (a 409 with the reason)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import false, or_, select

from compliance.auth.permissions import DEPARTMENT_PERMISSIONS, can, can_everywhere
from compliance.capa import rules as capa_rules
from compliance.core import tenancy
from compliance.core.errors import PermissionDenied
from compliance.org.models import Process
from compliance.quality.measures.models import Measure, MeasureImport, MeasureValue

# What `allowed_actions(user, measure)` and `allowed_on_value(user, value)` may contain.
MEASURE_ACTIONS = frozenset({"read", "edit", "record"})
VALUE_ACTIONS = frozenset({"read", "download", "raise_ca"})


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and user.is_active)


def _departments(user, permission: str) -> set[int]:
    """The departments where a membership gives the user this permission."""
    if not _active(user):
        return set()
    scoped = DEPARTMENT_PERMISSIONS[permission]
    return {m.department_id for m in user.memberships if m.role in scoped}


def is_recorder(user, measure: Measure) -> bool:
    """Whether the user is the measure's named recorder (and still active)."""
    return _active(user) and measure.recorder_id is not None and measure.recorder_id == user.id


# Reading ------------------------------------------------------------------------------------

def may_read_all(user) -> bool:
    """Readers of every department's measures (coordinators, auditors, administrators)."""
    return can(user, "measures.read")


def may_read(user, measure: Measure) -> bool:
    """Readers of the department (its heads and staff) and the measure's recorder."""
    return can(user, "measures.read", measure.department_id) or is_recorder(user, measure)


def may_see_history(user, measure: Measure) -> bool:
    """The measure's history (definition, changes, every value recorded): those who read
    every department's measures and the managers of its department (its heads); not staff,
    even the named recorder, who see the values themselves."""
    return may_read_all(user) or may_manage(user, measure)


def visible_measures(user, stmt):
    """The statement limited to the measures the user may read (as `may_read`)."""
    # The organisation first, in one place (issue 14): nothing of another's is seen.
    stmt = tenancy.in_organisation(user, stmt, Measure)
    if can_everywhere(user, "measures.read"):
        return stmt
    if not _active(user):
        return stmt.where(false())
    own = _departments(user, "measures.read")
    in_own = Measure.process_id.in_(select(Process.id).where(
        Process.department_id.in_(own or {-1})))
    return stmt.where(or_(in_own, Measure.recorder_id == user.id))


# Managing -----------------------------------------------------------------------------------

def may_manage_in(user, department_id: int | None) -> bool:
    """Coordinators everywhere; department heads in their own department."""
    return can(user, "measures.manage", department_id)


def managed_department_ids(user) -> set[int] | None:
    """The departments where the user may define measures (None: all of them)."""
    if can_everywhere(user, "measures.manage"):
        return None
    return _departments(user, "measures.manage")


def may_create_any(user) -> bool:
    """Whether the user may define a measure for some department's process."""
    return managed_department_ids(user) != set()


def may_manage(user, measure: Measure) -> bool:
    """Who changes a measure and corrects its values: a manager of its department."""
    return may_manage_in(user, measure.department_id)


def may_record(user, measure: Measure) -> bool:
    """Who records a value: a manager of the department, or the named recorder."""
    return may_manage(user, measure) or is_recorder(user, measure)


def may_import(user, records_some: bool) -> bool:
    """Who imports values from a CSV: managers of measures, and recorders of one at least."""
    return _active(user) and (may_create_any(user) or records_some)


def may_read_all_imports(user) -> bool:
    """Coordinators see everyone's imports."""
    return can_everywhere(user, "measures.manage")


def may_read_import(user, upload: MeasureImport) -> bool:
    """An import is seen by whoever uploaded it and by coordinators."""
    return _active(user) and (upload.uploaded_by_id == user.id or may_read_all_imports(user))


def may_confirm_import(user, upload: MeasureImport) -> bool:
    """Only the uploader confirms an import (the preview was judged with their rights)."""
    return _active(user) and upload.uploaded_by_id == user.id


def may_raise_corrective_action(user, measure: Measure) -> bool:
    """Who raises a corrective action from a missed target: whoever raises corrective actions
    for the measure's department (capa's own rule)."""
    return capa_rules.may_raise(user, measure.department_id)


# Refusals ----------------------------------------------------------------------------------

def ensure(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied (403) unless allowed."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this."))


def ensure_read(user, measure: Measure) -> None:
    """Refuse unless the user may read the measure."""
    ensure(may_read(user, measure), _("You may not open this measure."))


def ensure_manage_in(user, department_id: int | None) -> None:
    """Refuse unless the user manages measures of the department."""
    ensure(may_manage_in(user, department_id),
           _("Only a coordinator or the head of the process's department can do this."))


def ensure_record(user, measure: Measure) -> None:
    """Refuse unless the user may record values of the measure."""
    ensure(may_record(user, measure), _("Only the measure's recorder, the head of its "
                                        "department or a coordinator records its values."))


def ensure_read_import(user, upload: MeasureImport) -> None:
    """Refuse unless the user may see this import."""
    ensure(may_read_import(user, upload), _("You may not open this import."))


# Buttons -----------------------------------------------------------------------------------

def allowed_actions(user, measure: Measure) -> frozenset[str]:
    """What the user may do to the measure now ("read", "edit", "record")."""
    if not may_read(user, measure):
        return frozenset()
    allowed = {"read"}
    if may_manage(user, measure):
        allowed.add("edit")
    if measure.active and may_record(user, measure):
        allowed.add("record")
    return frozenset(allowed)


def allowed_on_value(user, value: MeasureValue, *, has_corrective_action: bool
                     ) -> frozenset[str]:
    """What the user may do to a recorded value ("read", "download", "raise_ca")."""
    measure = value.measure
    if not may_read(user, measure):
        return frozenset()
    allowed = {"read"}
    if value.blob_sha256:
        allowed.add("download")
    if value.missed and not has_corrective_action \
            and may_raise_corrective_action(user, measure):
        allowed.add("raise_ca")
    return frozenset(allowed)
