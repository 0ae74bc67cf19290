"""Who may do what to audits: the one rule book of the audits domain."""

from __future__ import annotations

from compliance.auth.permissions import can


def may_read(user, audit) -> bool:
    """Auditors and coordinators read every audit; a head reads their department's."""
    return can(user, "audits.read", audit.department_id) or user.id in audit.auditor_ids()
