"""The webhook outbox: waiting deliveries are posted, signed, with retries and back-off.

Like the e-mail outbox (notifications.outbox, whose back-off it uses), `deliver` commits the
claim on the due deliveries, then each attempt's outcome, so no transaction (nor the SQLite
write lock) stays open while a receiver is being talked to. Each attempt checks the URL
again (guard.check) and connects to the very address checked; redirects are not followed
(http.client never does), and the timeout is short (WEBHOOK_TIMEOUT).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from compliance.core import uow
from compliance.core.extensions import db
from compliance.core.job_results import JobResult
from compliance.notifications.outbox import backoff
from compliance.webhooks import guard, sealing, signing
from compliance.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery

CLAIM = timedelta(minutes=10)
USER_AGENT = "compliance-webhooks/1"


@dataclass(frozen=True)
class Parcel:
    """What leaves: copied out of the rows so no transaction stays open while posting."""

    id: int
    url: str
    secret_box: str
    event: str
    event_id: str
    body: bytes


class _Pinned(http.client.HTTPConnection):
    """A connection to the address the guard checked, whatever the name resolves to now."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address or self.host, self.port),
                                             self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    """The same over TLS, the certificate checked against the URL's host name."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address or self.host, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def due(now: datetime, limit: int = 100) -> list[WebhookDelivery]:
    """Waiting deliveries of active hooks whose next attempt has come."""
    return list(db.session.scalars(
        select(WebhookDelivery).join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(WebhookDelivery.status == "waiting", WebhookDelivery.next_attempt_at <= now,
               Webhook.active.is_(True))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)))


def post(parcel: Parcel, now: datetime) -> tuple[int | None, str | None]:
    """Post one delivery, signed at `now`; (status code, None) or (None, the error)."""
    try:
        scheme, host, port, address = guard.check(parcel.url)
        secret = sealing.open_sealed(parcel.secret_box)
    except (guard.UrlRefused, sealing.SealBroken, ValueError) as error:
        return None, f"refused: {getattr(error, 'message', error)}"[:500]
    stamp = int(now.timestamp())
    parts = urlsplit(parcel.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = _PinnedTLS if scheme == "https" else _Pinned
    connection = kind(host, port, address, float(current_app.config["WEBHOOK_TIMEOUT"]))
    try:
        connection.request("POST", path, body=parcel.body, headers={
            "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
            "Compliance-Event": parcel.event, "Compliance-Delivery": parcel.event_id,
            signing.HEADER: signing.header_value(secret, stamp, parcel.body)})
        response = connection.getresponse()
        response.read(4096)  # a little of the answer, never all of a huge one
        return response.status, None
    except (OSError, ValueError, http.client.HTTPException) as error:
        return None, f"{type(error).__name__}: {error}"[:500]
    finally:
        connection.close()


def _record(parcel: Parcel, now: datetime, status: int | None, error: str | None,
            took: float) -> bool:
    delivery = db.session.get(WebhookDelivery, parcel.id)
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_error = status, error
    db.session.add(WebhookAttempt(delivery_id=delivery.id, attempted_at=now,
                                  status_code=status, error=error,
                                  duration_ms=int(took * 1000)))
    ok = status is not None and 200 <= status < 300
    if ok:
        delivery.status, delivery.sent_at = "sent", now
    elif delivery.attempts >= int(current_app.config["WEBHOOK_MAX_ATTEMPTS"]):
        delivery.status = "failed"
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    return ok


def deliver(now: datetime) -> JobResult:
    """Post the waiting deliveries whose time has come; failures wait and back off."""
    rows = due(now)
    parcels = [Parcel(d.id, d.webhook.url, d.webhook.secret_box, d.event, d.event_id,
                      d.body.encode()) for d in rows]
    for row in rows:
        row.next_attempt_at = now + CLAIM
    uow.commit()  # the claim is durable before anything leaves
    if not parcels:
        return JobResult("webhooks.nothing_due")
    sent = 0
    for parcel in parcels:
        started = time.monotonic()
        status, error = post(parcel, now)
        sent += _record(parcel, now, status, error, time.monotonic() - started)
        uow.commit()  # per delivery: what a receiver accepted is never posted twice
    return JobResult("webhooks.delivered", {"sent": sent, "failed": len(parcels) - sent})
