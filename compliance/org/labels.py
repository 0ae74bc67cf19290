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
