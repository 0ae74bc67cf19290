"""Translated labels of the steering committee and the yearly plan."""

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {"head": _l("Head of the committee"), "deputy": _l("Deputy head"),
               "member": _l("Member"), "secretary": _l("Secretary")}

FIELD_LABELS = {
    "name": _l("Name"), "position": _l("Position"), "committee_role": _l("Role in the committee"),
    "decision": _l("Appointing decision"),
    "appointed_on": _l("Appointed on"), "left_on": _l("Left on"), "year": _l("Year"),
    "title": _l("Task"), "owner_id": _l("Owner"), "due_on": _l("Due on"),
    "done_on": _l("Done on"), "note": _l("Note"),
}
FIELD_VALUES = {"committee_role": ROLE_LABELS}
