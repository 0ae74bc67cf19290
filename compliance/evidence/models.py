"""Evidence pack, share link and its uses, verification record, cached stamped copies."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.core.extensions import db
from compliance.core.tenancy import OrganisationScoped

SCOPE_KINDS = ("department", "audit", "clause", "organisation", "subtree", "inspection")
PACK_STATES = ("queued", "building", "ready", "failed")
# A building worker writes a heartbeat this often; a pack that no worker took up, or whose
# worker has been silent, this long is shown as failed (its worker died with no word).
HEARTBEAT_SECONDS = 10
SILENT_AFTER_SECONDS = 60


class EvidencePack(OrganisationScoped, db.Model):
    """One requested pack: its scope and period, the build's progress, and the stored result."""

    __tablename__ = "evidence_pack"
    __table_args__ = (Index("ix_evidence_pack_department_created", "department_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope_kind: Mapped[str] = mapped_column(String(16))
    # The department, audit or clause; for a pack across organisations ("subtree"), the top
    # organisation, read with those below it.
    scope_id: Mapped[int | None]
    # The department the scope belongs to (department or audit scope), for heads' access.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    scope_label: Mapped[str] = mapped_column(String(300))
    period_start: Mapped[date]
    period_end: Mapped[date]
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    # Whether the pack carries the objectives, measures and risk register of its scope.
    include_quality: Mapped[bool] = mapped_column(Boolean, default=False,
                                                  server_default=false())
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    progress: Mapped[int] = mapped_column(default=0)
    step: Mapped[str] = mapped_column(String(64), default="")
    error: Mapped[str | None] = mapped_column(Text)
    # Handed to the worker only; a worker must present it to claim the pack.
    job_key: Mapped[str] = mapped_column(String(64))
    worker_pid: Mapped[int | None]
    heartbeat_at: Mapped[datetime | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    blob_sha256: Mapped[str | None] = mapped_column(String(64))
    manifest_sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None]
    pages: Mapped[int | None]

    created_by = relationship("User", lazy="joined")
    links: Mapped[list[ShareLink]] = relationship(back_populates="pack",
                                                  order_by="ShareLink.id.desc()")

    @property
    def reference(self) -> str:
        """The pack's ID as printed on its cover, e.g. EP-00042."""
        return f"EP-{self.id:05d}"

    def snapshot(self) -> dict:
        """What the audit trail records about a pack."""
        return {"reference": self.reference, "scope": self.scope_kind, "scope_id": self.scope_id,
                "period_start": self.period_start, "period_end": self.period_end,
                "status": self.status, "sha256": self.blob_sha256, "pages": self.pages,
                "include_quality": self.include_quality}


class ShareLink(db.Model):
    """A link for an external auditor: only the token's hash is kept; expires; revocable."""

    __tablename__ = "evidence_share_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("evidence_pack.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    expires_on: Mapped[date]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    pack: Mapped[EvidencePack] = relationship(back_populates="links")
    created_by = relationship("User", lazy="joined", foreign_keys=[created_by_id])
    uses: Mapped[list[ShareUse]] = relationship(back_populates="link",
                                                order_by="ShareUse.id.desc()")


class ShareUse(db.Model):
    """One use of a share link: when, from which address, with which browser."""

    __tablename__ = "evidence_share_use"

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("evidence_share_link.id"), index=True)
    used_at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(16))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))

    link: Mapped[ShareLink] = relationship(back_populates="uses")


class Verification(OrganisationScoped, db.Model):
    """A check of an uploaded pack against its manifest and the records: kept as evidence."""

    __tablename__ = "evidence_verification"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_pack.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    ok: Mapped[bool]
    problems_json: Mapped[str] = mapped_column(Text)
    checked_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    checked_at: Mapped[datetime]

    checked_by = relationship("User", lazy="joined")


class StampedCopy(db.Model):
    """A stamped evidence copy already made: the same original and stamp give the same copy."""

    __tablename__ = "evidence_stamped_copy"
    __table_args__ = (UniqueConstraint("source_sha256", "stamp_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_sha256: Mapped[str] = mapped_column(String(64))
    stamp_sha256: Mapped[str] = mapped_column(String(64))
    blob_sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int]
