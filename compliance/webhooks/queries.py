"""Reads of webhooks for the pages and the API: data, never URLs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from compliance.core.extensions import db
from compliance.webhooks.models import WebhookDelivery


def deliveries_of(webhook_id: int):
    """The statement of a hook's deliveries (newest first by id, their attempts loaded)."""
    return (select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id)
            .options(selectinload(WebhookDelivery.attempt_log)))


def deliveries(webhook_id: int, limit: int = 50) -> list[WebhookDelivery]:
    """A hook's latest deliveries, newest first, with their attempts."""
    return list(db.session.scalars(deliveries_of(webhook_id)
                                   .order_by(WebhookDelivery.id.desc()).limit(limit)))
