"""Translated labels of the external documents' register."""

from flask_babel import lazy_gettext as _l

# What kind of legal document it is: Luật, Nghị định, Thông tư, Quyết định, the standard.
KINDS = ("law", "decree", "circular", "decision", "standard", "other")
KIND_LABELS = {"law": _l("Law"), "decree": _l("Decree"), "circular": _l("Circular"),
               "decision": _l("Decision"), "standard": _l("Standard"),
               "other": _l("Other legal document")}
# Còn hiệu lực, được sửa đổi, bổ sung, bị thay thế.
STATUSES = ("in_force", "amended", "replaced")
STATUS_LABELS = {"in_force": _l("In force"), "amended": _l("Amended"),
                 "replaced": _l("Replaced")}

FIELD_LABELS = {
    "legal_kind": _l("Kind of legal document"), "legal_number": _l("Number and symbol"),
    "legal_issued_on": _l("Date issued"), "legal_status": _l("Legal status"),
    "replaced_by_id": _l("Replaced by"), "external_checked_on": _l("Last checked on"),
}
FIELD_VALUES = {"legal_kind": KIND_LABELS, "legal_status": STATUS_LABELS}

