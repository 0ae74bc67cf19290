"""Imports every model so the metadata is complete (Alembic, create_all)."""

from compliance.audit_trail.models import AuditEvent
from compliance.auth.models import Membership, User, UserRole, UserSession
from compliance.counters import Counter
from compliance.org.models import Clause, Department, Process

__all__ = ["AuditEvent", "Clause", "Counter", "Department", "Membership", "Process", "User",
           "UserRole", "UserSession"]
