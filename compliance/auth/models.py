"""User, global roles, department memberships and server-side sessions."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint, and_, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.auth.labels import GLOBAL_ROLES, MEMBERSHIP_ROLES, ROLES  # noqa: F401 - re-exported
from compliance.core.db import TimestampMixin
from compliance.core.extensions import db
from compliance.core.tenancy import OrganisationScoped


class User(OrganisationScoped, UserMixin, TimestampMixin, db.Model):
    """A person who signs in."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    password_changed_at: Mapped[datetime | None]
    # immediate: one email per notification; digest: one email a day; none: in-app only.
    email_mode: Mapped[str] = mapped_column(String(12), default="immediate",
                                            server_default="immediate")
    # Above every organisation: creates organisations and their first administrators
    # (compliance/installation); holds no role inside any organisation by this alone.
    is_installation_admin: Mapped[bool] = mapped_column(Boolean, default=False,
                                                        server_default=false())
    # A service account: an integration acting through API tokens an administrator made for
    # it; it has no usable password and never signs in to the pages (issue 15).
    is_service: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A second factor (issue 19): the TOTP secret, sealed with a key derived from SECRET_KEY
    # (it must be read back to check a code), and when the person finished enrolling.
    totp_box: Mapped[str | None] = mapped_column(Text)
    totp_enabled_at: Mapped[datetime | None]
    # The last 30-second step whose code was accepted: a code is good once (RFC 6238, 5.2).
    totp_last_step: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)

    # Read when asked (the signed-in user's loader and the lists of accounts ask for them
    # up front): most rows of a page are other people named as owners or authors, whose
    # roles no page reads; loading them with every User cost two queries each time.
    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="select")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="select")

    __mapper_args__ = {"version_id_col": version}

    @classmethod
    def is_person(cls):
        """The condition for an active account of a person: what the pages offer to choose
        (owners, auditors, approvers, readers), never a service account."""
        return and_(cls.active.is_(True), cls.is_service.is_(False))

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        """Whether the account may act (sign in, or use its tokens)."""
        return bool(self.active)

    @property
    def global_roles(self) -> set[str]:
        """Organisation-wide roles."""
        return {r.role for r in self.roles}

    def has_role(self, role: str) -> bool:
        """Whether the user holds a role globally or through any membership."""
        if role in GLOBAL_ROLES:
            return role in self.global_roles
        return any(m.role == role for m in self.memberships)

    def department_ids(self, role: str | None = None) -> set[int]:
        """Departments the user belongs to, optionally only under one role."""
        return {m.department_id for m in self.memberships if role is None or m.role == role}

    def snapshot(self) -> dict:
        """What the audit trail records about a user (never the password hash)."""
        return {
            "email": self.email, "name": self.name, "locale": self.locale,
            "active": self.active, "roles": sorted(self.global_roles),
            **({"service": True} if self.is_service else {}),
            "memberships": sorted(f"{m.department_id}:{m.role}" for m in self.memberships),
        }


class UserRole(db.Model):
    """An organisation-wide role held by a user."""

    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)
    user: Mapped[User] = relationship(back_populates="roles")


class Membership(db.Model):
    """A user's place in a department: head or staff."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "department_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))

    user: Mapped[User] = relationship(back_populates="memberships")
    department = relationship("Department", back_populates="memberships", lazy="joined")


class UserSession(db.Model):
    """A signed-in browser; the cookie carries a token whose hash is kept here."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))


class ApiToken(OrganisationScoped, db.Model):
    """A personal access token for /api/v1; only the SHA-256 of its secret is kept."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the secret, so a person can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(20))  # "read" or "read write"
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    @property
    def scopes(self) -> set[str]:
        """The scopes granted, as a set."""
        return set(self.scope.split())


class RecoveryCode(db.Model):
    """A one-time code that stands in for the TOTP code; only its hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
