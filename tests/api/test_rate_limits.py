"""Issue 15: rate limits per API token (API_RATE_LIMIT), counted in memory by default and in
Redis when RATELIMIT_STORAGE_URI names one: past the limit, 429 with Retry-After and the
JSON code rate_limited; another token is not held back."""

from __future__ import annotations

import os
import socket

import pytest

from compliance.auth import tokens
from compliance.auth.models import User
from compliance.core.extensions import db, limiter
from tests.conftest import Maker, make_app

REDIS = ("127.0.0.1", 6379)


def _secrets(app, make, count: int) -> list[str]:
    user = make.user(roles=["coordinator"])
    with app.app_context():
        made = [tokens.create(db.session.get(User, user.id), f"t{n}", "read")[1]
                for n in range(count)]
        db.session.commit()
    return made


def _answers(app, secret: str, times: int) -> list:
    client = app.test_client()
    return [client.get("/api/v1/departments/", headers={"Authorization": f"Bearer {secret}"})
            for _ in range(times)]


def _limited_after_three(app, make) -> None:
    app.config["API_RATE_LIMIT"] = "3/minute"
    first, second = _secrets(app, make, 2)
    answers = _answers(app, first, 4)
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.json["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert _answers(app, second, 1)[0].status_code == 200  # per token, not per address


@pytest.mark.one_database
def test_a_token_past_its_limit_gets_429_in_memory(app, make):
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    _limited_after_three(app, make)


def _redis_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.one_database
def test_the_counts_live_in_redis_when_configured(database_kind, pg_schema_ready, tmp_path):
    if not _redis_up():
        if os.environ.get("CI"):
            pytest.fail("CI runs Redis on 127.0.0.1:6379 (scripts/test starts it)")
        pytest.skip("no Redis server on 127.0.0.1:6379")
    import redis  # the client Flask-Limiter's Redis storage uses (its "redis" extra)

    prefix = f"compliance-test-{os.getpid()}"
    app = make_app(database_kind, tmp_path, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
                   RATELIMIT_KEY_PREFIX=prefix)
    server = redis.Redis(*REDIS)
    try:
        _limited_after_three(app, Maker(app))
        assert any(prefix.encode() in key for key in server.scan_iter("LIMITS:*"))
    finally:
        for key in server.scan_iter(f"LIMITS:*{prefix}*"):
            server.delete(key)
        with app.app_context():
            db.engine.dispose()
    assert limiter.storage.check()
