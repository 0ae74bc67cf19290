"""A real SMTP server (aiosmtpd) that keeps what it receives, and apps that send to it."""

from __future__ import annotations

import email
import socket
import threading
from datetime import UTC, date, datetime, time
from email import policy
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from compliance.core.extensions import db, limiter
from tests.conftest import _empty_pg_tables, make_app

BASE_URL = "https://iso.thanhbinh.example"
ORG_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def free_port() -> int:
    """A TCP port on the loopback address that nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def at(day: date, hour: int = 6) -> datetime:
    """The UTC instant of `hour` o'clock on `day` in the organisation's time zone."""
    # 06:00 in Hanoi is 23:00 UTC the day before: clock.today() must still say `day`.
    return datetime.combine(day, time(hour), ORG_ZONE).astimezone(UTC)


class Collector:
    """aiosmtpd handler: every message received, parsed, with its envelope recipients."""

    def __init__(self):
        self.messages: list[SimpleNamespace] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        """Keep the message; 250 means accepted."""
        parsed = email.message_from_bytes(envelope.original_content or envelope.content,
                                          policy=policy.default)
        with self.lock:
            self.messages.append(SimpleNamespace(message=parsed, to=list(envelope.rcpt_tos),
                                                 sender=envelope.mail_from))
        return "250 Message accepted for delivery"


class SmtpServer:
    """An aiosmtpd Controller on 127.0.0.1 that can be started, stopped and started again."""

    def __init__(self, port: int | None = None):
        self.host, self.port = "127.0.0.1", port or free_port()
        self.handler = Collector()
        self.controller: Controller | None = None

    @property
    def messages(self) -> list[SimpleNamespace]:
        """What arrived so far."""
        return self.handler.messages

    def start(self) -> SmtpServer:
        """Listen (again) on the same port."""
        self.controller = Controller(self.handler, hostname=self.host, port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        """Stop listening; what arrived is kept."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[SimpleNamespace]:
        """The messages delivered to one address."""
        return [m for m in self.messages if address in m.to]


@pytest.fixture
def smtp_server():
    """A running SMTP server on a free port; `.messages` are parsed EmailMessages."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_down():
    """A port with no server on it yet (call .start() to bring the server up)."""
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def mail_app_for(database_kind, pg_schema_ready, tmp_path):
    """mail_app_for(server, **config): an app that sends email to that server."""
    made = []

    def build(server, **overrides):
        config = {"SMTP_HOST": server.host, "SMTP_PORT": server.port, "SMTP_TIMEOUT": 5,
                  "BASE_URL": BASE_URL, "MAIL_FROM": "iso@thanhbinh.example"}
        config.update(overrides)
        app = make_app(database_kind, tmp_path, shared=True, **config)
        limiter.reset()
        made.append(app)
        return app

    yield build
    for app in made:
        if database_kind == "postgresql":
            _empty_pg_tables(app)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def mail_app(mail_app_for, smtp_server):
    """The app with email going to the running test SMTP server."""
    return mail_app_for(smtp_server)


@pytest.fixture
def mail_make(mail_app):
    """Factory access on mail_app."""
    from tests.conftest import Maker

    return Maker(mail_app)
