"""A webhook (an organisation's receiver URL and the events it wants), its deliveries and
each delivery's attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.core.db import TimestampMixin, utcnow
from compliance.core.extensions import db
from compliance.core.tenancy import OrganisationScoped

DELIVERY_STATES = ("waiting", "sent", "failed")


class Webhook(OrganisationScoped, TimestampMixin, db.Model):
    """Where an organisation's events are posted, and which of them."""

    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500))
    # Event names (labels.EVENTS), space-separated.
    events: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The signing secret, sealed with a key derived from SECRET_KEY (secrets.seal): it must
    # be read back to sign, so it cannot be hashed like a token.
    secret_box: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def event_list(self) -> list[str]:
        """The events this hook wants, in the order stored."""
        return self.events.split()

    def snapshot(self) -> dict:
        """What the audit trail records about a hook (never its secret)."""
        return {"name": self.name, "url": self.url, "events": self.event_list,
                "active": self.active}


class WebhookDelivery(OrganisationScoped, db.Model):
    """One event for one hook: its body, fixed when raised, and where its sending stands."""

    __tablename__ = "webhook_delivery"
    # The key names the event (its record and what happened), so an event raised twice
    # (a job run again) is delivered once per hook.
    __table_args__ = (UniqueConstraint("webhook_id", "dedupe_key"),
                      Index("ix_webhook_delivery_status_next", "status", "next_attempt_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhook.id", ondelete="CASCADE"),
                                            index=True)
    event: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(40))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="waiting")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    webhook = relationship("Webhook")
    attempt_log = relationship("WebhookAttempt", order_by="WebhookAttempt.id",
                               cascade="all, delete-orphan", passive_deletes=True)


class WebhookAttempt(db.Model):
    """One try at sending a delivery: when, the answer's status code or the error, how long."""

    __tablename__ = "webhook_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(500))
    duration_ms: Mapped[int] = mapped_column(default=0)
