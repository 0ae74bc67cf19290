"""Labels of the organisation's structure: department status and the clause edition."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# The edition of the clause catalogue shipped with the app.
EDITION = "ISO 9001:2015"

# A department is active (offered in forms) or inactive (kept for its records).
ACTIVE_LABELS = {True: _l("Active"), False: _l("Inactive")}
# What a select offers when no parent department / no process owner is chosen.
NONE_CHOSEN = "—"
# What a process is: an ordinary process, or the handling of an administrative procedure.
PROCESS_KIND_LABELS = {"ordinary": _l("Process"),
                       "administrative": _l("Administrative procedure")}

# The fields of a department and of a process as their history names them.
DEPARTMENT_FIELD_LABELS = {
    "code": _l("Code"), "name_vi": _l("Name (Vietnamese)"), "name_en": _l("Name (English)"),
    "parent_id": _l("Parent department"), "active": _l("Active"),
    "certificate_number": _l("ISO 9001 certificate number"),
    "certification_body": _l("Certification body"),
    "certificate_expires_on": _l("Certificate expires on"),
}
PROCESS_FIELD_LABELS = {
    "code": _l("Code"), "name_vi": _l("Name (Vietnamese)"), "name_en": _l("Name (English)"),
    "department_id": _l("Department"), "owner_id": _l("Process owner"), "inputs": _l("Inputs"),
    "outputs": _l("Outputs"), "purpose": _l("Purpose"), "kind": _l("Kind of process"),
    "time_limit_days": _l("Legal time limit (days)"), "before": _l("Processes before it"),
    "after": _l("Processes after it"), "documents": _l("Documents that describe it"),
}
DEPARTMENT_FIELD_VALUES = {"active": ACTIVE_LABELS}
PROCESS_FIELD_VALUES = {"kind": PROCESS_KIND_LABELS}
