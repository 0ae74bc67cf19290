"""An account's link to an identity provider, and the rules mapping directory groups to roles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.core.db import TimestampMixin
from compliance.core.extensions import db
from compliance.core.tenancy import OrganisationScoped

OIDC = "oidc"
LDAP = "ldap"
PROVIDERS = (OIDC, LDAP)


class IdentityLink(db.Model):
    """A person known to a provider by a stable subject id (the token's `sub`, the
    directory entry's objectGUID or entryUUID), so a changed e-mail address stays the same
    account."""

    __tablename__ = "identity_link"
    __table_args__ = (UniqueConstraint("provider", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]
    last_sign_in_at: Mapped[datetime | None]

    user = relationship("User", lazy="joined")


class MappingRule(OrganisationScoped, TimestampMixin, db.Model):
    """Who is in this directory group (or has this value in the token's groups claim) holds
    this role: an organisation-wide role, or head or staff of the named department."""

    __tablename__ = "sso_mapping_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Compared without case: directories differ in how they spell a DN.
    group: Mapped[str] = mapped_column(String(500))
    role: Mapped[str] = mapped_column(String(32))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("department.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(default=1)

    department = relationship("Department", lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        """What the audit trail records about a rule."""
        return {"group": self.group, "role": self.role,
                "department": self.department.code if self.department else None}

    def matches(self, groups: set[str]) -> bool:
        """Whether a person in these groups (already folded to lower case) falls under it."""
        return self.group.strip().casefold() in groups
