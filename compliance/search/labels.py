"""The kinds of result, in the order the results page lists them, with their labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

KINDS = {
    "document": _l("Documents"),
    "audit": lazy_pgettext("menu", "Audits"),
    "finding": _l("Audit findings"),
    "corrective_action": lazy_pgettext("menu", "Corrective actions"),
    "process": _l("Processes"),
    "person": _l("People"),
}
