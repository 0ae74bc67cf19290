"""Notifications for people and the email outbox (the job table's rows are in core.jobs)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from compliance.core.db import utcnow
from compliance.core.extensions import db

# What happens to a notification's email: sent on its own, collected in the daily digest,
# or none (the person reads in the app only, or email is not configured).
EMAIL_STATES = ("queued", "digest", "digested", "none")
OUTBOX_STATES = ("waiting", "sent", "failed")


class Notification(db.Model):
    """One thing one person should know, raised once per event and lead time."""

    __tablename__ = "notification"
    # The dedupe key names the event (object, event, due date, lead time); being unique per
    # person, a job that runs twice, or two jobs racing, still raise it once.
    __table_args__ = (UniqueConstraint("user_id", "dedupe_key"),
                      Index("ix_notification_user_read", "user_id", "read_at", "id"),
                      Index("ix_notification_email_state", "email_state", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    # Rendered in the reader's language when shown, so the values travel as JSON.
    params: Mapped[str] = mapped_column(Text, default="{}")
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    email_state: Mapped[str] = mapped_column(String(12), default="none")

    user = relationship("User")


class OutboundEmail(db.Model):
    """An email waiting to leave, sent, or given up on; SMTP failures lose nothing."""

    __tablename__ = "outbound_email"
    __table_args__ = (Index("ix_outbound_email_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                index=True)
    to_address: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="waiting")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
