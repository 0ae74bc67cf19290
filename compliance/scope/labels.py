"""Translated labels of the scope register."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {"procedure": _l("Administrative procedure"), "process": _l("Internal process")}

FIELD_LABELS = {
    "kind": _l("Kind"), "name": _l("Name"),
    "national_code": _l("Code in the national database of procedures"), "field": _l("Field"),
    "legal_basis": _l("Legal basis"), "time_limit_days": _l("Time limit (days)"),
    "department_id": _l("Handling department"), "process_id": _l("Process implementing it"),
    "measure_id": _l("Measure fed by its on-time handling"),
    "in_scope": _l("In scope"), "document_ids": _l("Controlled documents implementing it"),
    "legal_bases": _l("Legal bases"), "articles": _l("Articles"),
    "recipients": _l("Recipients"), "signer_title": _l("Title of the signer"),
    "number": _l("Number"), "symbol": _l("Symbol"), "state": _l("Status"),
    # The annual report (reports.annual) and its template.
    "sections": _l("Sections"), "paragraphs": _l("Paragraphs"), "year": _l("Year"),
    "superior": _l("Its superior body"),
}
FIELD_VALUES = {"kind": KIND_LABELS,
                "in_scope": {True: _l("In scope"), False: _l("Out of scope")}}
